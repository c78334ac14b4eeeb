using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Reader.Card.Errors;
using Reader.Card.MyNumber;
using Reader.Card.Tests.Support;
using Reader.HardwareSim.Card;

namespace Reader.Card.Tests.Unit;

/// <summary>
/// <see cref="JpkiCertificate.Parse"/> reads serial, validity and key from the DER itself: it must read what .NET's
/// X.509 loader reads, for the certificates a card holds and for the encodings X.509 allows around them.
/// </summary>
public sealed class JpkiCertificateTests
{
    public static TheoryData<string> Shapes => ["sim card", "auth CA", "serial with a leading zero", "UTCTime of the 1990s", "GeneralizedTime after 2049", "RSA 4096", "v1 without a version", "EC key"];

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Reads_the_serial_validity_and_key_the_x509_loader_reads(string shape)
    {
        var der = Certificate(shape);
        var parsed = JpkiCertificate.Parse(der);
        using var loaded = X509CertificateLoader.LoadCertificate(der);

        Assert.Equal(loaded.SerialNumber, parsed.SerialNumber);
        Assert.Equal(loaded.NotBefore.ToUniversalTime(), parsed.NotBefore.UtcDateTime);
        Assert.Equal(loaded.NotAfter.ToUniversalTime(), parsed.NotAfter.UtcDateTime);
        Assert.Equal(loaded.Issuer, parsed.Issuer);
        Assert.Equal(loaded.Subject, parsed.Subject);
        using var rsa = loaded.GetRSAPublicKey();
        if (rsa is null)
        {
            Assert.Null(parsed.PublicKey);
            return;
        }

        var expected = rsa.ExportParameters(false);
        Assert.NotNull(parsed.PublicKey);
        Assert.Equal(expected.Modulus!.AsSpan().TrimStart((byte)0).ToArray(), parsed.PublicKey.Modulus);
        Assert.Equal(expected.Exponent!.AsSpan().TrimStart((byte)0).ToArray(), parsed.PublicKey.Exponent);
    }

    [Fact]
    public void Bytes_after_the_certificate_and_a_cut_one_are_card_errors()
    {
        var der = Certificate("sim card");
        Assert.Throws<CardProtocolException>(() => JpkiCertificate.Parse([.. der, 0x00]));
        Assert.Throws<CardProtocolException>(() => JpkiCertificate.Parse(der.AsSpan(0, der.Length - 1)));
        Assert.Throws<CardProtocolException>(() => JpkiCertificate.Parse([]));
    }

    [Fact]
    public void Names_the_x509_loader_refuses_are_a_card_error_when_asked_for()
    {
        // A structure the field walk accepts (the names are not its concern) with an issuer that is no Name.
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            using (writer.PushSequence())
            {
                writer.WriteInteger(5);
                using (writer.PushSequence())
                {
                    writer.WriteObjectIdentifier("1.2.840.113549.1.1.11");
                }

                using (writer.PushSequence())
                {
                    writer.WriteInteger(1); // not a Name
                }

                using (writer.PushSequence())
                {
                    writer.WriteUtcTime(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero));
                    writer.WriteUtcTime(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero));
                }

                using (writer.PushSequence())
                {
                }

                using (writer.PushSequence())
                {
                    using (writer.PushSequence())
                    {
                        writer.WriteObjectIdentifier("1.2.3");
                    }

                    writer.WriteBitString([1, 2, 3]);
                }
            }

            using (writer.PushSequence())
            {
                writer.WriteObjectIdentifier("1.2.840.113549.1.1.11");
            }

            writer.WriteBitString([0]);
        }

        var parsed = JpkiCertificate.Parse(writer.Encode());
        Assert.Null(parsed.PublicKey);
        Assert.Throws<CardProtocolException>(() => parsed.Issuer);
    }

    private static byte[] Certificate(string shape)
    {
        switch (shape)
        {
            case "sim card":
                return SimCards.SharedCard().Identity.AuthCertificate;
            case "auth CA":
                return TestAuthorities.Shared.AuthCa.RawData;
            case "EC key":
            {
                using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
                var request = new CertificateRequest("C=JP, CN=ec", ec, HashAlgorithmName.SHA256);
                using var made = request.CreateSelfSigned(new DateTimeOffset(2025, 4, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2030, 3, 31, 14, 59, 59, TimeSpan.Zero));
                return made.RawData;
            }

            default:
            {
                using var rsa = RSA.Create(shape == "RSA 4096" ? 4096 : 2048);
                var request = new CertificateRequest("C=JP, CN=shape", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
                var (notBefore, notAfter) = shape switch
                {
                    "UTCTime of the 1990s" => (new DateTimeOffset(1995, 6, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(1999, 12, 31, 23, 59, 59, TimeSpan.Zero)),
                    "GeneralizedTime after 2049" => (new DateTimeOffset(2048, 1, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2051, 1, 1, 0, 0, 0, TimeSpan.Zero)),
                    _ => (new DateTimeOffset(2025, 4, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2030, 3, 31, 14, 59, 59, TimeSpan.Zero)),
                };
                byte[] serial = shape == "serial with a leading zero" ? [0x00, 0xF0, 0x01, 0x02] : [0x12, 0x34, 0x56];
                using var made = request.Create(request.SubjectName, X509SignatureGenerator.CreateForRSA(rsa, RSASignaturePadding.Pkcs1), notBefore, notAfter, serial);
                return shape == "v1 without a version" ? WithoutVersion(made.RawData, rsa) : made.RawData;
            }
        }
    }

    /// <summary>The certificate re-encoded as X.509 v1 (no [0] version), re-signed so the loader still takes it.</summary>
    private static byte[] WithoutVersion(byte[] der, RSA key)
    {
        var certificate = new AsnReader(der, AsnEncodingRules.DER).ReadSequence();
        var tbs = certificate.ReadSequence();
        tbs.ReadEncodedValue(); // [0] version
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            while (tbs.HasData)
            {
                var field = tbs.ReadEncodedValue();
                if (field.Span[0] is 0xA3)
                {
                    break; // extensions need v3
                }

                writer.WriteEncodedValue(field.Span);
            }
        }

        var newTbs = writer.Encode();
        var signed = new AsnWriter(AsnEncodingRules.DER);
        using (signed.PushSequence())
        {
            signed.WriteEncodedValue(newTbs);
            using (signed.PushSequence())
            {
                signed.WriteObjectIdentifier("1.2.840.113549.1.1.11");
                signed.WriteNull();
            }

            signed.WriteBitString(key.SignData(newTbs, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
        }

        return signed.Encode();
    }
}
