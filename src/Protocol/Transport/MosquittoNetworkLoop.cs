using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using Reader.Interop.Libc;

namespace Reader.Protocol.Transport;

/// <summary>
/// One thread that drives any number of libmosquitto clients: it polls their sockets
/// (<c>mosquitto_socket</c>) and calls <c>mosquitto_loop_read|write|misc</c>. Every native call on a
/// client happens on this thread (work is posted to it and an eventfd wakes it), so libmosquitto
/// runs in its single-threaded mode without locks, and 200 clients cost one thread, not 200.
/// </summary>
internal sealed class MosquittoNetworkLoop : IDisposable
{
    private static readonly Lazy<MosquittoNetworkLoop> SharedLoop = new(() => new MosquittoNetworkLoop("mqtt-network"));

    private readonly ConcurrentQueue<Action> _work = new();
    private readonly List<MosquittoTransport> _clients = [];
    private readonly SafeFileDescriptor _wake;
    private readonly Thread _thread;
    private volatile bool _stopping;

    public MosquittoNetworkLoop(string name)
    {
        int fd = Libc.eventfd(0, Libc.EFD_CLOEXEC | Libc.EFD_NONBLOCK);
        if (fd < 0)
        {
            throw new MqttTransportException(MqttErrorCode.NativeCallFailed, $"eventfd failed (errno {Marshal.GetLastPInvokeError()})");
        }

        _wake = new SafeFileDescriptor(fd);
        _thread = new Thread(Run) { IsBackground = true, Name = name };
        _thread.Start();
    }

    /// <summary>The process-wide loop every transport uses unless told otherwise.</summary>
    public static MosquittoNetworkLoop Shared => SharedLoop.Value;

    /// <summary>Exceptions thrown by posted work (they never stop the loop).</summary>
    public Action<Exception>? OnUnhandled { get; set; }

    public int ClientCount => Volatile.Read(ref _clientCount);

    private int _clientCount;

    public bool IsLoopThread => Environment.CurrentManagedThreadId == _thread.ManagedThreadId;

    public void Post(Action work)
    {
        _work.Enqueue(work);
        Wake();
    }

    public Task<T> InvokeAsync<T>(Func<T> work)
    {
        if (IsLoopThread)
        {
            return Task.FromResult(work());
        }

        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        Post(() =>
        {
            try
            {
                done.SetResult(work());
            }
            catch (Exception e)
            {
                done.SetException(e);
            }
        });
        return done.Task;
    }

    public Task InvokeAsync(Action work) => InvokeAsync(() =>
    {
        work();
        return true;
    });

    /// <summary>Starts polling the client's socket (loop thread only).</summary>
    internal void Attach(MosquittoTransport client)
    {
        if (!_clients.Contains(client))
        {
            _clients.Add(client);
            Volatile.Write(ref _clientCount, _clients.Count);
        }
    }

    /// <summary>Stops polling the client's socket (loop thread only).</summary>
    internal void Detach(MosquittoTransport client)
    {
        _clients.Remove(client);
        Volatile.Write(ref _clientCount, _clients.Count);
    }

    public void Dispose()
    {
        _stopping = true;
        Wake();
        if (!IsLoopThread)
        {
            _thread.Join(TimeSpan.FromSeconds(5));
        }

        _wake.Dispose();
    }

    private unsafe void Wake()
    {
        if (_wake.IsClosed)
        {
            return;
        }

        ulong one = 1;
        _ = Libc.write(_wake.Number, &one, sizeof(ulong));
    }

    private unsafe void Run()
    {
        var pollSet = new Libc.pollfd[16];
        var polled = new MosquittoTransport[16];
        long nextMisc = 0;
        while (!_stopping)
        {
            RunPostedWork();

            int count = 1;
            if (pollSet.Length < _clients.Count + 1)
            {
                pollSet = new Libc.pollfd[_clients.Count * 2 + 1];
                polled = new MosquittoTransport[_clients.Count * 2 + 1];
            }

            pollSet[0] = new Libc.pollfd { fd = _wake.Number, events = Libc.POLLIN };
            foreach (MosquittoTransport client in _clients)
            {
                int socket = client.SocketForPoll();
                if (socket < 0)
                {
                    continue;
                }

                pollSet[count] = new Libc.pollfd
                {
                    fd = socket,
                    events = (short)(Libc.POLLIN | (client.WantsWrite() ? Libc.POLLOUT : 0)),
                };
                polled[count] = client;
                count++;
            }

            long now = Environment.TickCount64;
            int timeout = (int)Math.Clamp(nextMisc - now, 0, 250);
            int ready;
            fixed (Libc.pollfd* fds = pollSet)
            {
                ready = Libc.poll(fds, new CULong((uint)count), timeout);
            }

            if (ready < 0 && Marshal.GetLastPInvokeError() != Libc.EINTR)
            {
                Thread.Sleep(10);
            }

            if (ready > 0)
            {
                if (pollSet[0].revents != 0)
                {
                    ulong drained;
                    _ = Libc.read(_wake.Number, &drained, sizeof(ulong));
                }

                for (int i = 1; i < count; i++)
                {
                    short revents = pollSet[i].revents;
                    if (revents == 0)
                    {
                        continue;
                    }

                    MosquittoTransport client = polled[i];
                    if ((revents & (Libc.POLLIN | Libc.POLLERR | Libc.POLLHUP | Libc.POLLNVAL)) != 0)
                    {
                        Guard(client.OnReadable);
                    }

                    if ((revents & Libc.POLLOUT) != 0)
                    {
                        Guard(client.OnWritable);
                    }
                }
            }

            Array.Clear(polled, 0, count);
            now = Environment.TickCount64;
            if (now >= nextMisc)
            {
                foreach (MosquittoTransport client in _clients.ToArray())
                {
                    Guard(client.OnHousekeeping);
                }

                nextMisc = now + 250;
            }
        }

        RunPostedWork();
    }

    private void RunPostedWork()
    {
        while (_work.TryDequeue(out Action? work))
        {
            Guard(work);
        }
    }

    private void Guard(Action action)
    {
        try
        {
            action();
        }
        catch (Exception e)
        {
            OnUnhandled?.Invoke(e);
        }
    }
}
