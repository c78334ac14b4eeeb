using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Reader.Device.Hosting.Sections;

namespace Reader.Device.Hosting;

/// <summary>
/// The registry of configuration sections. Each area registers its options class once
/// (<c>OptionsSections.Register&lt;CameraOptions&gt;("Camera")</c>); the host binds, validates and
/// registers every section at start, so a new area needs no change here.
/// </summary>
public static class OptionsSections
{
    private static readonly List<Section> Registered =
    [
        new("Logging", typeof(LoggingOptions)),
        new("Card", typeof(CardOptions)),
        new("Kiosk", typeof(KioskOptions)),
        new("Camera", typeof(CameraOptions)),
        new("CardFace", typeof(CardFaceOptions)),
        new("CardFaceCamera", typeof(CardFaceCameraOptions)),
        new("Gpio", typeof(GpioOptions)),
        new("Vision", typeof(VisionSectionOptions)),
        new("Protocol", typeof(ProtocolOptions)),
        new("Session", typeof(SessionOptions)),
        new("Firmware", typeof(FirmwareSectionOptions)),
    ];

    public static IReadOnlyList<(string Name, Type Type)> All
    {
        get
        {
            lock (Registered)
            {
                return [.. Registered.Select(s => (s.Name, s.Type))];
            }
        }
    }

    public static void Register<TOptions>(string section)
        where TOptions : class, IReaderOptions, new()
    {
        lock (Registered)
        {
            if (!Registered.Any(s => s.Name == section))
            {
                Registered.Add(new Section(section, typeof(TOptions)));
            }
        }
    }

    /// <summary>Binds every section; throws <see cref="ConfigurationException"/> listing every problem with its full key.</summary>
    public static IReadOnlyDictionary<Type, object> BindAndValidate(IConfiguration configuration)
    {
        var result = new Dictionary<Type, object>();
        var problems = new List<string>();
        foreach (var (name, type) in All)
        {
            object options;
            try
            {
                options = configuration.GetSection(name).Get(type, o => o.ErrorOnUnknownConfiguration = true) ?? Activator.CreateInstance(type)!;
            }
            catch (InvalidOperationException e)
            {
                problems.Add($"{name}: {Flatten(e)}");
                continue;
            }

            problems.AddRange(((IReaderOptions)options).Validate().Select(p => $"{name}:{p}"));
            result[type] = options;
        }

        if (problems.Count > 0)
        {
            throw new ConfigurationException(problems);
        }

        return result;
    }

    /// <summary>Registers each bound options object as a singleton of its own type.</summary>
    public static void AddTo(IServiceCollection services, IReadOnlyDictionary<Type, object> bound)
    {
        foreach (var (type, value) in bound)
        {
            services.AddSingleton(type, value);
        }
    }

    private static string Flatten(Exception e) => e.InnerException is null ? e.Message : $"{e.Message} {Flatten(e.InnerException)}";

    private sealed record Section(string Name, Type Type);
}
