using System.Text;
using Microsoft.AspNetCore.Http;
using Reader.Kiosk.Contract;
using Reader.Kiosk.Session;

namespace Reader.Kiosk.Preview;

/// <summary>
/// Serves the preview as multipart/x-mixed-replace (what an &lt;img&gt; shows as live video), only while
/// the face-capture screen asks for it: the stream ends as soon as the screen changes.
/// </summary>
internal static class MjpegStream
{
    private const string Boundary = "frame";

    public static bool IsPreviewShowing(ScreenState state) => state.Screen is KioskScreen.FaceCapture { Preview: true };

    public static async Task WriteAsync(HttpContext context, IKioskSession session, IKioskPreviewSource source)
    {
        var response = context.Response;
        if (!IsPreviewShowing(session.Current))
        {
            response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        response.ContentType = $"multipart/x-mixed-replace; boundary={Boundary}";
        response.Headers.CacheControl = "no-store";
        var aborted = context.RequestAborted;
        try
        {
            await foreach (var frame in source.ReadFramesAsync(aborted))
            {
                using (frame)
                {
                    if (!IsPreviewShowing(session.Current))
                    {
                        break;
                    }

                    var header = Encoding.ASCII.GetBytes(
                        $"--{Boundary}\r\nContent-Type: image/jpeg\r\nContent-Length: {frame.Jpeg.Length}\r\n\r\n");
                    await response.Body.WriteAsync(header, aborted);
                    await response.Body.WriteAsync(frame.Jpeg, aborted);
                    await response.Body.WriteAsync("\r\n"u8.ToArray(), aborted);
                    await response.Body.FlushAsync(aborted);
                }
            }
        }
        catch (OperationCanceledException) when (aborted.IsCancellationRequested)
        {
            // The page went away; nothing to clean up beyond the frame already wiped.
        }
    }
}
