using Reader.Imaging;

namespace Reader.HardwareSim.Camera;

/// <summary>
/// Turns a portrait's head by a small yaw in 2.5D: the head is a vertical cylinder (about the face's width) with the
/// nose standing out of it, so when it turns the middle of the face moves further than its sides (the near cheek
/// widens, the far one narrows) and the nose moves further still, against the eyes — the parallax a flat photo
/// moved in front of the camera does not show. The body below the chin does not turn; beyond the cylinder nothing moves.
/// Good for a few degrees (a horizontal resampling, no hidden parts revealed).
/// </summary>
internal static class HeadTurn
{
    /// <summary>A copy of <paramref name="image"/> with the head turned by <paramref name="yaw"/> radians (positive: the face moves to image right).</summary>
    internal static PixelBuffer Turn(PixelBuffer image, Portrait portrait, double yaw)
    {
        var turned = PixelBuffer.Rent(image.Width, image.Height, image.Format);
        image.Pixels.CopyTo(turned.Pixels);
        if (Math.Abs(yaw) < 1e-4)
        {
            return turned;
        }

        var face = portrait.Face;
        var centreX = portrait.FaceCentreX;
        var radius = 0.62f * face.Width;
        var noseDepth = 0.22f * face.Width;
        var noseX = portrait.NoseTip.X;
        var noseY = portrait.NoseTip.Y - (0.08f * face.Height);
        var sin = (float)Math.Sin(yaw);
        var shrink = 1 - (float)Math.Cos(yaw);

        // Rows of the head (from above the hair line to the chin), fading out down the neck.
        var top = face.Y - (0.6f * face.Height);
        var chin = face.Y + face.Height;
        var neck = 0.35f * face.Height;
        var y1 = Math.Max(0, (int)top);
        var y2 = Math.Min(image.Height - 1, (int)(chin + neck) + 1);
        var x1 = Math.Max(0, (int)(centreX - radius) - 1);
        var x2 = Math.Min(image.Width - 1, (int)(centreX + radius) + 1);
        for (var y = y1; y <= y2; y++)
        {
            var envelope = y <= chin ? 1f : Math.Clamp(1 - ((y - chin) / neck), 0f, 1f);
            if (envelope <= 0)
            {
                continue;
            }

            var source = image.Row(y);
            var target = turned.Row(y);
            var dyNose = (y - noseY) / (0.28f * face.Height);
            for (var x = x1; x <= x2; x++)
            {
                var xi = (x - centreX) / radius;
                if (xi * xi >= 1)
                {
                    continue;
                }

                // Where this frame pixel's point of the cylinder sat before the turn. A point at u moves by
                // R sin(yaw) cos(phi), foreshortened by (1 - cos yaw), and the nose by its depth times sin(yaw); the point
                // that lands on x is found by a few fixed-point steps u = x - shift(u) (a shift taken at x itself holds
                // only for a few degrees: past ~15° the nose's shift was read where the nose no longer is, and the
                // product's landmarks saw the turn shrink back).
                var u = (float)x;
                for (var step = 0; step < 6; step++)
                {
                    var ui = Math.Clamp((u - centreX) / radius, -1f, 1f);
                    var dxNose = (u - noseX) / (0.13f * face.Width);
                    var nose = noseDepth * MathF.Exp(-0.5f * ((dxNose * dxNose) + (dyNose * dyNose)));
                    var shift = envelope * ((radius * sin * MathF.Sqrt(1 - (ui * ui))) - ((u - centreX) * shrink) + (nose * sin));
                    u = (0.5f * u) + (0.5f * (x - shift));
                }

                Sample(source, u, target, x, image.Width);
            }
        }

        return turned;
    }

    private static void Sample(Span<byte> row, float x, Span<byte> target, int at, int width)
    {
        var x0 = Math.Clamp((int)MathF.Floor(x), 0, width - 1);
        var x1 = Math.Min(width - 1, x0 + 1);
        var f = Math.Clamp(x - x0, 0f, 1f);
        for (var c = 0; c < 3; c++)
        {
            target[(at * 3) + c] = (byte)((row[(x0 * 3) + c] * (1 - f)) + (row[(x1 * 3) + c] * f) + 0.5f);
        }
    }
}
