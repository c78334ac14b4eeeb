using System.Globalization;
using System.Text;
using System.Text.Json;
using Reader.Imaging;
using Reader.Imaging.Bench;

// ./reader bench imaging [--images DIR] [--quick]
// Each figure is ours beside a peer measured in the same run (raw native codec calls, or the
// scalar path of the same operation); ratio = ours / peer. Last stdout line: one JSON object.
string images = Environment.GetEnvironmentVariable("READER_IMAGES") ?? Path.Combine(".cache", "images");
int scale = 1;
for (int i = 0; i < args.Length; i++)
{
    if (args[i] == "--images" && i + 1 < args.Length)
    {
        images = args[++i];
    }
    else if (args[i] == "--quick")
    {
        scale = 5;
    }
}

var results = new Dictionary<string, object>();
void Report(string name, double ours, double peer, string peerName)
{
    results[name + "_ms"] = Math.Round(ours, 4);
    results[name + "_peer_ms"] = Math.Round(peer, 4);
    results[name + "_ratio"] = Math.Round(ours / peer, 3);
    Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{name,-28} ours {ours,9:F3} ms   {peerName,-34} {peer,9:F3} ms   ratio {ours / peer,6:F2}"));
}

int n = 200 / scale;
foreach (var line in new BenchCases(images).Run(n))
{
    Report(line.Name, line.Ours, line.Peer, line.PeerName);
}

results["iterations"] = n;
results["processor_count"] = Environment.ProcessorCount;
results["simd"] = System.Runtime.Intrinsics.Vector128.IsHardwareAccelerated;
Console.WriteLine(JsonSerializer.Serialize(results));
