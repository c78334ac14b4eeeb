namespace Reader.Card.MyNumber;

/// <summary>AIDs and file ids of the My Number Card (fact sheet §1–§2). Always select with the full 10-byte AID.</summary>
public static class CardApplications
{
    /// <summary>公的個人認証AP (JPKI).</summary>
    public static ReadOnlySpan<byte> Jpki => [0xD3, 0x92, 0xF0, 0x00, 0x26, 0x01, 0x00, 0x00, 0x00, 0x01];

    /// <summary>券面事項確認AP (card face, photo).</summary>
    public static ReadOnlySpan<byte> CardFace => [0xD3, 0x92, 0x10, 0x00, 0x31, 0x00, 0x01, 0x01, 0x04, 0x02];

    /// <summary>券面事項入力補助AP: holds the My Number. This service never selects it (the guard refuses).</summary>
    public static ReadOnlySpan<byte> InputSupportForbidden => [0xD3, 0x92, 0x10, 0x00, 0x31, 0x00, 0x01, 0x01, 0x04, 0x08];

    public static class JpkiFiles
    {
        public const ushort SignatureCertificate = 0x0001;
        public const ushort SignatureCaCertificate = 0x0002;
        public const ushort TokenInfo = 0x0006;
        public const ushort CertificateAvailability = 0x0008;
        public const ushort AuthCertificate = 0x000A;
        public const ushort AuthCaCertificate = 0x000B;

        /// <summary>特定機関認証: the key reference a terminal's card-verifiable certificate is checked against (INS A2).</summary>
        public const ushort DesignatedInstitutionKey = 0x0016;
        public const ushort AuthPrivateKey = 0x0017;
        public const ushort AuthPin = 0x0018;
        public const ushort SignaturePrivateKey = 0x001A;
        public const ushort SignaturePin = 0x001B;
    }

    public static class CardFaceFiles
    {
        public const ushort CardFace = 0x0002;
        public const ushort BasicInfo = 0x0003;
        public const ushort Certificate = 0x0004;
        public const ushort BirthDateKey = 0x0011;
        public const ushort CodeB = 0x0012;

        /// <summary>照合番号A (the My Number). Never verified by this service (the guard refuses).</summary>
        public const ushort CodeAForbidden = 0x0013;
        public const ushort CardKey = 0x001A;
    }

    /// <summary>入力補助AP's 照合番号A key reference.</summary>
    public const ushort InputSupportCodeAForbidden = 0x0014;
}
