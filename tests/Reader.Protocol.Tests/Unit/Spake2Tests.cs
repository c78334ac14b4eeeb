using System.Numerics;
using System.Security.Cryptography;
using Reader.Protocol.Pairing;

namespace Reader.Protocol.Tests.Unit;

/// <summary>SPAKE2 over the 2048-bit MODP group: agreement on the same code, refusal otherwise, element checks.</summary>
public sealed class Spake2Tests
{
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
    public void Elements_outside_the_prime_order_subgroup_are_refused()
    {
        var reader = new Spake2(isReader: true, "rdr-a001", "482913");

        // 0, 1, p-1 (order 2), p itself, and -4 (a non-residue: q is odd, so (-4)^q = -1).
        foreach (BigInteger bad in new[] { BigInteger.Zero, BigInteger.One, Spake2.P - 1, Spake2.P, Spake2.P - 4 })
        {
            Assert.ThrowsAny<CryptographicException>(() => reader.Finish(Spake2.Encode(bad), "term-01"));
        }

        Assert.ThrowsAny<CryptographicException>(() => reader.Finish(new byte[12], "term-01"));
    }

    [Fact]
    public void The_group_constants_lie_in_the_subgroup_of_order_q()
    {
        foreach (BigInteger element in new[] { Spake2.G, Spake2.M, Spake2.N })
        {
            Assert.Equal(BigInteger.One, BigInteger.ModPow(element, Spake2.Q, Spake2.P));
            Assert.NotEqual(BigInteger.One, element);
        }

        Assert.NotEqual(Spake2.M, Spake2.N);
    }
}
