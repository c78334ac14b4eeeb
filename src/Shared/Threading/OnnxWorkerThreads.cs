namespace Reader.Shared.Threading;

/// <summary>
/// Creates ONNX Runtime sessions on a thread named <see cref="Name"/>. A session starts its intra-op worker threads
/// when it is created, and on Linux a new thread takes its creator's name: created from a thread-pool thread, ONNX
/// Runtime's workers would show as ".NET TP Worker" in <c>top -H</c> and /proc, indistinguishable from the pool's own.
/// Named, a technician (and the soak test) can tell the models' threads from the pool's.
/// </summary>
public static class OnnxWorkerThreads
{
    /// <summary>The name ONNX Runtime's worker threads carry (15 characters at most on Linux).</summary>
    public const string Name = "onnx-worker";

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
}
