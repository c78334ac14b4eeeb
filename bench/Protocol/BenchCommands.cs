using System.CommandLine;

namespace Reader.Protocol.Bench;

/// <summary><c>mqtt</c> (MqttBench.cs) and <c>pairing</c> (PairingAttackBench.cs); the last stdout line of each is one JSON object.</summary>
internal static class BenchCommands
{
    public static IEnumerable<Command> Create()
    {
        var samples = new Option<int>("--samples") { Description = "sequential results for the latency figure (and as many peer messages)", DefaultValueFactory = _ => 5000 };
        var readers = new Option<int>("--readers") { Description = "simulated readers finishing sessions at once", DefaultValueFactory = _ => 200 };
        var perReader = new Option<int>("--sessions-per-reader") { Description = "results each simulated reader submits", DefaultValueFactory = _ => 5 };
        var bench = new Command("mqtt", "result latency reader → terminal beside mosquitto_pub → mosquitto_sub, then many readers at once; last line JSON")
        {
            samples, readers, perReader,
        };
        bench.SetAction((parse, token) => MqttBench.RunAsync(parse.GetValue(samples), parse.GetValue(readers), parse.GetValue(perReader), token));
        yield return bench;

        var seconds = new Option<int>("--seconds") { Description = "how long to guess against the shipped pairing policy", DefaultValueFactory = _ => 120 };
        var peerSeconds = new Option<int>("--peer-seconds") { Description = "how long to guess against the policy before the cap", DefaultValueFactory = _ => 60 };
        var pairing = new Command("pairing", "guesses per second on the pairing topic against a real unpaired reader, the cap, success chances per day and 30 days, beside the uncapped policy; last line JSON")
        {
            seconds, peerSeconds,
        };
        pairing.SetAction((parse, token) => PairingAttackBench.RunAsync(
            TimeSpan.FromSeconds(parse.GetValue(seconds)), TimeSpan.FromSeconds(parse.GetValue(peerSeconds)), token));
        yield return pairing;
    }
}
