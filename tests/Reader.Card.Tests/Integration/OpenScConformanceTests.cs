using System.Diagnostics;
using Reader.Card.Errors;
using Reader.Card.MyNumber;
using Reader.Card.Tests.Support;

namespace Reader.Card.Tests.Integration;

/// <summary>OpenSC's JPKI driver, through the same pcscd, cannot tell the virtual card from a real one.</summary>
[Collection("pcsc")]
public sealed class OpenScConformanceTests(PcscFixture fixture)
{
    [Fact]
    public async Task Pkcs15_tool_lists_and_reads_the_same_certificates_and_pin_tries()
    {
        var card = await fixture.InsertAsync(0, SimCards.New());
        var list = await Pkcs15ToolAsync("--list-certificates");
        Assert.Contains("User Authentication Certificate", list, StringComparison.Ordinal);
        Assert.Contains("User Authentication Certificate CA", list, StringComparison.Ordinal);
        Assert.Contains("Path           : 000a", list, StringComparison.Ordinal);

        byte[] ours;
        byte[] oursCa;
        using (var channel = PcscFixture.Connect(0))
        {
            var client = new MyNumberCardClient(channel);
            var read = await client.ReadAuthCertificateAsync();
            ours = read.Certificate.Der;
            oursCa = read.CaCertificate!.Der;
            using var wrong = SecretDigits.FromChars("9999");
            await Assert.ThrowsAsync<CardException>(() => client.VerifyPinAndSignAsync(wrong, new byte[] { 1 }));
        }

        Assert.Equal(ours, PemToDer(await Pkcs15ToolAsync("--read-certificate", "01")));
        Assert.Equal(oursCa, PemToDer(await Pkcs15ToolAsync("--read-certificate", "03")));
        Assert.Equal(card.Identity.AuthCertificate, ours);

        var pins = await Pkcs15ToolAsync("--list-pins");
        var auth = pins[pins.IndexOf("User Authentication PIN", StringComparison.Ordinal)..];
        Assert.Contains("Tries left     : 2", auth[..auth.IndexOf("Digital Signature PIN", StringComparison.Ordinal)], StringComparison.Ordinal);
    }

    private static async Task<string> Pkcs15ToolAsync(params string[] args)
    {
        var start = new ProcessStartInfo("pkcs15-tool", [.. args, "--reader", PcscFixture.ReaderName(0)])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        Assert.True(process.ExitCode == 0, $"pkcs15-tool {string.Join(' ', args)} failed: {await stderr}");
        return await stdout;
    }

    internal static byte[] PemToDer(string pem)
    {
        using var certificate = System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPem(pem);
        return certificate.RawData;
    }
}
