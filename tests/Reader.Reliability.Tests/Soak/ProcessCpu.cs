using System.Diagnostics;
using System.Globalization;

namespace Reader.Reliability.Tests.Soak;

/// <summary>
/// CPU time (user + system) a process and its live descendants have used (<see cref="Process.TotalProcessorTime"/>,
/// which Linux counts in clock ticks of 10 ms: meaningful summed over many sessions, not for one), in milliseconds.
/// </summary>
internal static class ProcessCpu
{
    /// <summary>CPU ms of <paramref name="pid"/> alone (<paramref name="tree"/> false) or with every live descendant; 0 when it is gone.</summary>
    public static double Milliseconds(int? pid, bool tree = true)
    {
        if (pid is not { } root)
        {
            return 0;
        }

        double total = 0;
        var pending = new Stack<int>([root]);
        while (pending.TryPop(out var next))
        {
            total += OwnMilliseconds(next);
            if (tree)
            {
                foreach (var child in Children(next))
                {
                    pending.Push(child);
                }
            }
        }

        return total;
    }

    private static double OwnMilliseconds(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return process.TotalProcessorTime.TotalMilliseconds;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            // Gone (or gone while being read: /proc/<pid>/stat vanished, which .NET reports as Win32Exception).
            return 0;
        }
    }

    private static List<int> Children(int pid)
    {
        var children = new List<int>();
        try
        {
            foreach (var task in Directory.EnumerateDirectories($"/proc/{pid}/task"))
            {
                var listed = File.ReadAllText(Path.Combine(task, "children"));
                children.AddRange(listed.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(c => int.Parse(c, CultureInfo.InvariantCulture)));
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }

        return children;
    }
}

/// <summary>The CPU each process of the clinic used over the visits of one method (face or PIN).</summary>
internal sealed class CpuLedger
{
    private readonly Dictionary<(string Method, string Process), (double Ms, int Visits)> byKey = [];

    /// <summary>The processes measured: the reader service, this rig (terminal, sim daemon, scripted patient), pcscd (with vpcd's driver inside), mosquitto.</summary>
    public static IReadOnlyList<string> Processes { get; } = ["reader", "rig", "pcscd", "broker"];

    public void Add(string method, IReadOnlyDictionary<string, double> before, IReadOnlyDictionary<string, double> after)
    {
        foreach (var process in Processes)
        {
            var (ms, visits) = byKey.GetValueOrDefault((method, process));
            byKey[(method, process)] = (ms + Math.Max(0, after[process] - before[process]), visits + 1);
        }
    }

    /// <summary>Mean CPU ms per visit, by method then process (plus "total").</summary>
    public IReadOnlyDictionary<string, object> PerSession()
    {
        var json = new Dictionary<string, object>();
        foreach (var method in byKey.Keys.Select(k => k.Method).Distinct().Order())
        {
            var row = new Dictionary<string, object>();
            double total = 0;
            foreach (var process in Processes)
            {
                var (ms, visits) = byKey[(method, process)];
                var mean = visits > 0 ? ms / visits : 0;
                row[process] = Math.Round(mean);
                total += mean;
            }

            row["total"] = Math.Round(total);
            json[method] = row;
        }

        return json;
    }
}
