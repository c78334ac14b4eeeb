using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Reader.Device.Session.Seams;

namespace Reader.Device.Session;

/// <summary>Everything outside the session it talks to, one seam per device family (fakes in unit tests).</summary>
internal sealed record SessionPorts
{
    public required ICardAccess Card { get; init; }

    public required IFaceMatcher Face { get; init; }

    public required ICameraProvider Camera { get; init; }

    public required ICardFaceReader CardFace { get; init; }

    public required ITerminalLink Link { get; init; }

    public required IStatusLights Lights { get; init; }

    public TimeProvider Time { get; init; } = TimeProvider.System;

    public ISessionObserver? Observer { get; init; }

    public CameraPreview Preview { get; init; } = new(320);

    public ILogger Logger { get; init; } = NullLogger.Instance;

    /// <summary>Run once a session has ended and its visit is wiped, unless the next has begun (see <see cref="BetweenPatients"/>).</summary>
    public Action BetweenPatients { get; init; } = Session.BetweenPatients.CollectGarbage;

    /// <summary>Only this reader starts sessions (empty: the first reader a card is placed on).</summary>
    public string? ReaderName { get; init; }
}
