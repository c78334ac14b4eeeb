namespace Reader.Device.Hosting.SelfTest;

public sealed record SelfTestResult(bool Ok, string Detail)
{
    public static SelfTestResult Pass(string detail) => new(true, detail);

    public static SelfTestResult Fail(string reason) => new(false, reason);
}

/// <summary>One dependency check of <c>self-test</c>. Areas add theirs with services.AddSingleton&lt;ISelfTestCheck, …&gt;().</summary>
public interface ISelfTestCheck
{
    string Name { get; }

    Task<SelfTestResult> RunAsync(CancellationToken cancellationToken);
}
