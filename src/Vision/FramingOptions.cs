using Reader.Imaging;

namespace Reader.Vision;

/// <summary>
/// What the pipeline does with a face that fills the frame or runs off its edge (a tight passport-style
/// chip photo, a patient leaning in): the frame is padded and searched again, and landmarks and alignment
/// run on the padded copy so a cut-off chin or forehead does not pull the points inwards. Measured
/// defaults: see src/Vision/README.md ("Framing").
/// </summary>
public sealed class FramingOptions
{
    /// <summary>Search a padded copy of the frame when the first pass finds no face or a face that needs room.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Border added on each side, as a fraction of the frame's width (left/right) and height (top/bottom).</summary>
    public double Padding { get; set; } = 0.3;

    /// <summary>Border for a third search when the padded copy still shows no face, or one that fills it or touches its
    /// edge (a crop cut inside the face), its face taken unless the padded copy's scores higher; 0 = no third search. Measured on faces-dev crops cut 15 % into the face box:
    /// src/Vision/README.md ("Framing").</summary>
    public double WiderPadding { get; set; } = 0.6;

    /// <summary>Border for a last search on a frame whose face needs room (none found, at an edge, or filling the frame),
    /// after <see cref="WiderPadding"/>: a face cut inside its box at forehead and chin can be larger than the wider copy's
    /// anchors find, while the padded copy shows a confident box over part of it (faces-dev cut 15 % into the face box:
    /// img17's brows-to-lip box, score 0.84, against the whole face at 1.0, score 0.97); 0 = none.</summary>
    public double WidestPadding { get; set; } = 1.0;

    /// <summary>A wider copy's face replaces the padded copy's when it scores at least this much higher (the detector
    /// scores a whole face above a part of one; near-equal scores keep the finer, less padded search).</summary>
    public float WiderScoreMargin { get; set; } = 0.05f;

    /// <summary>How the border is filled: plain grey by default (measured against replicated edges on tight crops of
    /// faces-dev: TAR at FAR 1e-3 99.64 / 100 / 99.29 % vs 98.93 / 99.64 / 99.29 % at margins +5 / +15 / −5 %; a flat
    /// border looks like a passport photo's backdrop, smeared edge pixels do not).</summary>
    public BorderMode Fill { get; set; } = BorderMode.Constant;

    /// <summary>Grey level of a <see cref="BorderMode.Constant"/> border.</summary>
    public byte FillValue { get; set; } = 127;

    /// <summary>A face box closer than this fraction of the frame to an edge counts as touching it.</summary>
    public double EdgeMargin { get; set; } = 0.02;

    /// <summary>A face box taller than this fraction of the frame is searched again with room around it.</summary>
    public double LargeFaceFraction { get; set; } = 0.6;

    /// <summary>Best boxes of the two searches overlapping at least this much (IoU) are one face: the first search's box is kept.</summary>
    public float SameFaceOverlap { get; set; } = 0.7f;

    /// <summary>Align a face cut by the frame edge on the frame itself, the part outside reading black (0) as for any face
    /// near an edge and as in the embedding model's own alignment (warp border 0), rather than on the padded copy, whose
    /// grey border would show in the aligned face. Landmarks are still read on the padded copy. Measured on faces-dev cut
    /// 5 % and 15 % into the face box: TAR at the configured threshold 98.93 / 98.57 % against 98.57 / 97.50 % on the
    /// padded copy (src/Vision/README.md, "Faces cut by the frame edge").</summary>
    public bool AlignOnFrame { get; set; } = true;

    internal BorderFill BorderFill => new(Fill, FillValue);

    /// <summary>Throws <see cref="ArgumentException"/> naming the first setting out of range.</summary>
    public void Validate()
    {
        Check(Padding is >= 0.05 and <= 2, nameof(Padding), "0.05..2");
        Check(WiderPadding == 0 || (WiderPadding > Padding && WiderPadding <= 3), nameof(WiderPadding), "0 or above Padding, up to 3");
        Check(WidestPadding == 0 || (WidestPadding > WiderPadding && WidestPadding <= 3), nameof(WidestPadding), "0 or above WiderPadding, up to 3");
        Check(WiderScoreMargin is >= 0 and <= 1, nameof(WiderScoreMargin), "0..1");
        Check(Enum.IsDefined(Fill), nameof(Fill), "Constant or Replicate");
        Check(EdgeMargin is >= 0 and <= 0.25, nameof(EdgeMargin), "0..0.25");
        Check(SameFaceOverlap is > 0 and <= 1, nameof(SameFaceOverlap), "(0, 1]");
        Check(LargeFaceFraction is > 0 and <= 2, nameof(LargeFaceFraction), "(0, 2]");

        static void Check(bool ok, string name, string expected)
        {
            if (!ok)
            {
                throw new ArgumentException($"Vision option Framing.{name} must be {expected}", name);
            }
        }
    }
}
