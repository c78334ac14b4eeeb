using Reader.Camera;
using Reader.CardFace;
using Reader.CardFace.Reading;
using Reader.CardFace.Recognition;
using Reader.Device.Session.Seams;
using Reader.Imaging;
using Reader.Imaging.Ops;

namespace Reader.Device.Session.Adapters;

/// <summary>
/// 照合番号B by OCR of the printed card face: the card-face camera (opened on the first look; closed as soon as a look
/// gives an accepted reading, else after <see cref="IdleClose"/> without a look) gives frames until two in a row agree
/// (the card has settled); each frame is read by the <see cref="CardFaceScanner"/> off the session thread while the
/// next arrives, the reading of the first of the agreeing pair is kept, and every frame is disposed (zeroed) once its
/// read is done.
/// The engine is made on first use (the OCR model loads once) or given.
/// </summary>
public sealed class OcrCardFaceReader : ICardFaceReader, IAsyncDisposable
{
    /// <summary>After a look without an accepted reading, the camera closes after this long without another look.</summary>
    public static readonly TimeSpan IdleClose = TimeSpan.FromSeconds(5);

    private const int MaxSettleFrames = 8;
    private readonly Func<ICameraSource> _openCamera;
    private readonly Func<ITextLineRecognizer> _createEngine;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly bool _ownsEngine;
    private ICameraSource? _camera;
    private ITimer? _closer;
    private Task _closing = Task.CompletedTask;
    private CardFaceScanner? _scanner;
    private ITextLineRecognizer? _engine;

    public OcrCardFaceReader(Func<ICameraSource> openCamera, Func<ITextLineRecognizer> createEngine, CardFaceGateOptions? gate = null, TimeProvider? time = null)
    {
        _openCamera = openCamera;
        _createEngine = createEngine;
        _time = time ?? TimeProvider.System;
        Gate = gate ?? new CardFaceGateOptions();
        _ownsEngine = true;
    }

    /// <summary>With an engine the caller owns (tests, bench).</summary>
    public OcrCardFaceReader(Func<ICameraSource> openCamera, ITextLineRecognizer engine, CardFaceGateOptions? gate = null, TimeProvider? time = null)
        : this(openCamera, () => engine, gate, time) => _ownsEngine = false;

    public CardFaceGateOptions Gate { get; }

    /// <summary>Loads the OCR engine now (at service start, so the first patient does not wait for it).</summary>
    public async Task WarmUpAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            Scanner();
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task<CardFaceReading> LookAsync(string readerName, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var scanner = Scanner();
            _closer?.Dispose();
            _closer = null;
            ICameraSource camera;
            try
            {
                await _closing; // the last handle is closed before another is opened (a V4L2 node streams to one)
                camera = _camera ??= await Task.Run(_openCamera, cancellationToken);
            }
            catch (Exception e) when (e is CameraException or ArgumentException or IOException)
            {
                throw new CardFaceUnavailableException("the card-face camera cannot be opened: " + e.Message, e);
            }

            var today = DateOnly.FromDateTime(_time.GetUtcNow().ToOffset(TimeSpan.FromHours(9)).DateTime);
            var reading = await ReadSettledAsync(camera, frame => scanner.Read(frame.Image, today), cancellationToken)
                ?? CardFaceReading.Failed(CardFaceProblem.NoCard);
            if (reading.Accepted)
            {
                // The card face is read: the camera stops filming it now rather than after the idle time. The session
                // looks again after an accepted reading only when the printed expiry disagrees with the certificate;
                // that look opens the camera again. Closed behind the reading, since closing a V4L2 stream waits for
                // its capture thread's next frame and 照合番号B should not.
                CloseCameraInBackground();
            }

            return reading;
        }
        catch (CameraException e)
        {
            await CloseCameraAsync();
            throw new CardFaceUnavailableException("the card-face camera failed: " + e.Message, e);
        }
        finally
        {
            if (_camera is not null && _closer is null)
            {
                _closer = _time.CreateTimer(_ => _ = CloseWhenIdleAsync(), null, IdleClose, Timeout.InfiniteTimeSpan);
            }

            _gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _gate.WaitAsync();
        try
        {
            _closer?.Dispose();
            await CloseCameraAsync();
            if (_ownsEngine)
            {
                _engine?.Dispose();
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    private CardFaceScanner Scanner()
    {
        if (_scanner is not null)
        {
            return _scanner;
        }

        try
        {
            _engine = _createEngine();
        }
        catch (TextRecognizerUnavailableException e)
        {
            throw new CardFaceUnavailableException("the OCR engine is not available: " + e.Message, e);
        }

        return _scanner = new CardFaceScanner(_engine, Gate);
    }

    /// <summary>
    /// Frames until two in a row differ little (a card still sliding or a hand moving away blurs the read); each frame
    /// is read by OCR while the next one arrives, and its reading stands once the next frame agrees with it (the card
    /// had settled), so the look costs one frame interval less than reading the second frame. A reading whose frame
    /// was not settled is thrown away (its frame is wiped only after the read is done with its pixels). A settled empty
    /// tray is watched on once (the first frames of a look may predate the placement). Null
    /// when the camera gave no frame.
    /// </summary>
    private static async Task<CardFaceReading?> ReadSettledAsync(ICameraSource camera, Func<CameraFrame, CardFaceReading> read, CancellationToken cancellationToken)
    {
        CameraFrame? pending = null;
        Task<CardFaceReading>? reading = null;
        var watchedOn = false;
        var thumb = new byte[80 * 60];
        var previousThumb = new byte[80 * 60];
        try
        {
            for (var i = 0; i < MaxSettleFrames; i++)
            {
                var frame = await camera.NextFrameAsync(cancellationToken);
                if (frame is null)
                {
                    break; // the camera ended: the last frame's reading is the best there is
                }

                Thumbnail(frame.Image, thumb);
                if (reading is not null && MeanDifference(thumb, previousThumb) < 4)
                {
                    frame.Dispose();
                    var settled = await TakeAsync();
                    if (settled.Problem != CardFaceProblem.NoCard || watchedOn || i == MaxSettleFrames - 1)
                    {
                        return settled;
                    }

                    // The tray still looks empty, though the reader holds the card: a camera delivers a frame or two
                    // from before the placement, so watch on once instead of failing the look (a failed look costs the
                    // patient a re-look, SessionMachine's 0.7 s, or a prompt); a tray still empty then fails as before.
                    settled.Dispose();
                    watchedOn = true;
                    continue;
                }

                // Not settled (or the first frame): the earlier read, if any, is of no use; read this frame instead.
                await DiscardAsync();
                pending = frame;
                reading = Task.Run(() => read(frame), cancellationToken);
                (thumb, previousThumb) = (previousThumb, thumb);
            }

            // Never settled within the frames allowed: as before, the last frame's reading decides.
            return reading is null ? null : await TakeAsync();
        }
        finally
        {
            await DiscardAsync();

            // Thumbnails of the card face are pixels too.
            Array.Clear(thumb);
            Array.Clear(previousThumb);
        }

        async Task<CardFaceReading> TakeAsync()
        {
            var done = reading!;
            reading = null;
            try
            {
                return await done;
            }
            finally
            {
                pending?.Dispose();
                pending = null;
            }
        }

        async Task DiscardAsync()
        {
            if (reading is { } unused)
            {
                reading = null;
                try
                {
                    (await unused).Dispose();
                }
                catch (Exception) when (unused.IsCanceled || unused.IsFaulted)
                {
                    // A read that failed or never started leaves nothing to wipe but its frame.
                }
            }

            pending?.Dispose();
            pending = null;
        }
    }

    private static void Thumbnail(PixelBuffer image, byte[] into)
    {
        using var small = ImageOps.Resize(image, 80, 60, ResizeFilter.Area);
        using var grey = small.Format == PixelFormat.Grey8 ? small.Clone() : ImageOps.Convert(small, PixelFormat.Grey8);
        grey.Pixels.CopyTo(into);
    }

    private static double MeanDifference(byte[] a, byte[] b)
    {
        long sum = 0;
        for (var i = 0; i < a.Length; i++)
        {
            sum += Math.Abs(a[i] - b[i]);
        }

        return (double)sum / a.Length;
    }

    private async Task CloseWhenIdleAsync()
    {
        if (!await _gate.WaitAsync(0))
        {
            return; // a look is running: it re-arms the timer
        }

        try
        {
            _closer?.Dispose();
            _closer = null;
            await CloseCameraAsync();
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task CloseCameraAsync()
    {
        var camera = _camera;
        _camera = null;
        await _closing;
        if (camera is not null)
        {
            await camera.DisposeAsync();
        }
    }

    // The caller holds _gate; the next look, the idle close and DisposeAsync await _closing before they touch a camera,
    // so the camera closed here was opened after the last close ended and one close never overlaps another.
    private void CloseCameraInBackground()
    {
        var camera = _camera;
        _camera = null;
        if (camera is not null)
        {
            _closing = Task.Run(async () =>
            {
                try
                {
                    await camera.DisposeAsync();
                }
                catch (Exception e) when (e is CameraException or IOException or ObjectDisposedException)
                {
                    // The old handle is gone either way; the next look's open reports a camera that is really broken.
                }
            });
        }
    }
}

/// <summary>No card-face camera or OCR on this reader: the face path reports itself unavailable (PIN and 目視 work).</summary>
public sealed class UnavailableCardFaceReader(string reason) : ICardFaceReader
{
    public Task<CardFaceReading> LookAsync(string readerName, CancellationToken cancellationToken) =>
        Task.FromException<CardFaceReading>(new CardFaceUnavailableException(reason));
}
