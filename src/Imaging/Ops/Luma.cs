namespace Reader.Imaging.Ops;

/// <summary>
/// Grey from RGB with the BT.601 weights the landmark model was trained with:
/// 0.299 R + 0.587 G + 0.114 B, in 14-bit fixed point (as OpenCV's cvtColor), rounded to nearest.
/// </summary>
internal static class Luma
{
    internal const int RedWeight = 4899;
    internal const int GreenWeight = 9617;
    internal const int BlueWeight = 1868;
    internal const int Shift = 14;

    internal static byte Of(int red, int green, int blue) =>
        (byte)(((red * RedWeight) + (green * GreenWeight) + (blue * BlueWeight) + (1 << (Shift - 1))) >> Shift);
}
