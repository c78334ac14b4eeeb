using Microsoft.AspNetCore.Routing;

namespace Reader.HardwareSim.Daemon;

/// <summary>
/// One piece of simulated hardware inside <c>reader-sim serve</c>: the virtual cards today; the virtual camera and
/// the GPIO sim plug in the same way (each maps its endpoints under /&lt;Name&gt;).
/// </summary>
public interface ISimPart : IAsyncDisposable
{
    string Name { get; }

    Task StartAsync(CancellationToken cancellationToken);

    void MapEndpoints(IEndpointRouteBuilder routes);

    object Status();
}
