using System.Buffers;
using System.Globalization;
using Reader.Vision.Bench.Evaluation;

namespace Reader.Vision.Tests;

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class RunsAlone
{
    public const string Name = "runs alone";
}

/// <summary>
/// Proves that deciding never writes a file. Other programs share this machine's /tmp, HOME and
/// the repository, so a scan of those folders cannot tell our writes from theirs. Instead the
/// proof is per process, from the kernel: (1) /proc/self/io write_bytes, the bytes this process
/// dirtied for storage, must not grow; (2) a watcher polls /proc/self/fd and fails on any
/// regular file opened for writing; (3) folders only we could write to are scanned before and
/// after: the model cache, /dev/shm (tmpfs, not in write_bytes), and TMPDIR entries named with
/// our pid (the runtime's diagnostics files). Runs alone (no other test writes meanwhile).
/// </summary>
[Collection(RunsAlone.Name)]
public sealed class NoFileWrittenTests
{
    private const int Decisions = 1000;

    [Fact]
    public void A_thousand_decisions_write_no_file()
    {
        var options = new VisionOptions { ModelDirectory = TestPaths.Models, LivenessFrames = 1 };
        using var verifier = FaceVerifier.Create(options);
        using var frame = TestFrames.AstronautFrame();
        using var portrait = TestFrames.Load("astronaut.png");
        var jp2 = new ArrayBufferWriter<byte>();
        verifier.MakeCardPhoto(portrait, jp2);
        var attempt = new AttemptOptions { EmbeddedFrames = 1 };
        using (var warmCard = verifier.EnrollCardPhoto(jp2.WrittenSpan).Template!)
        {
            Assert.Equal(Decision.Match, verifier.Verify(warmCard, [frame], attempt).Decision);
        }

        var watched = new[] { TestPaths.Models, "/dev/shm" };
        var before = Snapshot(watched);
        var ownTempBefore = OwnTempEntries();
        var writtenBefore = IoCounter("write_bytes");
        var writeCallsBefore = IoCounter("syscw");
        using var watcher = new WriteWatcher();

        var matches = 0;
        CardTemplate? card = null;
        try
        {
            for (var i = 0; i < Decisions; i++)
            {
                if (i % 100 == 0)
                {
                    // Card enrolment and card-photo making are part of the job too.
                    jp2.Clear();
                    verifier.MakeCardPhoto(portrait, jp2);
                }

                if (i % 10 == 0)
                {
                    // One enrolment (seven embeddings: the jittered template) per ten decisions, as a session enrols
                    // its card once and decides on many frames; 100 enrolments keep the test's time in bounds.
                    card?.Dispose();
                    card = verifier.EnrollCardPhoto(jp2.WrittenSpan).Template!;
                }

                if (verifier.Verify(card!, [frame], attempt).Decision == Decision.Match)
                {
                    matches++;
                }
            }
        }
        finally
        {
            card?.Dispose();
        }

        watcher.Stop();
        var written = IoCounter("write_bytes") - writtenBefore;
        var writeCalls = IoCounter("syscw") - writeCallsBefore;
        jp2.Clear();

        Assert.Equal(Decisions, matches);
        Assert.True(watcher.Violations.Count == 0, "files opened for writing: " + string.Join(", ", watcher.Violations));
        Assert.True(written == 0, $"this process dirtied {written} bytes of storage during {Decisions} decisions ({writeCalls} write calls)");
        Assert.Equal(before, Snapshot(watched));
        Assert.Equal(ownTempBefore, OwnTempEntries());
        Assert.True(watcher.Polls > 100, $"the fd watcher only looked {watcher.Polls} times");
    }

    [Fact]
    public void The_watch_catches_a_deliberate_write()
    {
        // The checks above have teeth: a plain temp file (no image) is seen by both.
        var path = Path.Combine(Path.GetTempPath(), $"reader-vision-watch-{Environment.ProcessId}.bin");
        var writtenBefore = IoCounter("write_bytes");
        using (var watcher = new WriteWatcher())
        {
            using (var stream = new FileStream(path, FileMode.Create, FileAccess.Write))
            {
                stream.Write(new byte[1 << 20]);
                stream.Flush(flushToDisk: true);
                // Open until the watcher has made one whole poll since: on a loaded machine its thread
                // can wait longer than any fixed pause for its turn.
                var pollsAtOpen = watcher.Polls;
                Assert.True(SpinWait.SpinUntil(() => watcher.Polls >= pollsAtOpen + 2, TimeSpan.FromSeconds(60)), "the fd watcher made no poll");
            }

            watcher.Stop();
            Assert.Contains(path, watcher.Violations);
        }

        File.Delete(path);
        var tmpfs = DriveInfo.GetDrives().Any(d => Path.GetTempPath().StartsWith(d.Name, StringComparison.Ordinal)
            && d.Name != "/" && d.DriveFormat == "tmpfs");
        if (!tmpfs)
        {
            Assert.True(IoCounter("write_bytes") - writtenBefore >= 1 << 20);
        }
    }

    private static long IoCounter(string name)
    {
        foreach (var line in File.ReadLines("/proc/self/io"))
        {
            if (line.StartsWith(name + ":", StringComparison.Ordinal))
            {
                return long.Parse(line[(name.Length + 1)..].Trim(), CultureInfo.InvariantCulture);
            }
        }

        throw new InvalidOperationException($"/proc/self/io has no {name}");
    }

    private static SortedDictionary<string, (long, DateTime)> Snapshot(IEnumerable<string> folders)
    {
        var snapshot = new SortedDictionary<string, (long, DateTime)>(StringComparer.Ordinal);
        foreach (var folder in folders.Where(Directory.Exists))
        {
            foreach (var file in Directory.EnumerateFiles(folder, "*", new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true }))
            {
                var info = new FileInfo(file);
                snapshot[file] = (info.Length, info.LastWriteTimeUtc);
            }
        }

        return snapshot;
    }

    private static string[] OwnTempEntries()
    {
        var pid = Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
        return Directory.EnumerateFileSystemEntries(Path.GetTempPath())
            .Where(e => Path.GetFileName(e).Contains(pid, StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .ToArray();
    }

    /// <summary>Polls this process's open files; any regular file open for writing is a violation.</summary>
    private sealed class WriteWatcher : IDisposable
    {
        private readonly HashSet<string> openBefore;
        private readonly Thread thread;
        private volatile bool stop;
        private int polls;

        public WriteWatcher()
        {
            openBefore = [.. OpenForWriting()];
            thread = new Thread(Run) { IsBackground = true, Name = "write watcher" };
            thread.Start();
        }

        public List<string> Violations { get; } = [];

        public int Polls => Volatile.Read(ref polls);

        public void Stop()
        {
            stop = true;
            thread.Join();
        }

        public void Dispose() => Stop();

        private void Run()
        {
            while (!stop)
            {
                foreach (var file in OpenForWriting())
                {
                    if (!openBefore.Contains(file) && !Violations.Contains(file))
                    {
                        Violations.Add(file);
                    }
                }

                Interlocked.Increment(ref polls);
                Thread.Sleep(2);
            }
        }

        private static IEnumerable<string> OpenForWriting()
        {
            string[] fds;
            try
            {
                fds = Directory.GetFiles("/proc/self/fd");
            }
            catch (IOException)
            {
                yield break;
            }

            foreach (var fd in fds)
            {
                string? target;
                string? flags;
                try
                {
                    target = new FileInfo(fd).LinkTarget;
                    flags = File.ReadLines($"/proc/self/fdinfo/{Path.GetFileName(fd)}")
                        .FirstOrDefault(l => l.StartsWith("flags:", StringComparison.Ordinal));
                }
                catch (IOException)
                {
                    continue; // closed meanwhile
                }
                catch (UnauthorizedAccessException)
                {
                    continue;
                }

                if (target is null || !target.StartsWith('/') || target.StartsWith("/dev/", StringComparison.Ordinal)
                    && !target.StartsWith("/dev/shm/", StringComparison.Ordinal) || flags is null)
                {
                    continue;
                }

                // O_ACCMODE bits: 01 = O_WRONLY, 02 = O_RDWR (octal flags).
                var mode = Convert.ToInt32(flags[6..].Trim(), 8) & 3;
                if (mode != 0 && File.Exists(target))
                {
                    yield return target;
                }
            }
        }
    }
}
