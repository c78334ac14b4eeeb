using System.Security.Cryptography;
using System.Text;
using Org.BouncyCastle.Crypto.EC;
using ECCurve = Org.BouncyCastle.Math.EC.ECCurve;
using ECPoint = Org.BouncyCastle.Math.EC.ECPoint;
using Reader.Protocol.Pairing;
using BigInteger = Org.BouncyCastle.Math.BigInteger;

namespace Reader.Protocol.Tests.Unit;

/// <summary>SPAKE2 (RFC 9382, P256-SHA256-HKDF-HMAC): the RFC's test vectors, agreement on the same code, refusal otherwise, element checks.</summary>
public sealed class Spake2Tests
{
    /// <summary>RFC 9382 appendix B, every vector: A is our reader, B our terminal; w, x and y are given.</summary>
    public static IEnumerable<object[]> Vectors() =>
    [
        [
            "server", "client",
            "2ee57912099d31560b3a44b1184b9b4866e904c49d12ac5042c97dca461b1a5f",
            "43dd0fd7215bdcb482879fca3220c6a968e66d70b1356cac18bb26c84a78d729",
            "04a56fa807caaa53a4d28dbb9853b9815c61a411118a6fe516a8798434751470f9010153ac33d0d5f2047ffdb1a3e42c9b4e6be662766e1eeb4116988ede5f912c",
            "dcb60106f276b02606d8ef0a328c02e4b629f84f89786af5befb0bc75b6e66be",
            "0406557e482bd03097ad0cbaa5df82115460d951e3451962f1eaf4367a420676d09857ccbc522686c83d1852abfa8ed6e4a1155cf8f1543ceca528afb591a1e0b7",
            "0412af7e89717850671913e6b469ace67bd90a4df8ce45c2af19010175e37eed69f75897996d539356e2fa6a406d528501f907e04d97515fbe83db277b715d3325",
            "06000000000000007365727665720600000000000000636c69656e74410000000000000004a56fa807caaa53a4d28dbb9853b9815c61a411118a6fe516a8798434751470f9010153ac33d0d5f2047ffdb1a3e42c9b4e6be662766e1eeb4116988ede5f912c41000000000000000406557e482bd03097ad0cbaa5df82115460d951e3451962f1eaf4367a420676d09857ccbc522686c83d1852abfa8ed6e4a1155cf8f1543ceca528afb591a1e0b741000000000000000412af7e89717850671913e6b469ace67bd90a4df8ce45c2af19010175e37eed69f75897996d539356e2fa6a406d528501f907e04d97515fbe83db277b715d332520000000000000002ee57912099d31560b3a44b1184b9b4866e904c49d12ac5042c97dca461b1a5f",
            "0e0672dc86f8e45565d338b0540abe69",
            "15bdf72e2b35b5c9e5663168e960a91b",
            "00c12546835755c86d8c0db7851ae86f",
            "a9fa3406c3b781b93d804485430ca27a",
            "58ad4aa88e0b60d5061eb6b5dd93e80d9c4f00d127c65b3b35b1b5281fee38f0",
            "d3e2e547f1ae04f2dbdbf0fc4b79f8ecff2dff314b5d32fe9fcef2fb26dc459b"
        ],
        [
            "", "client",
            "0548d8729f730589e579b0475a582c1608138ddf7054b73b5381c7e883e2efae",
            "403abbe3b1b4b9ba17e3032849759d723939a27a27b9d921c500edde18ed654b",
            "04a897b769e681c62ac1c2357319a3d363f610839c4477720d24cbe32f5fd85f44fb92ba966578c1b712be6962498834078262caa5b441ecfa9d4a9485720e918a",
            "903023b6598908936ea7c929bd761af6039577a9c3f9581064187c3049d87065",
            "04e0f816fd1c35e22065d5556215c097e799390d16661c386e0ecc84593974a61b881a8c82327687d0501862970c64565560cb5671f696048050ca66ca5f8cc7fc",
            "048f83ec9f6e4f87cc6f9dc740bdc2769725f923364f01c84148c049a39a735ebda82eac03e00112fd6a5710682767cff5361f7e819e53d8d3c3a2922e0d837aa6",
            "00000000000000000600000000000000636c69656e74410000000000000004a897b769e681c62ac1c2357319a3d363f610839c4477720d24cbe32f5fd85f44fb92ba966578c1b712be6962498834078262caa5b441ecfa9d4a9485720e918a410000000000000004e0f816fd1c35e22065d5556215c097e799390d16661c386e0ecc84593974a61b881a8c82327687d0501862970c64565560cb5671f696048050ca66ca5f8cc7fc4100000000000000048f83ec9f6e4f87cc6f9dc740bdc2769725f923364f01c84148c049a39a735ebda82eac03e00112fd6a5710682767cff5361f7e819e53d8d3c3a2922e0d837aa620000000000000000548d8729f730589e579b0475a582c1608138ddf7054b73b5381c7e883e2efae",
            "642f05c473c2cd79909f9a841e2f30a7",
            "0bf89b18180af97353ba198789c2b963",
            "c6be376fc7cd1301fd0a13adf3e7bffd",
            "b7243f4ae60440a49b3f8cab3c1fba07",
            "47d29e6666af1b7dd450d571233085d7a9866e4d49d2645e2df975489521232b",
            "3313c5cefc361d27fb16847a91c2a73b766ffa90a4839122a9b70a2f6bd1d6df"
        ],
        [
            "server", "",
            "626e0cdc7b14c9db3e52a0b1b3a768c98e37852d5db30febe0497b14eae8c254",
            "07adb3db6bc623d3399726bfdbfd3d15a58ea776ab8a308b00392621291f9633",
            "04f88fb71c99bfffaea370966b7eb99cd4be0ff1a7d335caac4211c4afd855e2e15a873b298503ad8ba1d9cbb9a392d2ba309b48bfd7879aefd0f2cea6009763b0",
            "b6a4fc8dbb629d4ba51d6f91ed1532cf87adec98f25dd153a75accafafedec16",
            "040c269d6be017dccb15182ac6bfcd9e2a14de019dd587eaf4bdfd353f031101e7cca177f8eb362a6e83e7d5e729c0732e1b528879c086f39ba0f31a9661bd34db",
            "0445ee233b8ecb51ebd6e7da3f307e88a1616bae2166121221fdc0dadb986afaf3ec8a988dc9c626fa3b99f58a7ca7c9b844bb3e8dd9554aafc5b53813504c1cbe",
            "06000000000000007365727665720000000000000000410000000000000004f88fb71c99bfffaea370966b7eb99cd4be0ff1a7d335caac4211c4afd855e2e15a873b298503ad8ba1d9cbb9a392d2ba309b48bfd7879aefd0f2cea6009763b04100000000000000040c269d6be017dccb15182ac6bfcd9e2a14de019dd587eaf4bdfd353f031101e7cca177f8eb362a6e83e7d5e729c0732e1b528879c086f39ba0f31a9661bd34db41000000000000000445ee233b8ecb51ebd6e7da3f307e88a1616bae2166121221fdc0dadb986afaf3ec8a988dc9c626fa3b99f58a7ca7c9b844bb3e8dd9554aafc5b53813504c1cbe2000000000000000626e0cdc7b14c9db3e52a0b1b3a768c98e37852d5db30febe0497b14eae8c254",
            "005184ff460da2ce59062c87733c299c",
            "3521297d736598fc0a1127600efa1afb",
            "f3da53604f0aeecea5a33be7bddf6edf",
            "9e3f86848736f159bd92b6e107ec6799",
            "bc9f9bbe99f26d0b2260e6456e05a86196a3307ec6663a18bf6ac825736533b2",
            "c2370e1bf813b086dff0d834e74425a06e6390f48f5411900276dcccc5a297ec"
        ],
        [
            "", "",
            "7bf46c454b4c1b25799527d896508afd5fc62ef4ec59db1efb49113063d70cca",
            "8cef65df64bb2d0f83540c53632de911b5b24b3eab6cc74a97609fd659e95473",
            "04a65b367a3f613cf9f0654b1b28a1e3a8a40387956c8ba6063e8658563890f46ca1ef6a676598889fc28de2950ab8120b79a5ef1ea4c9f44bc98f585634b46d66",
            "d7a66f64074a84652d8d623a92e20c9675c61cb5b4f6a0063e4648a2fdc02d53",
            "04589f13218822710d98d8b2123a079041052d9941b9cf88c6617ddb2fcc0494662eea8ba6b64692dc318250030c6af045cb738bc81ba35b043c3dcb46adf6f58d",
            "041a3c03d51b452537ca2a1fea6110353c6d5ed483c4f0f86f4492ca3f378d40a994b4477f93c64d928edbbcd3e85a7c709b7ea73ee97986ce3d1438e135543772",
            "00000000000000000000000000000000410000000000000004a65b367a3f613cf9f0654b1b28a1e3a8a40387956c8ba6063e8658563890f46ca1ef6a676598889fc28de2950ab8120b79a5ef1ea4c9f44bc98f585634b46d66410000000000000004589f13218822710d98d8b2123a079041052d9941b9cf88c6617ddb2fcc0494662eea8ba6b64692dc318250030c6af045cb738bc81ba35b043c3dcb46adf6f58d4100000000000000041a3c03d51b452537ca2a1fea6110353c6d5ed483c4f0f86f4492ca3f378d40a994b4477f93c64d928edbbcd3e85a7c709b7ea73ee97986ce3d1438e13554377220000000000000007bf46c454b4c1b25799527d896508afd5fc62ef4ec59db1efb49113063d70cca",
            "fc6374762ba5cf11f4b2caa08b2cd1b9",
            "907ae0e26e8d6234318d91583cd74c86",
            "5dbd2f477166b7fb6d61febbd77a5563",
            "7689b4654407a5faeffdc8f18359d8a3",
            "dfb4db8d48ae5a675963ea5e6c19d98d4ea028d8e898dad96ea19a80ade95dca",
            "d0f0609d1613138d354f7e95f19fb556bf52d751947241e8c7118df5ef0ae175"
        ],
    ];

    [Theory]
    [MemberData(nameof(Vectors))]
    public void Both_sides_reproduce_every_value_of_the_RFC_9382_test_vectors(
        string a, string b, string w, string x, string pA, string y, string pB, string k, string tt, string ke, string ka, string kcA, string kcB, string cA, string cB)
    {
        var reader = new Spake2(isReader: true, Encoding.ASCII.GetBytes(a), new BigInteger(w, 16), new BigInteger(x, 16));
        var terminal = new Spake2(isReader: false, Encoding.ASCII.GetBytes(a), new BigInteger(w, 16), new BigInteger(y, 16));
        Assert.Equal(pA, Convert.ToHexStringLower(reader.Element));
        Assert.Equal(pB, Convert.ToHexStringLower(terminal.Element));

        foreach (Spake2Schedule schedule in new[] { reader.Derive(terminal.Element, Encoding.ASCII.GetBytes(b)), terminal.Derive(reader.Element, Encoding.ASCII.GetBytes(b)) })
        {
            Assert.Equal(k, Convert.ToHexStringLower(schedule.SharedPoint));
            Assert.Equal(tt, Convert.ToHexStringLower(schedule.Transcript));
            Assert.Equal(ke, Convert.ToHexStringLower(schedule.Ke));
            Assert.Equal(ka, Convert.ToHexStringLower(schedule.Ka));
            Assert.Equal(kcA, Convert.ToHexStringLower(schedule.KcA));
            Assert.Equal(kcB, Convert.ToHexStringLower(schedule.KcB));
            Assert.Equal(cA, Convert.ToHexStringLower(schedule.ReaderConfirmation));
            Assert.Equal(cB, Convert.ToHexStringLower(schedule.TerminalConfirmation));
        }
    }

    [Fact]
    public void M_and_N_are_the_RFC_points_for_P256()
    {
        // RFC 9382 §6 gives them compressed; their uncompressed forms (as other implementations print them) must match.
        Assert.Equal(
            "04886e2f97ace46e55ba9dd7242579f2993b64e16ef3dcab95afd497333d8fa12f5ff355163e43ce224e0b0e65ff02ac8e5c7be09419c785e0ca547d55a12e2d20",
            Convert.ToHexStringLower(Spake2.M.GetEncoded(false)));
        Assert.Equal(
            "04d8bbd6c639c62937b04d997f38c3770719c629d7014d49a24b4f98baa1292b4907d60aa6bfade45008a636337f5168c64d9bd36034808cd564490b1e656edbe7",
            Convert.ToHexStringLower(Spake2.N.GetEncoded(false)));
    }

    [Fact]
    public void The_same_code_gives_both_sides_the_same_keys()
    {
        var reader = new Spake2(isReader: true, "rdr-a001", "482913");
        var terminal = new Spake2(isReader: false, "rdr-a001", "482913");
        Spake2Keys readerKeys = reader.Finish(terminal.Element, "term-01");
        Spake2Keys terminalKeys = terminal.Finish(reader.Element, "term-01");

        Assert.Equal(readerKeys.SealKey, terminalKeys.SealKey);
        Assert.True(Spake2Keys.Matches(readerKeys.TerminalConfirmation, terminalKeys.TerminalConfirmation));
        Assert.True(Spake2Keys.Matches(readerKeys.ReaderConfirmation, terminalKeys.ReaderConfirmation));
        byte[] sealedBox = terminalKeys.Seal("grant"u8, "grant:1");
        Assert.Equal("grant"u8.ToArray(), readerKeys.Open(sealedBox, "grant:1"));
        Assert.ThrowsAny<CryptographicException>(() => readerKeys.Open(sealedBox, "grant:2"));
    }

    [Theory]
    [InlineData("482914", "rdr-a001", "term-01")]
    [InlineData("482913", "rdr-b002", "term-01")]
    [InlineData("482913", "rdr-a001", "term-02")]
    public void A_different_code_or_identity_fails_the_key_confirmation(string terminalCode, string terminalReaderId, string terminalIdSeenByReader)
    {
        var reader = new Spake2(isReader: true, "rdr-a001", "482913");
        var terminal = new Spake2(isReader: false, terminalReaderId, terminalCode);
        Spake2Keys readerKeys = reader.Finish(terminal.Element, terminalIdSeenByReader);
        Spake2Keys terminalKeys = terminal.Finish(reader.Element, "term-01");
        Assert.False(Spake2Keys.Matches(readerKeys.TerminalConfirmation, terminalKeys.TerminalConfirmation));
    }

    [Fact]
    public void Each_run_sends_a_fresh_element_even_for_the_same_code()
    {
        var first = new Spake2(isReader: true, "rdr-a001", "000000");
        var second = new Spake2(isReader: true, "rdr-a001", "000000");
        Assert.NotEqual(first.Element, second.Element);
        Assert.Equal(Spake2.ElementSize, first.Element.Length);
    }

    [Fact]
    public void Elements_that_are_not_points_of_the_group_are_refused()
    {
        var reader = new Spake2(isReader: true, "rdr-a001", "482913");
        var terminal = new Spake2(isReader: false, "rdr-a001", "482913");
        byte[] offCurve = (byte[])terminal.Element.Clone();
        offCurve[^1] ^= 1;
        byte[] compressed = Spake2.N.GetEncoded(true);
        byte[] identity = [0x00];
        byte[] xBeyondPrime = [0x04, .. Enumerable.Repeat((byte)0xff, 64)];

        foreach (byte[] bad in new[] { offCurve, compressed, identity, xBeyondPrime, new byte[65], new byte[12], [] })
        {
            Assert.ThrowsAny<CryptographicException>(() => reader.Finish(bad, "term-01"));
        }
    }

    [Fact]
    public void An_element_that_cancels_the_blinding_is_refused_not_turned_into_the_identity()
    {
        // pB = w·N makes pB − w·N the identity: refused (and counted as a wrong code by the caller), never a key.
        BigInteger w = Spake2.PasswordScalar("rdr-a001", "482913");
        byte[] cancelling = Spake2.N.Multiply(w).Normalize().GetEncoded(false);
        var reader = new Spake2(isReader: true, "rdr-a001", "482913");
        Assert.ThrowsAny<CryptographicException>(() => reader.Finish(cancelling, "term-01"));
    }

    [Fact]
    public void The_constants_lie_on_P256_and_differ()
    {
        ECCurve curve = CustomNamedCurves.GetByName("P-256").Curve;
        foreach (ECPoint point in new[] { Spake2.M, Spake2.N })
        {
            Assert.True(point.IsValid());
            Assert.Same(curve.GetType(), point.Curve.GetType());
            Assert.True(point.Multiply(Spake2.Order).IsInfinity);
        }

        Assert.False(Spake2.M.Equals(Spake2.N));
    }
}
