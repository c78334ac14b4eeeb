using System.CommandLine;

namespace Reader.Terminal.Commands;

/// <summary><c>bench</c>: the MQTT benchmark (see Bench/MqttBench.cs); its last stdout line is one JSON object.</summary>
internal static class BenchCommand
{
    public static IEnumerable<Command> Create()
    {
        var samples = new Option<int>("--samples") { Description = "sequential results for the latency figure (and as many peer messages)", DefaultValueFactory = _ => 1000 };
        var readers = new Option<int>("--readers") { Description = "simulated readers finishing sessions at once", DefaultValueFactory = _ => 200 };
        var perReader = new Option<int>("--sessions-per-reader") { Description = "results each simulated reader submits", DefaultValueFactory = _ => 5 };
        var bench = new Command("bench", "result latency reader → terminal beside mosquitto_pub → mosquitto_sub, then many readers at once; last line JSON")
        {
            samples, readers, perReader,
        };
        bench.SetAction((parse, token) => Bench.MqttBench.RunAsync(parse.GetValue(samples), parse.GetValue(readers), parse.GetValue(perReader), token));
        yield return bench;
    }
}
