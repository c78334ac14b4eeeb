using System.Collections.Concurrent;
using SkiaSharp;
using Reader.HardwareSim.Card;
using Reader.Imaging;

namespace Reader.HardwareSim.CardFace;

/// <summary>
/// The virtual card-face camera: it films the tray of one slot. With a card in the slot it shows that card's printed
/// front, lying as it was placed (a new placement is drawn at every insertion, from <see cref="Effects"/>), frame
/// after frame with fresh sensor noise; with no card, the empty tray. The card's identity is the ground truth.
/// A card lying still is drawn once (<see cref="TrayScene"/>) and each frame only exposed from it (noise, JPEG): the
/// same frames as drawing each anew, for a fraction of the CPU (the drawing was most of a soak's simulator time).
/// </summary>
public sealed class CardFaceCamera : IDisposable
{
    private readonly Func<(VirtualCardIdentity Card, long Insertion)?> _cardOnTray;
    private readonly ConcurrentDictionary<string, SKBitmap> _artwork = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private CardFaceEffects _effects;
    private int _seed;
    private (long Insertion, CardPlacement Placement, int Frames)? _current;
    private (long Insertion, CardPlacement Placement)? _prepared;
    private (long Insertion, CardPlacement Placement, bool FingerOver, TrayScene Scene)? _scene;
    private TrayScene? _emptyTray;
    private long _framesRendered;
    private long _scenesDrawn;
    private bool _disposed;

    public CardFaceCamera(Func<(VirtualCardIdentity Card, long Insertion)?> cardOnTray, CardFaceEffects? effects = null, int? seed = null)
    {
        _cardOnTray = cardOnTray;
        _effects = effects ?? CardFaceEffects.Clean;
        _seed = seed ?? Random.Shared.Next();
    }

    /// <summary>The camera over the tray of <paramref name="slot"/>: it shows the card lying there, drawn as the card is placed.</summary>
    public static CardFaceCamera OverSlot(Vpcd.VirtualReaders readers, int slot = 0, CardFaceEffects? effects = null, int? seed = null)
    {
        ArgumentNullException.ThrowIfNull(readers);
        var camera = new CardFaceCamera(() => readers.PlacementIn(slot) is { } p ? (p.Card.Identity, p.Insertion) : null, effects, seed);
        readers.Placing += (placedIn, card, insertion) =>
        {
            if (placedIn == slot)
            {
                camera.Prepare(card.Identity, insertion);
            }
        };
        return camera;
    }

    /// <summary>The effects of the next placement (and of the current one, drawn again).</summary>
    public CardFaceEffects Effects
    {
        get
        {
            lock (_gate)
            {
                return _effects;
            }
        }
    }

    public long FramesRendered => Interlocked.Read(ref _framesRendered);

    /// <summary>Trays drawn so far (one per placement and finger state; each frame is only exposed from its tray).</summary>
    public long ScenesDrawn => Interlocked.Read(ref _scenesDrawn);

    /// <summary>The placement the camera sees now (null: empty tray).</summary>
    public CardPlacement? CurrentPlacement
    {
        get
        {
            lock (_gate)
            {
                return _current?.Placement;
            }
        }
    }

    /// <summary>New effects (and seed): the card on the tray is placed again with them.</summary>
    public void Play(CardFaceEffects effects, int? seed = null)
    {
        lock (_gate)
        {
            _effects = effects;
            _seed = seed ?? Random.Shared.Next();
            _current = null;
            _prepared = null;
        }
    }

    /// <summary>The frame now (RGB24 1280×960); the caller disposes it.</summary>
    public PixelBuffer Capture()
    {
        Interlocked.Increment(ref _framesRendered);
        var onTray = _cardOnTray();
        if (onTray is not { } card)
        {
            lock (_gate)
            {
                _current = null;
            }

            TrayScene empty;
            lock (_gate)
            {
                empty = _emptyTray ??= TrayCamera.DrawEmptyScene();
            }

            return TrayCamera.Expose(empty, (int)(FramesRendered & 0xFFFF));
        }

        CardPlacement placement;
        int frame;
        lock (_gate)
        {
            if (_current is not { } current || current.Insertion != card.Insertion)
            {
                current = (card.Insertion, _prepared is { } prepared && prepared.Insertion == card.Insertion ? prepared.Placement : PlanFor(card.Insertion), 0);
            }

            placement = current.Placement;
            frame = current.Frames;
            _current = current with { Frames = current.Frames + 1 };
        }

        return TrayCamera.Expose(SceneOf(card.Card, card.Insertion, placement, TrayCamera.FingerOver(placement, frame)), frame);
    }

    /// <summary>
    /// Draws the tray for a card about to be placed (its insertion number <paramref name="insertion"/>), so the first
    /// frame after the placement shows it. A real camera sees the card the instant it lies there; drawn on the first
    /// capture instead, the new card appeared only after the drawing (measured: 220–380 ms after the reader's look
    /// began on the 2-core host, against one frame interval, 67 ms, for a camera), and the reader's OCR waited for the
    /// simulator.
    /// </summary>
    public void Prepare(VirtualCardIdentity card, long insertion)
    {
        ArgumentNullException.ThrowIfNull(card);
        CardPlacement placement;
        lock (_gate)
        {
            if (_disposed)
            {
                return; // the readers outlived this camera
            }

            placement = PlanFor(insertion);
            _prepared = (insertion, placement);
        }

        _ = SceneOf(card, insertion, placement, TrayCamera.FingerOver(placement, 0));
    }

    // The same placement for an insertion whether prepared or drawn on first sight (the caller holds _gate).
    private CardPlacement PlanFor(long insertion) => CardFaceScenePlanner.Plan(_effects, new Random(unchecked((_seed * 31) + (int)insertion)));

    /// <summary>The drawn tray for this placement (drawn again only when the card, its placement or the finger changed).</summary>
    private TrayScene SceneOf(VirtualCardIdentity card, long insertion, CardPlacement placement, bool fingerOver)
    {
        lock (_gate)
        {
            if (_scene is { } kept && kept.Insertion == insertion && ReferenceEquals(kept.Placement, placement) && kept.FingerOver == fingerOver)
            {
                return kept.Scene;
            }
        }

        var artwork = _artwork.GetOrAdd(card.Id, _ => Draw(card));
        var scene = TrayCamera.DrawScene(artwork, placement, fingerOver);
        Interlocked.Increment(ref _scenesDrawn);
        lock (_gate)
        {
            // The scene replaced is not wiped here: a frame being exposed from it on another thread (a snapshot) may still read it.
            _scene = (insertion, placement, fingerOver, scene);
        }

        return scene;
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            _scene?.Scene.Dispose();
            _scene = null;
            _emptyTray?.Dispose();
            _emptyTray = null;
        }

        foreach (var bitmap in _artwork.Values)
        {
            bitmap.Dispose();
        }

        _artwork.Clear();
    }

    /// <summary>The printed front of <paramref name="card"/> with its holder's portrait.</summary>
    public static SKBitmap Draw(VirtualCardIdentity card)
    {
        ArgumentNullException.ThrowIfNull(card);
        var portrait = card.Spec.PortraitPath ?? CardPhoto.DefaultPortrait();
        using var photo = portrait is not null && File.Exists(portrait) ? SKBitmap.Decode(portrait) : null;
        return CardFaceArtwork.Draw(card.Printed, photo, TrayCamera.ArtworkPixelsPerMm, card.Id.GetHashCode(StringComparison.Ordinal));
    }
}
