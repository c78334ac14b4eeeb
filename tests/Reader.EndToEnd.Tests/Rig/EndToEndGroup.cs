namespace Reader.EndToEnd.Tests.Rig;

/// <summary>All patient flows share one rig: one pcscd, sim, broker, paired reader process, terminal and browser.</summary>
[CollectionDefinition(Name)]
public sealed class EndToEndGroup : ICollectionFixture<EndToEndRig>
{
    public const string Name = "End to end";
}
