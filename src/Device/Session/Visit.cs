using Reader.Card.MyNumber;
using Reader.Device.Session.Seams;
using Reader.Kiosk.Contract;
using Reader.Protocol.ReaderSide;
using Terminal = Reader.Protocol.Contract;

namespace Reader.Device.Session;

/// <summary>
/// One visit (one session id): everything known about the patient at the reader now — what was read, chosen and
/// proved. It lives from card placement to card removal (the <see cref="SessionLoop"/> outlives every visit); <see cref="DisposeAsync"/> (after the jobs stopped) wipes every
/// secret and buffer and unpowers the card. Touched only on the session task, except where noted.
/// </summary>
internal sealed class Visit : IAsyncDisposable
{
    private readonly List<Task> _jobs = [];

    public Visit(string sessionId, string reader, long placedAt, FacilitySettings facility, Terminal.ReaderMode modeAtPlacement, TimeSpan? relayHold = null)
    {
        SessionId = sessionId;
        Reader = reader;
        PlacedAt = placedAt;
        Facility = facility;
        ModeAtPlacement = modeAtPlacement;
        Card = new CardLine(relayHold);
    }

    public string SessionId { get; }

    public string Reader { get; }

    /// <summary>TimeProvider timestamp of the placement.</summary>
    public long PlacedAt { get; }

    public FacilitySettings Facility { get; }

    public Terminal.ReaderMode ModeAtPlacement { get; }

    /// <summary>Cancelled when the session ends: every job stops.</summary>
    public CancellationTokenSource Stop { get; } = new();

    /// <summary>The card connection, one operation at a time (jobs share it).</summary>
    public CardLine Card { get; }

    public CardIdentification? Identification { get; set; }

    public CertificateFacts? Certificate { get; set; }

    public PinStatus? Pin { get; set; }

    public CardCheckOutcome? Check { get; set; }

    private SecretDigits? _codeB;
    private IFaceTemplate? _template;

    public SecretDigits? CodeB
    {
        get => Volatile.Read(ref _codeB);
        set => Volatile.Write(ref _codeB, value);
    }

    private Task _cardFaceLookRunning = Task.CompletedTask;
    private bool _cardWaitsForCodeB;

    public IFaceTemplate? Template
    {
        get => Volatile.Read(ref _template);
        set => Volatile.Write(ref _template, value);
    }

    /// <summary>Completes with <see cref="Template"/> once enrolled: a face attempt may start before (see <see cref="FaceAttemptJob"/>).</summary>
    public TaskCompletionSource<IFaceTemplate> TemplateReady { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public FacePreparation? FaceEvidence { get; set; }

    /// <summary>The chip's genuineness proof: null while it runs (beside the face attempt).</summary>
    public bool? ChipGenuine { get; set; }

    /// <summary>The face matched; consent waits for the chip's proof.</summary>
    public bool FaceMatchAwaitingChip { get; set; }

    /// <summary>Why the face path cannot run, once known.</summary>
    public string? FaceUnavailableReason { get; set; }

    public bool FacePreparing { get; set; }

    public CameraLease? Camera { get; set; }

    public bool CameraReady { get; set; }

    public bool CameraStarting { get; set; }

    /// <summary>A look of the card-face camera is running.</summary>
    public bool CardFaceLooking { get; set; }

    /// <summary>
    /// The card has done what it can without 照合番号B (the card-face certificate, the chip proof signed ahead): a look
    /// still running is what it waits for. Written by the card's turn, read by the attempt's job.
    /// </summary>
    public bool CardWaitsForCodeB
    {
        get => Volatile.Read(ref _cardWaitsForCodeB);
        set => Volatile.Write(ref _cardWaitsForCodeB, value);
    }

    /// <summary>
    /// The card-face camera's reading of 照合番号B now under way (its OCR pass), completed when none is: once the card waits
    /// for it (<see cref="CardWaitsForCodeB"/>), an attempt begun before its template waits for it before analysing frames
    /// (see <see cref="FaceAttemptJob"/>). Written by the look's job, read by the attempt's.
    /// </summary>
    public Task CardFaceLookRunning
    {
        get => Volatile.Read(ref _cardFaceLookRunning);
        set => Volatile.Write(ref _cardFaceLookRunning, value);
    }

    /// <summary>Looks of the card-face camera on this placement (at most <c>SessionMachine.CardFaceLooks</c>).</summary>
    public int CardFaceLooks { get; set; }

    /// <summary>What stopped the last look (None after an accepted read).</summary>
    public Reader.CardFace.Reading.CardFaceProblem CardFaceProblem { get; set; }

    /// <summary>Every look of this placement failed: the patient is asked to re-place the card (or use PIN / staff).</summary>
    public bool CardFaceGaveUp { get; set; }

    /// <summary>The printed expiry of the accepted read (checked against the certificate, then against the chip's DF29).</summary>
    public DateOnly? PrintedExpiry { get; set; }

    /// <summary>The one VERIFY of 照合番号B of this placement has been sent: never another, whatever it answered.</summary>
    public bool CodeBVerifySent { get; set; }

    /// <summary>The card-face certificate (and the chip proof's signature) follow the PIN status in the reading job's turn on the card.</summary>
    public bool CardFacePreparedByReading { get; set; }

    /// <summary>The card refused 照合番号B (the verification-result went to the terminal).</summary>
    public bool CodeBRefused { get; set; }

    /// <summary>Stops the running face attempt only (the patient switched to 目視); linked to <see cref="Stop"/>.</summary>
    public CancellationTokenSource? AttemptStop { get; set; }

    public bool RenewalShown { get; set; }

    /// <summary>The patient asked for 初回登録 on the registration screen.</summary>
    public bool RegistrationRequested { get; set; }

    public Terminal.VerificationMethod? Method { get; set; }

    /// <summary>目視 was used for this patient: the mode returns to automatic when the session ends.</summary>
    public bool VisualUsed { get; set; }

    public int FaceAttempt { get; set; }

    /// <summary>A step-up turn answered wrongly ended the face path for this visit (the PIN or staff remain).</summary>
    public bool FacePathEnded { get; set; }

    public int FaceNoMatches { get; set; }

    public bool AttemptRunning { get; set; }

    public FaceOutcome? FaceOutcome { get; set; }

    public PinSignature? PinSignature { get; set; }

    /// <summary>The PIN pad's tries left as last shown.</summary>
    public int PinTriesLeft { get; set; }

    public IReadOnlyList<ConsentItemView> ConsentItems { get; set; } = [];

    public Terminal.ConsentMode? ConsentMode { get; set; }

    public DateTimeOffset? ConsentAt { get; set; }

    public Terminal.PrescriptionForm? Prescription { get; set; }

    /// <summary>A result went to the outbox (the session is complete; a removal is no longer an abort).</summary>
    public bool Submitted { get; set; }

    public bool SubmitStarted { get; set; }

    /// <summary>Aborted: nothing more is sent for this session.</summary>
    public bool Aborted { get; set; }

    /// <summary>A job of this session (awaited before the patient is wiped). Called on the session task.</summary>
    public void Track(Task job)
    {
        _jobs.RemoveAll(t => t.IsCompleted);
        _jobs.Add(job);
    }

    /// <summary>Wipes what was read and decided (the card connection stays open for the terminal's APDU relay).</summary>
    public void WipeSecrets()
    {
        // Also called from a pool thread after an abort: each secret is taken exactly once.
        Interlocked.Exchange(ref _codeB, null)?.Dispose();
        Interlocked.Exchange(ref _template, null)?.Dispose();
        PinSignature = null;
        ConsentItems = [];
    }

    /// <summary>After an abort: waits for the cancelled jobs, then wipes (on the thread pool).</summary>
    public void WipeSecretsWhenJobsStop()
    {
        var jobs = _jobs.ToArray();
        _ = Task.WhenAll(jobs).ContinueWith(_ => WipeSecrets(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    public async ValueTask DisposeAsync()
    {
        await Stop.CancelAsync();

        // The card first (after its running operation, if any): the connection must be gone before the next patient's
        // card can be placed, whatever the other jobs (an OCR look, the camera, the terminal) still take to stop.
        await Task.Run(Card.Dispose);
        try
        {
            // Jobs observe the token; wait (bounded) so nothing still uses what is wiped below.
            await Task.WhenAll(_jobs).WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (OperationCanceledException)
        {
            // Jobs never throw anything else (SessionJobs turns failures into inputs).
        }
        catch (TimeoutException)
        {
            // A job stuck in a native call: wipe anyway; it fails on the disposed objects.
        }

        WipeSecrets();
        Certificate = null;
        if (Camera is not null)
        {
            await Camera.DisposeAsync();
            Camera = null;
        }

        AttemptStop?.Dispose();
        Stop.Dispose();
    }
}
