using Reader.Device.Hosting;
using Reader.Device.Hosting.Sections;
using Reader.Device.Session;

namespace Reader.Device.Tests;

/// <summary>The sections of the contract (src/Device/README.md): names, defaults where we run, validation.</summary>
[Collection("environment")]
public sealed class SectionsTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("reader-sections-").FullName;
    private readonly string? _run = Environment.GetEnvironmentVariable("READER_RUN");

    [Fact]
    public void Empty_values_resolve_to_development_folders_and_to_the_hardware_on_a_device_and_cameras_are_always_devices()
    {
        Environment.SetEnvironmentVariable("READER_RUN", "/tmp/run-x");
        var dev = ReaderConfiguration.LoadValidated(null, out _);
        Assert.Equal("v4l2:/dev/video0", dev.Get<CameraOptions>().ResolvedSource());
        Assert.Equal("ocr", dev.Get<CardFaceOptions>().Source);
        Assert.Equal("v4l2:/dev/video1?width=1280&height=960&fps=10&formats=mjpeg,yuyv", dev.Get<CardFaceCameraOptions>().ResolvedSource());
        Assert.Equal("log", dev.Get<GpioOptions>().ResolvedChip());
        Assert.Equal("/tmp/run-x/reader", dev.Get<ProtocolOptions>().ResolvedDataDirectory());
        Assert.Equal(("127.0.0.1", 18884), (dev.Get<ProtocolOptions>().ResolvedBrokerHost(), dev.Get<ProtocolOptions>().ResolvedPairingPort()));

        Environment.SetEnvironmentVariable("READER_RUN", null);
        var device = ReaderConfiguration.LoadValidated(null, out _);
        Assert.Equal("v4l2:/dev/video0", device.Get<CameraOptions>().ResolvedSource());
        Assert.Equal("ocr", device.Get<CardFaceOptions>().Source);
        Assert.Equal("v4l2:/dev/video1?width=1280&height=960&fps=10&formats=mjpeg,yuyv", device.Get<CardFaceCameraOptions>().ResolvedSource());
        Assert.Equal("gpiochip0", device.Get<GpioOptions>().ResolvedChip());
        Assert.Equal("/var/lib/reader", device.Get<ProtocolOptions>().ResolvedDataDirectory());
        Assert.Null(device.Get<ProtocolOptions>().ResolvedBrokerHost());
        Assert.Equal(1884, device.Get<ProtocolOptions>().ResolvedPairingPort());
    }

    [Fact]
    public void The_session_section_becomes_the_session_settings()
    {
        var file = Write("""{ "Session": { "FaceAttempts": 5, "Challenge": "random", "InactivitySeconds": 90, "ShufflePinKeys": true, "EPrescription": true } }""");
        var settings = ReaderConfiguration.LoadValidated(file, out _).Get<SessionOptions>().ToSettings();
        Assert.Equal((5, FaceChallenge.Random, TimeSpan.FromSeconds(90), true, true),
            (settings.FaceAttempts, settings.Challenge, settings.Inactivity, settings.ShufflePinKeys, settings.EPrescription));
        Assert.Equal(TimeSpan.FromSeconds(10), settings.CardLeftBehind);
    }

    [Fact]
    public void Wrong_values_of_the_new_sections_name_their_key()
    {
        var file = Write("""
            {
              "Kiosk": { "Address": "0.0.0.0", "Port": 70000 },
              "Camera": { "Source": "ftp://camera" },
              "CardFace": { "Source": "telepathy" },
              "Gpio": { "WorkingLine": 17 },
              "Vision": { "IntraOpThreads": 0 },
              "Protocol": { "CardCheckTimeoutMilliseconds": 5, "ReaderId": "Bad Id" },
              "Session": { "FaceAttempts": 0, "Challenge": "Dance" }
            }
            """);
        var problems = Assert.Throws<ConfigurationException>(() => ReaderConfiguration.LoadValidated(file, out _)).Problems;
        foreach (var key in new[]
        {
            "Kiosk:Address:", "Kiosk:Port:", "Camera:Source:", "CardFace:Source:", "Gpio:IdleLine/WorkingLine", "Vision:IntraOpThreads:",
            "Protocol:CardCheckTimeoutMilliseconds:", "Protocol:ReaderId:", "Session:FaceAttempts:", "Session:Challenge:",
        })
        {
            Assert.Contains(problems, p => p.StartsWith(key, StringComparison.Ordinal));
        }
    }

    public void Dispose()
    {
        Environment.SetEnvironmentVariable("READER_RUN", _run);
        Directory.Delete(_folder, recursive: true);
    }

    private string Write(string json)
    {
        var path = Path.Combine(_folder, Guid.NewGuid().ToString("N") + ".json");
        File.WriteAllText(path, json);
        return path;
    }
}
