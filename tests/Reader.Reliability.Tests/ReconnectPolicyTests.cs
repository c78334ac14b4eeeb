using Reader.Protocol.Transport;
using Reader.Reliability.Tests.Chaos;

namespace Reader.Reliability.Tests;

/// <summary>The default reconnect back-off lets a reader come back within the chaos bench's recovery goal after a broker outage of any length.</summary>
public sealed class ReconnectPolicyTests
{
    [Fact]
    public void After_a_long_outage_the_next_attempt_comes_sooner_than_the_recovery_goal()
    {
        var policy = new ReconnectPolicy();
        for (var attempt = 1; attempt <= 40; attempt++)
        {
            for (var draw = 0; draw < 50; draw++)
            {
                Assert.True(policy.DelayFor(attempt).TotalSeconds < ChaosReport.RecoveryGoalSeconds - 1, $"attempt {attempt} may wait {policy.DelayFor(attempt).TotalSeconds:F1} s");
            }
        }
    }

    [Fact]
    public void The_first_attempts_still_back_off_exponentially()
    {
        var policy = new ReconnectPolicy { Jitter = 0 };
        Assert.Equal(TimeSpan.FromMilliseconds(250), policy.DelayFor(1));
        Assert.Equal(TimeSpan.FromMilliseconds(500), policy.DelayFor(2));
        Assert.Equal(TimeSpan.FromSeconds(2), policy.DelayFor(4));
        Assert.Equal(TimeSpan.FromSeconds(3), policy.DelayFor(10));
    }
}
