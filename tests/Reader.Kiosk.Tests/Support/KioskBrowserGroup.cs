namespace Reader.Kiosk.Tests.Support;

/// <summary>All browser tests share one host and one Chromium and run one after another (2 cores for everybody).</summary>
[CollectionDefinition(Name)]
public sealed class KioskBrowserGroup : ICollectionFixture<KioskBrowserFixture>
{
    public const string Name = "Kiosk browser";
}
