using Reader.HardwareSim.Camera;
using Reader.HardwareSim.Daemon;

namespace Reader.HardwareSim.Patient;

/// <summary>
/// The patient's world over a running sim daemon (card slot and camera through its control socket) and,
/// for 目視, the clinic terminal (<see cref="TerminalOperator"/>; without one, switching the mode fails).
/// </summary>
public sealed class SimWorld(SimControlClient sim, int slot = 0, TerminalOperator? terminal = null) : IPatientWorld
{
    public async Task PlaceCardAsync(CardToPlace card, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(card);
        await sim.PostAsync($"/card/slots/{slot}/insert", new InsertRequest(card.CardId, card.Variant, card.Pin), cancellationToken);
    }

    public async Task TakeCardAsync(CancellationToken cancellationToken) =>
        await sim.PostAsync($"/card/slots/{slot}/remove", null, cancellationToken);

    public async Task ShowCameraAsync(SceneKind scene, CancellationToken cancellationToken) =>
        await sim.PostAsync("/camera/play", new CameraPlayRequest(SceneNames.Of(scene)), cancellationToken);

    public async Task SetReaderModeAsync(string mode, CancellationToken cancellationToken)
    {
        if (terminal is null || !OperatingSystem.IsLinux())
        {
            throw new PatientScriptException("switching the reader's mode needs the terminal (--broker-dir with a paired reader)");
        }

        await terminal.SetModeAsync(mode, cancellationToken);
    }
}
