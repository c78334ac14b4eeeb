using System.Net;
using Microsoft.AspNetCore.Http;

namespace Reader.Kiosk.Hosting;

/// <summary>
/// Defence in depth for a loopback server: only loopback peers, only loopback host names (no DNS
/// rebinding), same-origin JSON posts only (a post without an Origin header is refused: browsers always
/// send one, other local processes need not), and a strict content security policy on every answer.
/// </summary>
internal static class LoopbackGuard
{
    private const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; media-src 'self'; " +
        "connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    public static async Task Middleware(HttpContext context, RequestDelegate next)
    {
        var request = context.Request;
        var remote = context.Connection.RemoteIpAddress;
        if (remote is not null && !IPAddress.IsLoopback(remote))
        {
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            return;
        }

        if (!IsLoopbackHost(request.Host.Host))
        {
            context.Response.StatusCode = StatusCodes.Status421MisdirectedRequest;
            return;
        }

        if (HttpMethods.IsPost(request.Method))
        {
            var origin = request.Headers.Origin.ToString();
            if (!Uri.TryCreate(origin, UriKind.Absolute, out var originUri) || originUri.Scheme != Uri.UriSchemeHttp || !IsLoopbackHost(originUri.Host)
                || originUri.Port != (request.Host.Port ?? 80))
            {
                context.Response.StatusCode = StatusCodes.Status403Forbidden;
                return;
            }

            if (!(request.ContentType?.StartsWith("application/json", StringComparison.OrdinalIgnoreCase) ?? false))
            {
                context.Response.StatusCode = StatusCodes.Status415UnsupportedMediaType;
                return;
            }
        }

        var headers = context.Response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        headers.CacheControl = "no-store";
        await next(context);
    }

    private static bool IsLoopbackHost(string host) =>
        host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
        || (IPAddress.TryParse(host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));
}
