using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Reader.Kiosk.Preview;
using Reader.Kiosk.Session;
using Reader.Kiosk.Voice;

namespace Reader.Kiosk.Hosting;

/// <summary>
/// The touchscreen's web server: the page, its string tables and voice, the state stream (SSE) and
/// the action endpoint, on loopback. The service starts one with its <see cref="IKioskSession"/>.
/// </summary>
public sealed class KioskHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly CancellationTokenSource _stopping = new();
    private Task _warmUp = Task.CompletedTask;

    private KioskHost(WebApplication app, VoiceGuide voice, Uri address, KioskAccessKey key, KioskPages pages)
    {
        _app = app;
        Pages = pages;
        Voice = voice;
        BaseAddress = address;
        PageAddress = new Uri(address, $"?{KioskAccessKey.QueryName}={key.Value}");
    }

    /// <summary>Where the page is, e.g. <c>http://127.0.0.1:8790/</c> (the real port when 0 was asked for).</summary>
    public Uri BaseAddress { get; }

    /// <summary>
    /// What the kiosk browser opens: <see cref="BaseAddress"/> with the access key (<c>/?key=…</c>), which the host
    /// exchanges for the session cookie <c>/api/*</c> requires. A secret: never print or log it.
    /// </summary>
    public Uri PageAddress { get; }

    /// <summary>The session cookie a client other than the browser sends (<c>Cookie:</c> header value).</summary>
    public string AccessCookie => $"{KioskAccessKey.CookieName}={PageAddress.Query[(KioskAccessKey.QueryName.Length + 2)..]}";

    public VoiceGuide Voice { get; }

    /// <summary>Whether the touchscreen's browser follows the page (the service's status names a crashed browser).</summary>
    public KioskPages Pages { get; }

    public static async Task<KioskHost> StartAsync(
        IKioskSession session,
        KioskHostOptions? options = null,
        IKioskPreviewSource? preview = null,
        ILoggerFactory? loggerFactory = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(session);
        options ??= new KioskHostOptions();
        options.Validate();
        loggerFactory ??= NullLoggerFactory.Instance;

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ContentRootPath = AppContext.BaseDirectory,
            ApplicationName = typeof(KioskHost).Assembly.GetName().Name,
        });
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(loggerFactory);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(options.Address, options.Port);
        });

        var key = KioskAccessKey.LoadOrCreate(options.AccessKeyFile);
        var voice = new VoiceGuide(options.Voice, loggerFactory.CreateLogger<VoiceGuide>());
        var app = builder.Build();
        var pages = new KioskPages(TimeProvider.System);
        var context = new KioskEndpoints(session, options, new PageAssets(options.StaticRoot), voice, preview, pages,
            loggerFactory.CreateLogger<KioskHost>());
        app.Use(LoopbackGuard.Middleware);
        app.Use(key.Middleware);
        context.Map(app);

        await app.StartAsync(cancellationToken);
        var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()
            ?? throw new InvalidOperationException("The kiosk server reported no address.");
        var address = new Uri(bound.Replace("[::]", "[::1]", StringComparison.Ordinal).TrimEnd('/') + "/");

        var host = new KioskHost(app, voice, address, key, pages);
        if (options.Voice.WarmUpLanguages.Count > 0)
        {
            // Background and sequential: the first patient hears Japanese at once without slowing start-up.
            var stopping = host._stopping.Token;
            host._warmUp = Task.Run(() => voice.WarmUpAsync(options.Voice.WarmUpLanguages, stopping), stopping);
        }

        return host;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        try
        {
            await _warmUp;
        }
        catch (OperationCanceledException)
        {
            // Warm-up is best effort.
        }

        await _app.StopAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_stopping.IsCancellationRequested)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await StopAsync(timeout.Token);
        }

        await _app.DisposeAsync();
        Voice.Dispose();
        _stopping.Dispose();
    }
}
