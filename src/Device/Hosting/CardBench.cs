using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Reader.Card.Link;
using Reader.Card.MyNumber;
using Reader.Card.Pcsc;

namespace Reader.Device.Hosting;

/// <summary>
/// <c>bench card</c>: the auth certificate read N times by our client and by OpenSC's pkcs15-tool on the same
/// card through the same pcscd; APDU counts of each (OpenSC's from its debug log); byte identity of the two
/// reads; and the modelled time of our full face-path read at 212 kbit/s. Last line: one JSON object.
/// </summary>
internal static class CardBench
{
    public static async Task<int> RunAsync(ParseResult parse, int iterations, string? reader, SecretDigits? faceCode, CancellationToken token)
    {
        using var _ = faceCode;
        var options = CommandContext.LoadOptions(parse, Console.Error);
        if (options is null)
        {
            return 2;
        }

        var clientOptions = options.Get<CardOptions>().ToClientOptions();
        iterations = Math.Max(1, iterations);
        var readerName = await WaitForCardAsync(reader, token);

        // Warm-up of both sides (JIT, OpenSC's first-run work), not counted.
        var ours = await ReadOursAsync(readerName, clientOptions, token);
        await RunPkcs15ToolAsync(readerName, debug: false, token);

        var watch = Stopwatch.StartNew();
        for (var i = 0; i < iterations; i++)
        {
            ours = await ReadOursAsync(readerName, clientOptions, token);
        }

        var oursMs = watch.Elapsed.TotalMilliseconds;
        watch.Restart();
        string pem = "";
        for (var i = 0; i < iterations; i++)
        {
            pem = (await RunPkcs15ToolAsync(readerName, debug: false, token)).Stdout;
        }

        var openscMs = watch.Elapsed.TotalMilliseconds;
        var debugRun = await RunPkcs15ToolAsync(readerName, debug: true, token);
        var openscApdus = debugRun.Stderr.Split('\n').Count(l => l.StartsWith("Outgoing APDU", StringComparison.Ordinal));
        var identical = PemToDer(pem).AsSpan().SequenceEqual(ours.Der);

        double? faceModelled = null;
        double? faceModelled106 = null;
        long? faceApdus = null;
        if (faceCode is not null)
        {
            using var context = PcscContext.Establish();
            using var channel = context.Connect(readerName);
            var client = new MyNumberCardClient(channel, clientOptions);
            await client.IdentifyAsync(token);
            await client.ReadAuthCertificateAsync(includeCaCertificate: false, token);
            using var face = await client.ReadCardFaceAsync(faceCode, token);
            await client.ProveChipGenuineAsync(face, default, token);
            faceModelled = client.Counters.ModelledMs(ContactlessLink.Kbit212);
            faceModelled106 = client.Counters.ModelledMs(ContactlessLink.Kbit106);
            faceApdus = client.Counters.Apdus;
        }

        var result = new Dictionary<string, object?>
        {
            ["iterations"] = iterations,
            ["reader"] = readerName,
            ["ours_ms"] = Math.Round(oursMs / iterations, 2),
            ["opensc_ms"] = Math.Round(openscMs / iterations, 2),
            ["ratio"] = Math.Round(oursMs / openscMs, 3),
            ["apdus"] = ours.Apdus,
            ["opensc_apdus"] = openscApdus,
            ["certificate_bytes"] = ours.Der.Length,
            ["byte_identical"] = identical,
            ["face_path_apdus"] = faceApdus,
            ["face_path_modelled_ms"] = faceModelled is null ? null : Math.Round(faceModelled.Value, 1),
            ["face_path_modelled_ms_106"] = faceModelled106 is null ? null : Math.Round(faceModelled106.Value, 1),
            ["face_path_model"] = "10 etu/byte at 212 (and 106) kbit/s, 4 B framing + 1 ms turnaround per 256 B frame, 250 ms per RSA operation",
        };
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"ours {result["ours_ms"]} ms/read ({ours.Apdus} APDUs) vs pkcs15-tool {result["opensc_ms"]} ms/read ({openscApdus} APDUs); identical: {identical}"));
        Console.WriteLine(JsonSerializer.Serialize(result, CommandContext.JsonLine));
        return identical ? 0 : 1;
    }

    /// <summary>The reader holding a card, waiting a little for pcscd's 400 ms presence poll after an insertion.</summary>
    private static async Task<string> WaitForCardAsync(string? reader, CancellationToken token)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                using var context = PcscContext.Establish();
                using var probe = context.ConnectFirstCard(reader);
                probe.UnpowerOnDispose = false;
                return probe.ReaderName;
            }
            catch (PcscException e) when (e.Kind is PcscErrorKind.NoCard or PcscErrorKind.NoReader && attempt < 25)
            {
                await Task.Delay(200, token);
            }
        }
    }

    private static async Task<(byte[] Der, long Apdus)> ReadOursAsync(string reader, MyNumberCardClientOptions options, CancellationToken token)
    {
        using var context = PcscContext.Establish();
        using var channel = context.Connect(reader);
        channel.UnpowerOnDispose = false;
        var client = new MyNumberCardClient(channel, options);
        var read = await client.ReadAuthCertificateAsync(includeCaCertificate: false, token);
        return (read.Certificate.Der, client.Counters.Apdus);
    }

    private static async Task<(string Stdout, string Stderr)> RunPkcs15ToolAsync(string reader, bool debug, CancellationToken token)
    {
        var start = new ProcessStartInfo("pkcs15-tool", ["--read-certificate", "01", "--reader", reader])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (debug)
        {
            start.Environment["OPENSC_DEBUG"] = "9";
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("cannot start pkcs15-tool (apt: opensc)");
        var stdout = process.StandardOutput.ReadToEndAsync(token);
        var stderr = process.StandardError.ReadToEndAsync(token);
        await process.WaitForExitAsync(token);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"pkcs15-tool failed ({process.ExitCode}): {(await stderr).Split('\n').LastOrDefault(l => l.Length > 0)}");
        }

        return (await stdout, await stderr);
    }

    internal static byte[] PemToDer(string pem)
    {
        using var certificate = System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPem(pem);
        return certificate.RawData;
    }
}
