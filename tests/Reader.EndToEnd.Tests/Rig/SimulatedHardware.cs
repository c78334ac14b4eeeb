using Reader.HardwareSim.Camera;
using Reader.HardwareSim.Card;
using Reader.HardwareSim.Daemon;
using Reader.HardwareSim.Pcscd;
using Reader.HardwareSim.Vpcd;

namespace Reader.EndToEnd.Tests.Rig;

/// <summary>
/// A private pcscd with vpcd on free ports, and the sim daemon in this process (virtual cards on that vpcd,
/// the virtual camera on a free loopback port, the control socket the reader reads printed card data from).
/// </summary>
internal sealed class SimulatedHardware : IAsyncDisposable
{
    private readonly CancellationTokenSource stop;
    private readonly Task daemon;

    private SimulatedHardware(PcscdInstance pcscd, VirtualReaders readers, CameraSimPart camera, string socket, CancellationTokenSource stop, Task daemon)
    {
        this.stop = stop;
        Pcscd = pcscd;
        Readers = readers;
        Camera = camera;
        ControlSocket = socket;
        this.daemon = daemon;
    }

    public PcscdInstance Pcscd { get; }

    public VirtualReaders Readers { get; }

    public CameraSimPart Camera { get; }

    public string ControlSocket { get; }

    public static async Task<SimulatedHardware> StartAsync(string folder, CancellationToken cancellationToken)
    {
        var pcscd = await PcscdInstance.StartPrivateAsync(Path.Combine(folder, "pcscd"), cancellationToken);
        var readers = new VirtualReaders(pcscd.VpcdBasePort, 2);
        // The card-face camera films slot 0's tray: the reader reads 照合番号B from it by OCR, as on a device.
        var tray = Reader.HardwareSim.CardFace.CardFaceCamera.OverSlot(readers, 0);
        var camera = new CameraSimPart(new CameraSimOptions { Port = FreePort.Next(), HolderPortrait = RigPaths.HolderPortrait, OtherPortrait = RigPaths.OtherPortrait }, cardFace: tray);
        var socket = Path.Combine(folder, "sim", "control.sock");
        var stop = new CancellationTokenSource();
        var daemon = Task.Run(() => SimDaemon.RunAsync(socket, [new CardSimPart(readers, insertDefaultCard: false, defaultPortrait: RigPaths.HolderPortrait), camera], stop.Token), CancellationToken.None);
        var hardware = new SimulatedHardware(pcscd, readers, camera, socket, stop, daemon);
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!SimDaemon.IsAnswering(socket))
        {
            if (daemon.IsFaulted || DateTime.UtcNow > deadline)
            {
                await hardware.DisposeAsync();
                throw new InvalidOperationException("the sim daemon did not start", daemon.Exception);
            }

            await Task.Delay(100, cancellationToken);
        }

        return hardware;
    }

    /// <summary>The card-face issuer the reader must trust to accept the virtual cards' 券面AP.</summary>
    public (string KeyId, string PublicKey) CardFaceIssuer =>
        (TestAuthorities.CardFaceCaKeyId, Convert.ToBase64String(Readers.Authorities.CardFaceCaPublicKeyTlv()));

    public async ValueTask DisposeAsync()
    {
        // The daemon stops its parts (cards, camera) and removes the socket when its token is cancelled. Whatever
        // it failed with was reported when the rig started; pcscd is stopped in any case.
        await stop.CancelAsync();
        try
        {
            await daemon.WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
        }
        finally
        {
            await Pcscd.DisposeAsync();
            stop.Dispose();
        }
    }
}
