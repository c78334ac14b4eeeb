using System.Net.Sockets;
using Reader.Camera;
using Reader.Device.Hosting.Sections;
using Reader.Device.Session;
using Reader.Protocol.Identity;
using Reader.Vision;

namespace Reader.Device.Hosting.SelfTest;

/// <summary>
/// ONNX Runtime loads (the package's native library for this machine) and every sha256-checked
/// model opens in it: the running service's pipeline, else loaded once here. A failure is reported
/// with its reason, never thrown.
/// </summary>
internal sealed class VisionCheck(VisionSectionOptions options, ServiceRuntime runtime) : ISelfTestCheck
{
    public string Name => "vision";

    public Task<SelfTestResult> RunAsync(CancellationToken cancellationToken)
    {
        if (runtime.Verifier is { } loaded)
        {
            return Task.FromResult(SelfTestResult.Pass($"ONNX Runtime {FaceVerifier.RuntimeVersion}, models loaded, threshold {loaded.MatchThreshold:0.###}"));
        }

        return Task.Run(() => Probe(options.ToVisionOptions()), cancellationToken);
    }

    internal static SelfTestResult Probe(VisionOptions vision)
    {
        string version;
        try
        {
            version = FaceVerifier.RuntimeVersion;
        }
        catch (VisionRuntimeException e)
        {
            return SelfTestResult.Fail(e.Message);
        }

        try
        {
            using var verifier = FaceVerifier.Create(vision);
            return SelfTestResult.Pass($"ONNX Runtime {version}, models verified, threshold {verifier.MatchThreshold:0.###}");
        }
        catch (Exception e) when (e is VisionModelException or VisionRuntimeException or ArgumentException)
        {
            return SelfTestResult.Fail($"ONNX Runtime {version} loads; {e.Message}");
        }
#pragma warning disable CA1031 // A self-test reports every failure; it must never throw out of the check.
        catch (Exception e) when (e is not OperationCanceledException)
#pragma warning restore CA1031
        {
            return SelfTestResult.Fail($"ONNX Runtime {version} loads; the face pipeline failed to open ({e.GetType().Name}: {e.Message})");
        }
    }
}

/// <summary>Paired with a terminal, and the paired broker (or the pairing listener) accepts a TCP connection.</summary>
internal sealed class BrokerCheck(ProtocolOptions options, ServiceRuntime runtime) : ISelfTestCheck
{
    public string Name => "broker";

    public async Task<SelfTestResult> RunAsync(CancellationToken cancellationToken)
    {
        if (runtime.LinkConnected())
        {
            return SelfTestResult.Pass("paired; connected to the broker (TLS)");
        }

        var identity = new ReaderIdentityStore(options.ResolvedDataDirectory());
        var pairing = identity.IsPaired ? identity.LoadPairing() : null;
        var host = options.BrokerPort > 0 ? options.ResolvedBrokerHost() ?? pairing?.BrokerHost : pairing?.BrokerHost ?? options.ResolvedBrokerHost();
        var port = options.BrokerPort > 0 ? options.BrokerPort : pairing?.TlsPort ?? options.ResolvedPairingPort();
        if (host is null)
        {
            return SelfTestResult.Fail("not paired, and Protocol:BrokerHost is not set");
        }

        try
        {
            using var client = new TcpClient();
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(3));
            await client.ConnectAsync(host, port, timeout.Token);
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
            return SelfTestResult.Fail($"{host}:{port} does not accept connections ({(e is SocketException s ? s.SocketErrorCode.ToString() : "timeout")})");
        }

        return pairing is null
            ? SelfTestResult.Fail($"not paired yet (pairing listener {host}:{port} reachable): run reader-device pair")
            : SelfTestResult.Pass($"paired with {pairing.TerminalId}; broker {host}:{port} reachable");
    }
}

/// <summary>The patient camera delivers a frame (skipped while a patient is at the reader: the session owns it then).</summary>
internal sealed class CameraCheck(CameraOptions options, ServiceRuntime runtime) : ISelfTestCheck
{
    public string Name => "camera";

    public Task<SelfTestResult> RunAsync(CancellationToken cancellationToken) =>
        FirstFrameAsync(options.ResolvedSource(), runtime, cancellationToken);

    /// <summary>
    /// A camera source gives one frame within 5 s (either camera; skipped while the session owns them). In the running
    /// service the patient camera is borrowed through the session's own lease (<see cref="ServiceRuntime.Camera"/>),
    /// never opened beside a visit's: a visit that holds it skips the probe, a visit that comes during it waits.
    /// </summary>
    internal static Task<SelfTestResult> FirstFrameAsync(string spec, ServiceRuntime runtime, CancellationToken cancellationToken) =>
        FirstFrameAsync(spec, runtime, patientCamera: true, cancellationToken);

    /// <summary>
    /// As above; <paramref name="patientCamera"/> false for another camera (the card-face camera), which is opened from
    /// <paramref name="spec"/> itself: the session's lease lends the patient camera only.
    /// </summary>
    internal static async Task<SelfTestResult> FirstFrameAsync(string spec, ServiceRuntime runtime, bool patientCamera, CancellationToken cancellationToken)
    {
        if (runtime.SessionActive())
        {
            return InUse;
        }

        if (patientCamera && runtime.Camera is { } camera)
        {
            CameraLease? lease;
            try
            {
                lease = camera.TryBorrowIdle();
            }
            catch (Exception e) when (e is CameraException or ArgumentException or HttpRequestException)
            {
                return SelfTestResult.Fail($"{spec}: {e.Message}");
            }

            if (lease is null)
            {
                return InUse;
            }

            await using (lease)
            {
                return await OneFrameAsync(lease.Source, spec, cancellationToken);
            }
        }

        try
        {
            await using var source = CameraSources.Open(spec);
            return await OneFrameAsync(source, spec, cancellationToken);
        }
        catch (Exception e) when (e is CameraException or ArgumentException or HttpRequestException)
        {
            return SelfTestResult.Fail($"{spec}: {e.Message}");
        }
    }

    private static SelfTestResult InUse => SelfTestResult.Pass("in use by the patient session");

    private static async Task<SelfTestResult> OneFrameAsync(ICameraSource source, string spec, CancellationToken cancellationToken)
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(5));
            using var frame = await source.NextFrameAsync(timeout.Token);
            return frame is null
                ? SelfTestResult.Fail($"{source.Name}: no frame (the source ended)")
                : SelfTestResult.Pass($"{source.Name}: {frame.Image.Width}x{frame.Image.Height} frame");
        }
        catch (Exception e) when (e is CameraException or ArgumentException or OperationCanceledException or HttpRequestException)
        {
            return SelfTestResult.Fail($"{spec}: {(e is OperationCanceledException ? "no frame within 5 s" : e.Message)}");
        }
    }
}

/// <summary>The kiosk page answers (running service) or its port is free to be served (standalone).</summary>
internal sealed class KioskCheck(KioskOptions options, ServiceRuntime runtime) : ISelfTestCheck
{
    public string Name => "kiosk";

    public async Task<SelfTestResult> RunAsync(CancellationToken cancellationToken)
    {
        var address = runtime.KioskAddress() ?? new Uri($"http://{options.Address}:{options.Port}/");
        if (options.Port == 0 && runtime.KioskAddress() is null)
        {
            return SelfTestResult.Pass("free port chosen at start");
        }

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(3) };
        try
        {
            using var response = await http.GetAsync(new Uri(address, "api/health"), cancellationToken);
            return response.IsSuccessStatusCode
                ? SelfTestResult.Pass($"{address} serves the page")
                : SelfTestResult.Fail($"{address}api/health answered {(int)response.StatusCode}");
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            if (runtime.KioskAddress() is not null)
            {
                return SelfTestResult.Fail($"{address} does not answer");
            }
        }

        try
        {
            using var probe = new TcpListener(System.Net.IPAddress.Parse(options.Address), options.Port);
            probe.Start();
            probe.Stop();
            return SelfTestResult.Pass($"port {options.Port} free for the kiosk");
        }
        catch (SocketException e)
        {
            return SelfTestResult.Fail($"port {options.Port} is taken by another program ({e.SocketErrorCode})");
        }
    }
}

/// <summary>Card-face OCR: the configured engine loads (PP-OCR model checked against the manifest, or Tesseract and its data).</summary>
internal sealed class CardFaceCheck(CardFaceOptions options) : ISelfTestCheck
{
    public string Name => "card-face";

    public Task<SelfTestResult> RunAsync(CancellationToken cancellationToken)
    {
        if (options.Source == "none")
        {
            return Task.FromResult(SelfTestResult.Fail("CardFace:Source is none: the face path is off (PIN and 目視 work)"));
        }

        try
        {
            using var engine = options.CreateEngine();
            return Task.FromResult(SelfTestResult.Pass(engine.Name));
        }
        catch (Reader.CardFace.Recognition.TextRecognizerUnavailableException e)
        {
            return Task.FromResult(SelfTestResult.Fail(e.Message + ": the face path is off (PIN and 目視 work)"));
        }
    }
}

/// <summary>The card-face camera gives a frame (or is in use by the patient session).</summary>
internal sealed class CardFaceCameraCheck(CardFaceCameraOptions options, ServiceRuntime runtime) : ISelfTestCheck
{
    public string Name => "card-face-camera";

    // Not the session's patient-camera lease: this check must see the card-face camera itself.
    public Task<SelfTestResult> RunAsync(CancellationToken cancellationToken) =>
        CameraCheck.FirstFrameAsync(options.ResolvedSource(), runtime, patientCamera: false, cancellationToken);
}
