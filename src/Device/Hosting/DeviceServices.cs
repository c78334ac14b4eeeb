using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Reader.Device.Hosting.SelfTest;

namespace Reader.Device.Hosting;

/// <summary>
/// The self-test's container: options of every registered section, logging and one <see cref="ISelfTestCheck"/>
/// per dependency. The service itself is composed in <see cref="ReaderService"/>; its terminal "self-test"
/// command runs the same checks with the <see cref="ServiceRuntime"/> of the running service.
/// </summary>
public static class DeviceServices
{
    public static IHost BuildHost(IReadOnlyDictionary<Type, object> options, ILoggerFactory loggerFactory, ServiceRuntime? runtime = null)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services.AddSingleton(loggerFactory);
        builder.Services.AddLogging();
        builder.Services.AddSingleton(loggerFactory);
        builder.Services.AddSingleton(runtime ?? ServiceRuntime.Standalone);
        OptionsSections.AddTo(builder.Services, options);
        AddSelfTestChecks(builder.Services);
        builder.Services.AddSingleton<SelfTestRunner>();
        return builder.Build();
    }

    /// <summary>Every dependency the service needs, in the order a technician would fix them.</summary>
    public static void AddSelfTestChecks(IServiceCollection services)
    {
        services.AddSingleton<ISelfTestCheck, LogFolderCheck>();
        services.AddSingleton<ISelfTestCheck, DataFolderCheck>();
        services.AddSingleton<ISelfTestCheck, PcscLibraryCheck>();
        services.AddSingleton<ISelfTestCheck, PcscServiceCheck>();
        services.AddSingleton<ISelfTestCheck, CardReaderCheck>();
        services.AddSingleton<ISelfTestCheck, CardFaceCheck>();
        services.AddSingleton<ISelfTestCheck, CardFaceIssuerCheck>();
        services.AddSingleton<ISelfTestCheck, ImageCodecsCheck>();
        services.AddSingleton<ISelfTestCheck, VisionCheck>();
        services.AddSingleton<ISelfTestCheck, CameraCheck>();
        services.AddSingleton<ISelfTestCheck, GpioCheck>();
        services.AddSingleton<ISelfTestCheck, BrokerCheck>();
        services.AddSingleton<ISelfTestCheck, KioskCheck>();
    }
}
