using System.Runtime.InteropServices;
using Reader.Shared.Interop.Libc;

namespace Reader.Shared.Threading;

/// <summary>
/// Creates ONNX Runtime sessions on a short-lived thread named <see cref="Name"/>, at <see cref="NiceIncrement"/> below
/// the process's priority. A session starts its intra-op worker threads when it is created, and on Linux a new thread
/// takes its creator's name and nice value.
/// <para>Named: created from a thread-pool thread, ONNX Runtime's workers would show as ".NET TP Worker" in
/// <c>top -H</c> and /proc, indistinguishable from the pool's own. Named, a technician (and the soak test) can tell the
/// models' threads from the pool's.</para>
/// <para>Niced: the face models analyse live frames while the card is being read, and on a busy core a worker would
/// delay the thread that sends the card its next command, which waits on nothing else. Under contention the card link,
/// the result's path and the kiosk's web host run first; on an idle core the workers run as fast as before. The thread that
/// calls a model keeps its own priority, so a model still has one thread at full priority (the card photo's enrolment,
/// on the session's critical path, and every live frame). Measured in <c>bench session</c> (src/Device/README.md).</para>
/// </summary>
public static class OnnxWorkerThreads
{
    /// <summary>The name ONNX Runtime's worker threads carry (15 characters at most on Linux).</summary>
    public const string Name = "onnx-worker";

    /// <summary>How far below the process's priority the workers run (nice +10: a tenth of a normal thread's share under contention).</summary>
    public const int NiceIncrement = 10;

    private const int LowestPriority = 19;

    /// <summary>Runs <paramref name="create"/> on a short-lived thread named <see cref="Name"/> and returns what it made.</summary>
    public static T Create<T>(Func<T> create)
    {
        ArgumentNullException.ThrowIfNull(create);
        T? made = default;
        System.Runtime.ExceptionServices.ExceptionDispatchInfo? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                LowerThisThread();
                made = create();
            }
            catch (Exception e)
            {
                failure = System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e);
            }
        })
        {
            IsBackground = true,
            Name = Name,
        };
        thread.Start();
        thread.Join();
        failure?.Throw();
        return made!;
    }

    /// <summary>
    /// The calling thread's nice value raised by <see cref="NiceIncrement"/> (at most 19). Needs no privilege; where it is
    /// refused (a sandbox), the workers run at the process's priority as before: a matter of speed, nothing to refuse
    /// service for.
    /// </summary>
    private static void LowerThisThread()
    {
        var current = Libc.getpriority(Libc.PRIO_PROCESS, 0);
        if (current == -1 && Marshal.GetLastPInvokeError() != 0)
        {
            return;
        }

        _ = Libc.setpriority(Libc.PRIO_PROCESS, 0, Math.Min(current + NiceIncrement, LowestPriority));
    }
}
