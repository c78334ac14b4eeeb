using Reader.Card.Errors;
using Reader.CardFace.Reading;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;
using Reader.Camera;
using Reader.Card;
using Reader.Card.MyNumber;
using Reader.Device.Session;
using Reader.Device.Session.Seams;
using Reader.Gpio;
using Reader.Imaging;
using Reader.Protocol.Contract;
using Reader.Protocol.ReaderSide;
using Reader.Vision;
using Decision = Reader.Vision.Decision;
using ScoreBand = Reader.Vision.ScoreBand;

namespace Reader.Device.Tests.Session;

// Fakes behind the session's own seams (card, face, camera, card face, terminal, lights); nothing else is faked.

/// <summary>A scripted My Number Card: answers per step, counts what the session asked.</summary>
internal sealed class FakeCard : ICardAccess
{
    public static readonly byte[] CertificateDer = MakeCertificate();

    public CardIdentification Identification { get; set; } = new(true, true, "JPKIAPICCTOKEN2");

    public CardError? IdentifyFails { get; set; }

    public CertificateValidity Validity { get; set; } = CertificateValidity.Valid;

    public DateTimeOffset NotAfter { get; set; } = new(2029, 3, 31, 14, 59, 59, TimeSpan.Zero);

    public PinStatus Pin { get; set; } = new(PinState.Available, 3);

    /// <summary>What VERIFY answers, in order: null = right PIN, else the error.</summary>
    public ConcurrentQueue<CardError?> PinAnswers { get; } = new();

    public bool Genuine { get; set; } = true;

    public CardFaceAuthenticity Authenticity { get; set; } = CardFaceAuthenticity.Verified;

    public CardError? ReadFaceFails { get; set; }

    /// <summary>Bytes given to the session's photo-ahead callback before the record is returned (null: not called).</summary>
    public byte[]? PhotoAhead { get; set; }

    public Func<byte[], byte[]> Transmit { get; set; } = _ => [0x90, 0x00];

    public ConcurrentQueue<string> Calls { get; } = new();

    public ConcurrentBag<SecretDigits> PinsSeen { get; } = [];

    public ConcurrentBag<SecretDigits> CodesSeen { get; } = [];

    public ConcurrentBag<FakePhoto> Photos { get; } = [];

    public int Opened;

    public int Closed;

    /// <summary>Closes that left the slot powered (the card had been taken): a subset of <see cref="Closed"/>.</summary>
    public int ClosedLeavingSlot;

    public ICardConnection Open(string readerName)
    {
        Interlocked.Increment(ref Opened);
        Calls.Enqueue("open");
        return new Connection(this);
    }

    private static byte[] MakeCertificate()
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("C=JP, CN=TEST0001", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(4));
        return certificate.RawData;
    }

    private sealed class Connection(FakeCard card) : ICardConnection
    {
        public Task<CardIdentification> IdentifyAsync(CancellationToken cancellationToken)
        {
            card.Calls.Enqueue("identify");
            return card.IdentifyFails is { } error ? Task.FromException<CardIdentification>(new CardException(error)) : Task.FromResult(card.Identification);
        }

        public Task<CertificateFacts> ReadCertificateAsync(CancellationToken cancellationToken)
        {
            card.Calls.Enqueue("certificate");
            return Task.FromResult(new CertificateFacts(CertificateDer, card.NotAfter, card.Validity));
        }

        public Task<PinStatus> GetPinStatusAsync(CancellationToken cancellationToken)
        {
            card.Calls.Enqueue("pin-status");
            return Task.FromResult(card.Pin);
        }

        public Task<PinSignature> VerifyPinAndSignAsync(SecretDigits pin, ReadOnlyMemory<byte> challenge, CancellationToken cancellationToken)
        {
            card.Calls.Enqueue("verify");
            card.PinsSeen.Add(pin);
            if (card.PinAnswers.TryDequeue(out var answer) && answer is not null)
            {
                return Task.FromException<PinSignature>(new CardException(answer));
            }

            return Task.FromResult(new PinSignature(new byte[256], SHA256.HashData(challenge.Span), true));
        }

        public Task<ICardFacePhoto> ReadCardFaceAsync(SecretDigits codeB, Action<ReadOnlySpan<byte>>? photoAhead, CancellationToken cancellationToken)
        {
            card.Calls.Enqueue("card-face");
            card.CodesSeen.Add(codeB);
            if (photoAhead is not null && card.PhotoAhead is { } ahead)
            {
                photoAhead(ahead);
            }

            if (card.ReadFaceFails is { } error)
            {
                return Task.FromException<ICardFacePhoto>(new CardException(error));
            }

            var photo = new FakePhoto(card.Authenticity);
            card.Photos.Add(photo);
            return Task.FromResult<ICardFacePhoto>(photo);
        }

        public Task<bool> ProveChipGenuineAsync(ICardFacePhoto face, CancellationToken cancellationToken)
        {
            card.Calls.Enqueue("genuine");
            return Task.FromResult(card.Genuine);
        }

        public Task<byte[]> RelayAsync(ReadOnlyMemory<byte> commandApdu, CancellationToken cancellationToken)
        {
            card.Calls.Enqueue("transmit");
            return Task.FromResult(card.Transmit(commandApdu.ToArray()));
        }

        public void Dispose() => Interlocked.Increment(ref card.Closed);

        public void CloseLeavingSlot()
        {
            Interlocked.Increment(ref card.ClosedLeavingSlot);
            Dispose();
        }
    }
}

internal sealed class FakePhoto(CardFaceAuthenticity authenticity) : ICardFacePhoto
{
    public static readonly byte[] Marker = [0x00, 0x00, 0x00, 0x0C, 0x6A, 0x50, 0x20, 0x20, 0xDE, 0xAD, 0xBE, 0xEF];

    private readonly byte[] _bytes = [.. Marker];

    public ReadOnlyMemory<byte> Jp2 => _bytes;

    public CardFaceAuthenticity Authenticity => authenticity;

    public string? IssuerKeyId => "6000023/001";

    public DateOnly? Expiry => new DateOnly(2034, 3, 31);

    public bool Wiped => _bytes.All(b => b == 0);

    public void Dispose() => Array.Clear(_bytes);
}

/// <summary>Face matching by script: each attempt decides after <see cref="FramesPerAttempt"/> frames with the next outcome.</summary>
internal sealed class FakeFace : IFaceMatcher
{
    public ConcurrentQueue<FaceOutcome> Outcomes { get; } = new();

    public int FramesPerAttempt { get; set; } = 3;

    public bool NoFaceInPhoto { get; set; }

    /// <summary>Guidance given on the frames before the decision (then the blink prompt).</summary>
    public Guidance EarlyGuidance { get; set; } = Guidance.MoveCloser;

    public ConcurrentBag<Template> Templates { get; } = [];

    public ConcurrentQueue<AttemptOptions> Attempts { get; } = new();

    public int Analyzed;

    /// <summary>Frames fed to attempts.</summary>
    public int Fed;

    public static FaceOutcome Match => new(Decision.Match, ScoreBand.Strong, true, Guidance.None);

    public static FaceOutcome NoMatch => new(Decision.NoMatch, ScoreBand.Low, false, Guidance.None);

    public IFaceTemplate? Enrol(ReadOnlySpan<byte> photo)
    {
        if (NoFaceInPhoto)
        {
            return null;
        }

        var template = new Template(photo.ToArray());
        Templates.Add(template);
        return template;
    }

    public Guidance Analyze(PixelBuffer frame)
    {
        Interlocked.Increment(ref Analyzed);
        return Guidance.None;
    }

    public IFaceAttempt BeginAttempt(AttemptOptions options)
    {
        Attempts.Enqueue(options);
        return new Attempt(this, Outcomes.TryDequeue(out var outcome) ? outcome : Match);
    }

    internal sealed class Template(byte[] photo) : IFaceTemplate
    {
        /// <summary>A copy of the photo it was enrolled from (test data only).</summary>
        public byte[] Photo { get; } = photo;

        public bool Disposed { get; private set; }

        public void Dispose() => Disposed = true;
    }

    /// <summary>Like the real attempt, it may begin before the template and decides only once it has it.</summary>
    private sealed class Attempt(FakeFace face, FaceOutcome outcome) : IFaceAttempt
    {
        private int _frames;

        private IFaceTemplate? _template;

        public FaceOutcome? UseTemplate(IFaceTemplate template)
        {
            Assert.Null(_template);
            Assert.False(((Template)template).Disposed);
            _template = template;
            return _frames >= face.FramesPerAttempt ? outcome : null;
        }

        public FaceStep Feed(PixelBuffer frame, TimeSpan timestamp)
        {
            Assert.False(frame.IsDisposed);
            Interlocked.Increment(ref face.Fed);
            _frames++;
            if (_frames >= face.FramesPerAttempt)
            {
                return _template is null
                    ? new FaceStep(null, Guidance.None, ChallengePrompt.None) { AwaitingTemplate = true }
                    : new FaceStep(outcome, Guidance.None, ChallengePrompt.None);
            }

            return _frames == 1 ? new FaceStep(null, face.EarlyGuidance, ChallengePrompt.LookAtCamera) : new FaceStep(null, Guidance.None, ChallengePrompt.Blink);
        }

        public FaceOutcome Finish() => _template is null ? new FaceOutcome(Decision.NoUsableFace, ScoreBand.None, false, Guidance.NoFace) : outcome;

        public void Dispose()
        {
        }
    }
}

/// <summary>Tiny frames, made on demand; remembers each so the test can check every one was disposed (wiped).</summary>
internal sealed class FakeCamera : ICameraSource
{
    private long _sequence;

    public ConcurrentBag<CameraFrame> Frames { get; } = [];

    public bool Fails { get; set; }

    /// <summary>Time between frames (real time; zero: as fast as asked).</summary>
    public TimeSpan FrameInterval { get; set; }

    public int Disposed;

    public string Name => "fake";

    public async ValueTask<CameraFrame?> NextFrameAsync(CancellationToken cancellationToken = default)
    {
        await Task.Yield();
        if (FrameInterval > TimeSpan.Zero)
        {
            await Task.Delay(FrameInterval, cancellationToken);
        }

        cancellationToken.ThrowIfCancellationRequested();
        if (Fails)
        {
            throw new CameraException(CameraErrorCode.DeviceMissing, "no camera");
        }

        var image = PixelBuffer.Rent(8, 8, PixelFormat.Rgb24);
        image.Pixels.Fill(0x7F);
        var frame = new CameraFrame(image, TimeSpan.FromMilliseconds(33 * _sequence), Interlocked.Increment(ref _sequence));
        Frames.Add(frame);
        return frame;
    }

    public ValueTask DisposeAsync()
    {
        Interlocked.Increment(ref Disposed);
        return ValueTask.CompletedTask;
    }
}

internal sealed class FakeCameraProvider(FakeCamera camera) : ICameraProvider
{
    public int Opens;

    public CameraLease Acquire()
    {
        if (camera.Fails)
        {
            throw new CameraException(CameraErrorCode.DeviceMissing, "no camera");
        }

        Interlocked.Increment(ref Opens);
        return new CameraLease(camera, owned: true);
    }
}

internal sealed class FakeCardFace : ICardFaceReader
{
    /// <summary>What the fake reads: born 昭和47年3月31日, card to 2034-03-31 (goes with the fake certificate), code 0417.</summary>
    public const string CodeB = "47033120340417";

    public bool Unavailable { get; set; }

    /// <summary>Problems the next looks report, in order; when empty a look is accepted.</summary>
    public ConcurrentQueue<CardFaceProblem> Problems { get; } = new();

    public ConcurrentBag<CardFaceReading> Given { get; } = [];

    public int Looks;

    /// <summary>When set, a look does not answer (nor notice cancellation, like an OCR pass under way) until this completes.</summary>
    public TaskCompletionSource? Hold { get; set; }

    public async Task<CardFaceReading> LookAsync(string readerName, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref Looks);
        if (Hold is { } hold)
        {
            await hold.Task;
        }

        if (Unavailable)
        {
            throw new CardFaceUnavailableException("no card-face camera");
        }

        var reading = Problems.TryDequeue(out var problem)
            ? CardFaceReading.Failed(problem)
            : CardFaceReading.Accept(new DateOnly(1972, 3, 31), false, new DateOnly(2034, 3, 31), "0417", new FieldConfidence(0.99f, 0.99f, 0.99f));
        Given.Add(reading);
        return reading;
    }
}

/// <summary>The terminal as the session sees it: records events, status, modes; results are validated like the real link does.</summary>
internal sealed class FakeLink(TimeProvider time) : ITerminalLink
{
    public const string ReaderId = "rdr-test-0001";

    public ConcurrentQueue<SessionEvent> Events { get; } = new();

    public ConcurrentQueue<SessionResult> Results { get; } = new();

    public ConcurrentQueue<bool> Busy { get; } = new();

    public ConcurrentQueue<ReaderMode> Modes { get; } = new();

    public CardRegistration Registration { get; set; } = CardRegistration.Registered;

    public byte[] Challenge { get; } = RandomNumberGenerator.GetBytes(32);

    public Task PublishEventAsync(SessionEvent sessionEvent, CancellationToken cancellationToken)
    {
        Events.Enqueue(sessionEvent);
        return Task.CompletedTask;
    }

    public Task<CardCheckOutcome> CheckCardAsync(string sessionId, ReadOnlyMemory<byte> certificateDer, CancellationToken cancellationToken) =>
        Task.FromResult(new CardCheckOutcome
        {
            TerminalAnswered = true,
            Registration = Registration,
            Challenge = Challenge,
            ChallengeSource = ChallengeSource.Terminal,
        });

    /// <summary>Simulates a bug in building the result (the session must abort, not hang or send half).</summary>
    public bool NewResultThrows { get; set; }

    public SessionResult NewResult(string sessionId, VerificationMethod method, Reader.Protocol.Contract.Decision decision)
    {
        if (NewResultThrows)
        {
            throw new FormatException("test: result building failed");
        }

        var now = time.GetUtcNow();
        return new SessionResult
        {
            ReaderId = ReaderId,
            SessionId = sessionId,
            CompletedAt = now,
            ExpiresAt = now + TimeSpan.FromMinutes(10),
            Method = method,
            Decision = decision,
            Visual = method == VerificationMethod.Visual ? new VisualEvidence { AuthorisedBy = "term-test", ModeSetAt = now } : null,
        };
    }

    public Task<ResultReceipt> SubmitResultAsync(SessionResult result, CancellationToken cancellationToken)
    {
        var problems = SessionResultValidator.Validate(result, ReaderId, time.GetUtcNow());
        if (problems.Count > 0)
        {
            throw new InvalidSessionResultException(problems);
        }

        PrivacyGuard.EnsureClean(System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(result));
        Results.Enqueue(result);
        return Task.FromResult(new ResultReceipt(result.SessionId, false, result.ExpiresAt));
    }

    public Task SetSessionActiveAsync(bool active, CancellationToken cancellationToken)
    {
        Busy.Enqueue(active);
        return Task.CompletedTask;
    }

    public Task SetModeAsync(ReaderMode mode, CancellationToken cancellationToken)
    {
        Modes.Enqueue(mode);
        return Task.CompletedTask;
    }

    public IEnumerable<SessionEventType> EventTypes => Events.Select(e => e.Type);
}

internal sealed class FakeLights : IStatusLights
{
    public ConcurrentQueue<string> Changes { get; } = new();

    public void Show(IndicatorState state) => Changes.Enqueue("show " + state);

    public void Signal(IndicatorSignal signal) => Changes.Enqueue("signal " + signal);

    public void StopBuzzer() => Changes.Enqueue("buzzer off");
}

internal sealed class RecordingObserver : ISessionObserver
{
    public ConcurrentQueue<SessionMilestone> Milestones { get; } = new();

    public void OnMilestone(SessionMilestone milestone) => Milestones.Enqueue(milestone);

    public IReadOnlyList<SessionMilestoneKind> Kinds => [.. Milestones.Select(m => m.Kind)];
}

/// <summary>Every log line of the session (message, scopes are not used by the session itself, exception text).</summary>
internal sealed class ListLogger : ILogger
{
    public ConcurrentQueue<string> Lines { get; } = new();

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        ArgumentNullException.ThrowIfNull(formatter);
        Lines.Enqueue($"{logLevel} {formatter(state, exception)} {exception}");
    }
}
