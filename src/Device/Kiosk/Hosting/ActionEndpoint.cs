using System.Buffers;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Reader.Kiosk.Contract;
using Reader.Kiosk.Session;

namespace Reader.Kiosk.Hosting;

/// <summary>
/// <c>POST /api/action</c>: one press. The body is read into a buffer that is wiped after parsing
/// (it may hold a PIN), the action is checked against the current state version, handed to the
/// session once, and any PIN digits are wiped when the session returns. Nothing of the body is logged.
/// </summary>
internal static class ActionEndpoint
{
    public static async Task HandleAsync(HttpContext context, IKioskSession session, int maxBytes, ILogger logger)
    {
        var response = context.Response;
        var buffer = ArrayPool<byte>.Shared.Rent(maxBytes + 1);
        KioskAction? action = null;
        try
        {
            var length = await ReadBodyAsync(context.Request.Body, buffer, maxBytes + 1, context.RequestAborted);
            if (length > maxBytes)
            {
                await WriteAsync(response, StatusCodes.Status413PayloadTooLarge, "too-large", session.Current.Version);
                return;
            }

            try
            {
                action = KioskJson.DeserializeAction(buffer.AsSpan(0, length));
            }
            catch (JsonException)
            {
                action = null;
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(buffer);
            ArrayPool<byte>.Shared.Return(buffer);
        }

        if (action is null)
        {
            await WriteAsync(response, StatusCodes.Status400BadRequest, "malformed-action", session.Current.Version);
            return;
        }

        try
        {
            var current = session.Current.Version;
            if (action.StateVersion is long seen && !session.AcceptsPressOn(seen))
            {
                await WriteAsync(response, StatusCodes.Status409Conflict, "stale", current);
                return;
            }

            var outcome = await session.HandleActionAsync(action, context.RequestAborted);
            if (logger.IsEnabled(LogLevel.Debug))
            {
                logger.LogDebug("Kiosk action {Action} at state {Version}: {Outcome}", action.GetType().Name, current, outcome);
            }

            var (status, code) = outcome switch
            {
                ActionOutcome.Accepted => (StatusCodes.Status202Accepted, "accepted"),
                ActionOutcome.Stale => (StatusCodes.Status409Conflict, "stale"),
                _ => (StatusCodes.Status422UnprocessableEntity, "not-allowed"),
            };
            await WriteAsync(response, status, code, session.Current.Version);
        }
        finally
        {
            if (action is KioskAction.SubmitPin submit)
            {
                submit.Pin.Dispose();
            }
        }
    }

    private static async Task<int> ReadBodyAsync(Stream body, byte[] buffer, int limit, CancellationToken cancellationToken)
    {
        var total = 0;
        while (total < limit)
        {
            var read = await body.ReadAsync(buffer.AsMemory(total, limit - total), cancellationToken);
            if (read == 0)
            {
                break;
            }

            total += read;
        }

        return total;
    }

    private static Task WriteAsync(HttpResponse response, int status, string outcome, long version)
    {
        response.StatusCode = status;
        response.ContentType = "application/json";
        return response.WriteAsync($"{{\"outcome\":\"{outcome}\",\"version\":{version}}}");
    }
}
