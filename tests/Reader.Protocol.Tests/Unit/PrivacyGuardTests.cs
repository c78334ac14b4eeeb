using System.Reflection;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Reader.Protocol.Contract;
using Reader.Protocol.Pairing;

namespace Reader.Protocol.Tests.Unit;

/// <summary>Never an image, template/embedding, PIN, My Number, name or birth date — by construction and by check.</summary>
public sealed class PrivacyGuardTests
{
    private static readonly string[] ForbiddenWords =
        ["name", "birth", "dob", "address", "sex", "gender", "pin", "passcode", "mynumber", "individualnumber", "photo", "image", "picture",
         "frame", "crop", "template", "embedding", "feature", "vector", "score"];

    private static readonly Type[] Messages =
    [
        typeof(ReaderStatus), typeof(ReaderInfo), typeof(TerminalStatus), typeof(SessionEvent), typeof(SessionResult), typeof(ResultAcknowledgement),
        typeof(CardCheckRequest), typeof(CardCheckResponse), typeof(SetModeRequest), typeof(CancelSessionRequest), typeof(PushConfigRequest),
        typeof(SelfTestRequest), typeof(RelayApduRequest), typeof(StartUpdateRequest), typeof(CommandResponse), typeof(PairingMessage),
    ];

    [Fact]
    public void No_contract_type_has_a_field_for_personal_or_biometric_data()
    {
        var offending = new List<string>();
        var seen = new HashSet<Type>();
        foreach (Type type in Messages)
        {
            Walk(type, type.Name, offending, seen);
        }

        Assert.Empty(offending);
    }

    [Fact]
    public void No_contract_type_carries_raw_bytes_or_numeric_arrays()
    {
        var seen = new HashSet<Type>();
        var offending = new List<string>();
        foreach (Type type in Messages)
        {
            WalkTypes(type, type.Name, offending, seen);
        }

        Assert.Empty(offending);
    }

    [Theory]
    [InlineData("""{"v":1,"name":"山田太郎"}""", "forbidden field")]
    [InlineData("""{"v":1,"body":{"birthDate":"1970-01-01"}}""", "forbidden field")]
    [InlineData("""{"v":1,"detail":{"PIN":"1234"}}""", "forbidden field")]
    [InlineData("""{"v":1,"my_number":"x"}""", "forbidden field")]
    [InlineData("""{"v":1,"detail":"123456789018"}""", "My Number")]
    [InlineData("""{"v":1,"detail":"1234 5678 9018"}""", "My Number")]
    [InlineData("""{"v":1,"blob":"/9j/4AAQSkZJRgABAQEASABIAAD"}""", "image")]
    [InlineData("""{"v":1,"blob":"iVBORw0KGgoAAAANSUhEUgAA"}""", "image")]
    [InlineData("""{"v":1,"blob":"AAAADGpQICANCocKAAAAFGZ0eXA"}""", "image")]
    [InlineData("""{"v":1,"checks":[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31,32,33]}""", "embedding-like")]
    public void The_guard_refuses_personal_data_wherever_it_hides(string json, string rule)
    {
        string? violation = PrivacyGuard.FindViolation(Encoding.UTF8.GetBytes(json));
        Assert.NotNull(violation);
        Assert.Contains(rule, violation, StringComparison.Ordinal);
        var thrown = Assert.Throws<PrivacyViolationException>(() => PrivacyGuard.EnsureClean(Encoding.UTF8.GetBytes(json)));
        Assert.DoesNotContain("山田", thrown.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("1234", thrown.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_string_after_a_closed_object_in_an_array_does_not_inherit_its_last_name()
    {
        byte[] json = Encoding.UTF8.GetBytes($$"""{"v":1,"a":[{"certificate":"x"},"{{new string('C', 9000)}}"]}""");
        Assert.False(PrivacyGuard.IsClean(json));
        Assert.Contains("a:", PrivacyGuard.FindViolation(json), StringComparison.Ordinal);
    }

    [Fact]
    public void Bytes_that_are_not_UTF8_are_a_verdict_that_never_quotes_them()
    {
        byte[] json = [.. Encoding.UTF8.GetBytes("{\"v\":1,\"detail\":\"ab"), 0xC3, 0x28, .. Encoding.UTF8.GetBytes("\"}")];
        Assert.Equal("$: not valid UTF-8", PrivacyGuard.FindViolation(json));
        Assert.Throws<PrivacyViolationException>(() => PrivacyGuard.EnsureClean(json));
    }

    [Theory]
    [InlineData("""{"v":1,"sessionId":"sess-00000001","at":"2026-01-02T03:04:05Z","scoreBand":"high","requestId":"123456789012"}""")]
    [InlineData("""{"v":1,"checks":[{"check":"pcsc","ok":true}],"detail":"bound-5000-ms"}""")]
    public void Ordinary_messages_pass(string json) => Assert.Null(PrivacyGuard.FindViolation(Encoding.UTF8.GetBytes(json)));

    [Fact]
    public void My_Number_check_digit_is_the_one_from_the_law()
    {
        Assert.True(PrivacyGuard.LooksLikeMyNumber("123456789018"));
        Assert.False(PrivacyGuard.LooksLikeMyNumber("123456789012"));
        Assert.False(PrivacyGuard.LooksLikeMyNumber("12345678901"));
    }

    [Fact]
    public void A_signing_certificate_with_personal_SubjectAltName_is_refused_but_the_auth_certificate_passes()
    {
        using var key = RSA.Create(2048);
        var plain = new CertificateRequest("C=JP, CN=0123456789ABCDEF", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using X509Certificate2 authentication = plain.CreateSelfSigned(DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddYears(1));
        PrivacyGuard.EnsureCertificateCarriesNoPersonalData(authentication.RawData);

        var signing = new CertificateRequest("C=JP, CN=0123456789ABCDEF", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("personal.example");
        signing.CertificateExtensions.Add(names.Build());
        using X509Certificate2 withNames = signing.CreateSelfSigned(DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddYears(1));
        Assert.Throws<PrivacyViolationException>(() => PrivacyGuard.EnsureCertificateCarriesNoPersonalData(withNames.RawData));
        Assert.Throws<CryptographicException>(() => PrivacyGuard.EnsureCertificateCarriesNoPersonalData([0x30, 0x03, 0x02, 0x01, 0x00]));
    }

    private static void Walk(Type type, string path, List<string> offending, HashSet<Type> seen)
    {
        if (!seen.Add(type) || type.Namespace?.StartsWith("Reader.Protocol", StringComparison.Ordinal) != true || type.IsEnum)
        {
            return;
        }

        foreach (PropertyInfo property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            string lower = property.Name.ToLowerInvariant();
            if (ForbiddenWords.Any(w => lower.Contains(w, StringComparison.Ordinal)) && lower is not ("scoreband" or "pinsignature"))
            {
                offending.Add($"{path}.{property.Name}");
            }

            foreach (Type inner in Inner(property.PropertyType))
            {
                Walk(inner, $"{path}.{property.Name}", offending, seen);
            }
        }
    }

    private static void WalkTypes(Type type, string path, List<string> offending, HashSet<Type> seen)
    {
        if (!seen.Add(type) || type.Namespace?.StartsWith("Reader.Protocol", StringComparison.Ordinal) != true || type.IsEnum)
        {
            return;
        }

        foreach (PropertyInfo property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            Type t = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            if (t == typeof(byte[]) || t == typeof(ReadOnlyMemory<byte>) || t == typeof(float[]) || t == typeof(double[]) || t == typeof(IReadOnlyList<float>))
            {
                offending.Add($"{path}.{property.Name}: {t.Name}");
            }

            foreach (Type inner in Inner(property.PropertyType))
            {
                WalkTypes(inner, $"{path}.{property.Name}", offending, seen);
            }
        }
    }

    private static IEnumerable<Type> Inner(Type type)
    {
        Type t = Nullable.GetUnderlyingType(type) ?? type;
        yield return t;
        foreach (Type argument in t.IsGenericType ? t.GetGenericArguments() : [])
        {
            yield return argument;
        }
    }
}
