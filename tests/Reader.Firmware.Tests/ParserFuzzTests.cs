using System.Text;
using Reader.Firmware.Bundles;
using Reader.TestSupport;

namespace Reader.Firmware.Tests;

/// <summary>
/// Issue 13 item 8 for the firmware tool: the bundle's release.json and <c>rauc info</c>'s output are read from
/// outside bytes, so 100k mutants of each either parse or give null — never another exception, never a hang.
/// </summary>
public sealed class ParserFuzzTests
{
    private const int Inputs = 100_000;

    private static readonly string ReleaseJson = new ReleaseManifest(1, "reader", "jp.clinic.reader/linux-arm64", "1.4.0", 3,
        DateTimeOffset.UnixEpoch, [new ReleaseArtifact("rootfs.img", "rootfs", 1048576, new string('0', 64))]).ToJson();

    private const string RaucOutput =
        "Compatible: \t'jp.clinic.reader/linux-arm64'\nVersion:    \t'1.4.0'\nDescription:\t'x'\nBuild:      \t'(null)'\nHooks:      \t''\n"
        + "Bundle Format: \tverity\n  Verity Salt: \t'aa'\n  Verity Hash: \t'bb'\n  Verity Size: \t8192\n\n2 Images:\n"
        + "  \u001b[1m[appfs]\u001b[0m\n\tFilename:  appfs.img\n\tChecksum:  0011\n\tSize:      4096\n\tHooks:     \n"
        + "  \u001b[1m[rootfs]\u001b[0m\n\tFilename:  rootfs.img\n\tChecksum:  2233\n\tSize:      1048576\n\tHooks:     \n\n"
        + "Certificate Chain:\n 0 Subject: CN = signer\n   Issuer: CN = ca\n 1 Subject: CN = ca\n";

    [Fact]
    public void Mutated_release_manifests_parse_or_are_null() =>
        Fuzz(ReleaseJson, seed: 9_101, text => _ = ReleaseManifest.TryParse(text));

    [Fact]
    public void Mutated_rauc_info_output_parses_or_is_null() =>
        Fuzz(RaucOutput, seed: 9_102, text => _ = RaucInfo.Parse(text));

    private static void Fuzz(string sample, int seed, Action<string> parse)
    {
        var random = new Random(seed);
        var original = Encoding.UTF8.GetBytes(sample);
        byte[][] tokens = [.. new[] { "\"", "{", "}", "[", "]", ":", ",", "null", "-1", "99999999999999999999", "1e999", "\n", "\t", "'", "Size:", "Verity Size:", "0 Subject:", "[x]", "\u001b[1m" }
            .Select(Encoding.UTF8.GetBytes), [0xFF], [0xC0, 0x80]];
        for (var i = 0; i < Inputs; i++)
        {
            var text = Encoding.UTF8.GetString(ByteMutator.Mutate(random, original, tokens));
            try
            {
                parse(text);
            }
            catch (Exception e)
            {
                Assert.Fail($"input {i} (seed {seed}) threw {e.GetType().Name}: {e.Message}");
            }
        }
    }
}
