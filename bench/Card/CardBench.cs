using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Reader.Card.Link;
using Reader.Card.MyNumber;
using Reader.Card.Pcsc;
using Reader.Device.Hosting;
using Reader.Device.Hosting.Sections;

namespace Reader.Card.Bench;

/// <summary>
/// <c>bench card</c>: the auth certificate read N times by our client and by OpenSC's pkcs15-tool on the same
/// card through the same pcscd; APDU counts of each (OpenSC's from its debug log); byte identity of the two
/// reads; and our face path (certificate, 照合番号B, EF 0002 + EF 0004, chip proof) read once in 256-byte chunks and
/// once with extended READ BINARY (as the reader allows, else forced), each with its APDU count and its card time
/// modelled at 106, 212 and 424 kbit/s over the link the card's ATR announces. Last line: one JSON object.
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

        FacePath? chunked = null;
        FacePath? whole = null;
        FacePath? photoFirst = null;
        if (faceCode is not null)
        {
            chunked = await FacePathAsync(readerName, clientOptions, ExtendedReadPolicy.Off, faceCode, photoFirst: false, token);
            whole = await FacePathAsync(readerName, clientOptions, ExtendedReadPolicy.On, faceCode, photoFirst: false, token);
            photoFirst = await FacePathAsync(readerName, clientOptions, ExtendedReadPolicy.On, faceCode, photoFirst: true, token);
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
            ["reader_max_apdu_data"] = whole?.ReaderMaxApduData,
            ["face_path_apdus_chunked"] = chunked?.Apdus,
            ["face_path_apdus_extended"] = whole?.Apdus,
            ["face_path_apdus_extended_photo_first"] = photoFirst?.Apdus,
            ["face_path_photo_first_ahead"] = photoFirst?.PhotoAhead,
            ["face_path_extended_reads"] = whole is null ? null : whole.ReaderMaxApduData > 256 ? "reader_allows" : "forced_reader_does_not_say",
            ["face_path_extended_outcome"] = whole?.Outcome,
            ["face_path_modelled_ms_chunked_106"] = chunked?.ModelledMs[106],
            ["face_path_modelled_ms_chunked_212"] = chunked?.ModelledMs[212],
            ["face_path_modelled_ms_chunked_424"] = chunked?.ModelledMs[424],
            ["face_path_modelled_ms_extended_106"] = whole?.ModelledMs[106],
            ["face_path_modelled_ms_extended_212"] = whole?.ModelledMs[212],
            ["face_path_modelled_ms_extended_424"] = whole?.ModelledMs[424],
            ["face_path_modelled_ms_extended_photo_first_424"] = photoFirst?.ModelledMs[424],
            ["face_path_model"] = "ISO 14443-4 Type B at the card's ATQB (FSC, FWT): 10 etu/byte + SOF/EOF per frame, chaining R(ACK)s, TR0+TR1 gaps, 1 ms card + 1 ms reader per APDU, 250 ms per on-card RSA operation",
        };
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"ours {result["ours_ms"]} ms/read ({ours.Apdus} APDUs) vs pkcs15-tool {result["opensc_ms"]} ms/read ({openscApdus} APDUs); identical: {identical}"));
        if (chunked is not null && whole is not null)
        {
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"face path: {whole.Apdus} APDUs with extended reads ({result["face_path_extended_reads"]}, {whole.Outcome}) vs {chunked.Apdus} in 256-byte chunks; card time at 424 kbit/s {whole.ModelledMs[424]} vs {chunked.ModelledMs[424]} ms"));
            if (photoFirst is not null)
            {
                Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"face path as a session reads it (EF 0002 photo first, so the photo is enrolled while the rest comes): {photoFirst.Apdus} APDUs, photo ahead: {photoFirst.PhotoAhead}; card time at 424 kbit/s {photoFirst.ModelledMs[424]} ms"));
            }
        }
        Console.WriteLine(JsonSerializer.Serialize(result, CommandContext.JsonLine));
        return identical ? 0 : 1;
    }

    /// <summary>
    /// The face path once with <paramref name="policy"/> (and EF 0002 photo first, as a session reads it, when
    /// <paramref name="photoFirst"/>): APDUs and the card time its exchanges model at each rate.
    /// </summary>
    private static async Task<FacePath> FacePathAsync(string reader, MyNumberCardClientOptions options, ExtendedReadPolicy policy, SecretDigits faceCode, bool photoFirst, CancellationToken token)
    {
        var clientOptions = new MyNumberCardClientOptions { RenewalWindow = options.RenewalWindow, ExtendedReads = policy };
        foreach (var key in options.CardFaceIssuerKeys)
        {
            clientOptions.CardFaceIssuerKeys.Add(key);
        }

        using var context = PcscContext.Establish();
        using var channel = context.Connect(reader);
        var client = new MyNumberCardClient(channel, clientOptions);
        await client.IdentifyAsync(token);
        await client.ReadAuthCertificateAsync(includeCaCertificate: false, token);
        var ahead = false;
        using var face = await client.ReadCardFaceAsync(faceCode, photoFirst ? _ => ahead = true : null, token);
        await client.ProveChipGenuineAsync(face, default, token);
        var modelled = new Dictionary<int, double>();
        foreach (var rate in new[] { 106, 212, 424 })
        {
            var link = CardAtr.TryParseTypeB(channel.Atr.Span, out var info, out _)
                ? ContactlessLink.Negotiate(info, rate)
                : new ContactlessLink { Kbit = rate };
            modelled[rate] = Math.Round(client.Counters.ModelledMs(link), 1);
        }

        return new FacePath(client.Counters.Apdus, modelled, channel.MaxApduDataSize, ahead, client.ExtendedReads switch
        {
            ExtendedReadOutcome.Used => "used",
            ExtendedReadOutcome.RefusedByCard => "refused_by_card",
            ExtendedReadOutcome.NotOffered => "not_offered",
            _ => "not_yet_tried",
        });
    }

    private sealed record FacePath(long Apdus, Dictionary<int, double> ModelledMs, int ReaderMaxApduData, bool PhotoAhead, string Outcome);

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
