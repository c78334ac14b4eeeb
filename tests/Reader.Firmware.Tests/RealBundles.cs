namespace Reader.Firmware.Tests;

[CollectionDefinition(Name)]
public sealed class RealBundles : ICollectionFixture<TestBundles>
{
    public const string Name = "real RAUC bundles";
}
