namespace Reader.Card.MyNumber;

/// <summary>
/// Public keys that sign the 券面AP's card-verifiable certificates (EF 0004). The CA key is not on the card, so a
/// reader has to carry it; without one no card face is read (the face method is off, PIN and 目視 remain).
/// </summary>
public static class CardFaceAuthorities
{
    /// <summary>
    /// J-LIS production CA of the 券面事項確認AP, 証明者鍵ID <c>5000023/001</c>, RSA-2048, e = 65537 (card-protocol.md
    /// §2.3). Public information, but J-LIS does not publish it: the modulus comes from one public reverse-engineering
    /// source, github.com/soltia48/myna-card <c>src/ca.rs</c> (<c>MODULUS_5000023</c>, commit 4c210ac1), whose
    /// test-hierarchy keys in the same table verify the certificates of a J-LIS test card. It could not be checked
    /// against a production card here. Were it wrong, every production card face would fail as "not signed by its
    /// issuer" and the face method would be unavailable (fail closed), never the other way round.
    /// SHA-256 of the modulus: bb96cc1dc6502005661961f0a45ed843d007c69e3ce167eceb6b1abd5333a932.
    /// </summary>
    public static CardFaceIssuerKey Production { get; } = new(
        "5000023/001",
        new RsaPublicKey(
            Convert.FromHexString(
                "B2F740F0AD86D17CF3F537D23B4B3C65A3CB58474D857F55D0B9BC0411B1CB08" +
                "49068DE332A50D63B3E6921C9CCBE6156496EFB04BE8FFCC74FDE9A228A36AD7" +
                "EDCE9793204E35973DC911108365002C40169E0B60018DFB99E1E2310D9A110F" +
                "F0FC269F1F220C63B8A1510DE5A6898220C78908FC280D8AA95D5D113B7CF007" +
                "00F3FF5AD8B3D6AD2EB53C7D563498B4A938DEFFC9BDA32BF4146C1B07EF870D" +
                "99EB35DE5D70AC18715874277A13151D217D04D42E97923923A40FBC7D06FAA8" +
                "338CCBE876620F9B8EF4471CD4B9E29D4EA621E0FB8F1DC04B487210097DBAAF" +
                "3D8E0550C76A5B97CF202FA47C7A2622F1C084E65C13D13B8E7AB226F5F51F87"),
            [0x01, 0x00, 0x01]));
}
