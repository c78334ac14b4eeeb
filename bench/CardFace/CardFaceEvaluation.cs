using System.Globalization;
using System.Text.Json;
using Reader.CardFace.Reading;

namespace Reader.CardFace.Bench;

/// <summary>
/// Tallies card-face reads against the truth, the same way for rendered cards (<c>eval-rendered</c>) and for
/// labelled photos (<c>eval --labels</c>), and prints the JSON both end with. A placement is up
/// to <see cref="FramesPerPlacement"/> looks; it ends at the first accepted read. Per placement: an exact match
/// (accepted and right), a wrong verify (accepted and wrong: what the card would have been sent), or a re-place
/// (nothing accepted). An image that must be refused counts as a wrong verify when accepted.
/// </summary>
internal sealed class CardFaceEvaluation
{
    public const int FramesPerPlacement = 3;

    private readonly List<double> _frameMs = [];
    private readonly List<double> _placementMs = [];
    private readonly Dictionary<CardFaceProblem, int> _problems = [];
    private int _placements;
    private int _expectingCode;
    private int _exact;
    private int _wrong;
    private int _replaced;
    private int _refusedCorrectly;
    private int _frames;

    /// <summary>Records one placement: the looks' outcomes in order (the last is accepted or the placement was given up).</summary>
    /// <param name="truth">The right 照合番号B, or empty for an image that must be refused.</param>
    /// <param name="looks">Per look: the problem (None = accepted), whether an accepted code equalled the truth, its time.</param>
    public void Add(bool hasTruth, IReadOnlyList<(CardFaceProblem Problem, bool Correct, double Milliseconds)> looks)
    {
        ArgumentNullException.ThrowIfNull(looks);
        _placements++;
        if (hasTruth)
        {
            _expectingCode++;
        }

        double total = 0;
        var accepted = false;
        foreach (var (problem, correct, ms) in looks)
        {
            _frames++;
            _frameMs.Add(ms);
            total += ms;
            if (problem == CardFaceProblem.None)
            {
                accepted = true;
                if (hasTruth && correct)
                {
                    _exact++;
                }
                else
                {
                    _wrong++;
                }

                break;
            }

            _problems[problem] = _problems.GetValueOrDefault(problem) + 1;
        }

        _placementMs.Add(total);
        if (!accepted)
        {
            _replaced++;
            if (!hasTruth)
            {
                _refusedCorrectly++;
            }
        }
    }

    public int Placements => _placements;

    public int WrongVerify => _wrong;

    public double ExactMatch => _expectingCode == 0 ? 0 : (double)_exact / _expectingCode;

    public double ReplaceRate => _placements == 0 ? 0 : (double)_replaced / _placements;

    /// <summary>The summary as one JSON object (the last line of <c>ocr eval</c>).</summary>
    public string ToJson(string engine, IReadOnlyDictionary<string, object>? extra = null)
    {
        var summary = new Dictionary<string, object>
        {
            ["engine"] = engine,
            ["n"] = _placements,
            ["frames"] = _frames,
            ["exact_match"] = Math.Round(ExactMatch, 4),
            ["wrong_verify"] = _wrong,
            ["replace_rate"] = Math.Round(ReplaceRate, 4),
            ["refused_correctly"] = _refusedCorrectly,
            ["p50_ms"] = Percentile(_frameMs, 0.50),
            ["p95_ms"] = Percentile(_frameMs, 0.95),
            ["placement_p95_ms"] = Percentile(_placementMs, 0.95),
            ["problems"] = _problems.OrderBy(p => p.Key).ToDictionary(p => Kebab(p.Key), p => p.Value),
        };
        if (extra is not null)
        {
            foreach (var (key, value) in extra)
            {
                summary[key] = value;
            }
        }

        return JsonSerializer.Serialize(summary);
    }

    public static double Percentile(List<double> values, double p)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count == 0)
        {
            return 0;
        }

        var sorted = values.Order().ToArray();
        var index = (int)Math.Ceiling(p * sorted.Length) - 1;
        return Math.Round(sorted[Math.Clamp(index, 0, sorted.Length - 1)], 1);
    }

    private static string Kebab(CardFaceProblem problem) =>
        string.Concat(problem.ToString().Select((c, i) => i > 0 && char.IsUpper(c) ? "-" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString(CultureInfo.InvariantCulture)));
}
