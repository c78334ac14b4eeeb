namespace Reader.Device.Tests;

public class SmokeTests
{
    [Fact]
    public void The_test_pipeline_runs() => Assert.True(true);
}
