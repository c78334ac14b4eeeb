using System.Globalization;
using Microsoft.Extensions.Logging;
using Reader.Card.MyNumber;
using Reader.Device.Hosting;
using Reader.Device.Hosting.Sections;
using Reader.HardwareSim.Card;

namespace Reader.Device.Tests;

/// <summary>
/// A full card read (identify, certificates, PIN tries, a wrong and a right PIN with signature, the face path with
/// photo and genuineness) with the host's logging at Verbose, then the log files are searched for anything
/// personal or identifying: certificate bytes, serial, subject id, PIN, 照合番号B, birth date, security code, photo bytes.
/// </summary>
public sealed class LogPrivacyTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("reader-logs-").FullName;

    [Fact]
    public async Task A_full_card_read_leaves_no_personal_data_in_the_logs()
    {
        const string pin = "7391";
        var identity = new VirtualCardIdentity("privacy", new VirtualCardSpec { Pin = pin });
        var card = new VirtualMyNumberCard(identity);
        var logging = new LoggingOptions { Folder = _folder, MinimumLevel = "Verbose", Console = false };
        byte[] photoStart;
        using (var loggers = LoggingSetup.CreateFactory(logging, console: false))
        {
            var logger = loggers.CreateLogger("test");
            using var scope = logger.BeginScope(new Dictionary<string, object> { ["SessionId"] = "s-1", ["CardEventId"] = 42 });
            using var channel = new InProcessCardChannel(card);
            var options = new MyNumberCardClientOptions();
            options.CardFaceIssuerKeys.Add(new CardFaceIssuerKey(TestAuthorities.CardFaceCaKeyId, RsaPublicKey.Parse(TestAuthorities.Shared.CardFaceCaPublicKeyTlv())));
            var client = new MyNumberCardClient(channel, options, loggers.CreateLogger<MyNumberCardClient>());
            using var codeB = SecretDigits.FromChars(identity.Printed.CodeB);
            var report = await CardReport.ReadAsync(client, "in-process", codeB, CancellationToken.None);
            Assert.Null(report.Error);
            using (var wrong = SecretDigits.FromChars("0000"))
            {
                await Assert.ThrowsAsync<Reader.Card.Errors.CardException>(() => client.VerifyPinAndSignAsync(wrong, new byte[] { 1 }));
            }

            using (var right = SecretDigits.FromChars(pin))
            {
                await client.VerifyPinAndSignAsync(right, "challenge"u8.ToArray());
            }

            using var face = await client.ReadCardFaceAsync(codeB);
            photoStart = face.PhotoJp2.Slice(100, 24).ToArray();
            DeviceLog.CardInfo(logger, report.CardKind, "none", report.Apdus);
        }

        var text = string.Concat(Directory.GetFiles(_folder).Select(File.ReadAllText));
        Assert.Contains("APDU 00 A4 04 0C", text, StringComparison.Ordinal);
        Assert.Contains("s-1", text, StringComparison.Ordinal);
        Assert.Contains("42", text, StringComparison.Ordinal);

        var der = identity.AuthCertificate;
        var forbidden = new Dictionary<string, string>
        {
            ["certificate (base64)"] = Convert.ToBase64String(der, 40, 60),
            ["certificate (hex)"] = Convert.ToHexString(der, 40, 30),
            ["serial"] = identity.AuthCertificateSerial,
            ["PIN"] = pin,
            ["照合番号B"] = identity.Printed.CodeB,
            ["birth date"] = identity.Printed.BirthDate.ToString("yyyyMMdd", CultureInfo.InvariantCulture),
            ["birth date (ISO)"] = identity.Printed.BirthDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["security code + expiry"] = identity.Printed.CardExpiry.Year.ToString(CultureInfo.InvariantCulture) + identity.Printed.SecurityCode,
            ["photo (hex)"] = Convert.ToHexString(photoStart),
            ["photo (base64)"] = Convert.ToBase64String(photoStart),
        };
        using var certificate = System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificate(der);
        forbidden["subject id"] = certificate.GetNameInfo(System.Security.Cryptography.X509Certificates.X509NameType.SimpleName, false);
        foreach (var (what, value) in forbidden)
        {
            Assert.False(text.Contains(value, StringComparison.OrdinalIgnoreCase), $"the log contains the {what}");
        }
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
