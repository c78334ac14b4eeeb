using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Reader.Device.Hosting.SelfTest;

namespace Reader.Device.Hosting;

/// <summary>
/// The one place where the service is composed: options of every registered section, logging, self-test checks
/// and the background services. Areas add theirs here (e.g. a Vision or GPIO self-test check).
/// </summary>
public static class DeviceServices
{
    public static IHost BuildHost(IReadOnlyDictionary<Type, object> options, ILoggerFactory loggerFactory, bool runService)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services.AddSingleton(loggerFactory);
        builder.Services.AddLogging();
        builder.Services.AddSingleton(loggerFactory);
        OptionsSections.AddTo(builder.Services, options);
        AddSelfTestChecks(builder.Services);
        builder.Services.AddSingleton<SelfTestRunner>();
        if (runService)
        {
            builder.Services.AddHostedService<CardMonitorService>();
        }

        return builder.Build();
    }

    public static void AddSelfTestChecks(IServiceCollection services)
    {
        services.AddSingleton<ISelfTestCheck, LogFolderCheck>();
        services.AddSingleton<ISelfTestCheck, PcscLibraryCheck>();
        services.AddSingleton<ISelfTestCheck, PcscServiceCheck>();
        services.AddSingleton<ISelfTestCheck, CardReaderCheck>();
    }
}
