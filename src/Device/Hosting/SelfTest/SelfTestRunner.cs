using System.Globalization;

namespace Reader.Device.Hosting.SelfTest;

/// <summary>Runs every registered check (each bounded in time, an exception counts as a failure) and reports; exit code 0 only when all pass.</summary>
public sealed class SelfTestRunner(IEnumerable<ISelfTestCheck> checks)
{
    public static readonly TimeSpan DefaultCheckTimeout = TimeSpan.FromSeconds(10);

    public SelfTestRunner(IEnumerable<ISelfTestCheck> checks, TimeSpan checkTimeout)
        : this(checks) => CheckTimeout = checkTimeout;

    public TimeSpan CheckTimeout { get; } = DefaultCheckTimeout;

    public async Task<IReadOnlyList<(string Name, SelfTestResult Result)>> RunAsync(CancellationToken cancellationToken)
    {
        var results = new List<(string, SelfTestResult)>();
        foreach (var check in checks)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(CheckTimeout);
            SelfTestResult result;
            try
            {
                result = await check.RunAsync(timeout.Token).WaitAsync(CheckTimeout, cancellationToken);
            }
            catch (TimeoutException)
            {
                result = SelfTestResult.Fail(string.Create(CultureInfo.InvariantCulture, $"no answer within {CheckTimeout.TotalSeconds:0} s"));
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                result = SelfTestResult.Fail("timed out");
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                // A check that throws has failed, with its reason: the self-test reports it and goes on to the next.
                result = SelfTestResult.Fail($"{e.GetType().Name}: {e.Message}");
            }

            results.Add((check.Name, result));
        }

        return results;
    }

    public static int Print(IReadOnlyList<(string Name, SelfTestResult Result)> results, TextWriter output)
    {
        foreach (var (name, result) in results)
        {
            output.WriteLine($"{(result.Ok ? "ok  " : "FAIL")} {name,-14} {result.Detail}");
        }

        var failed = results.Count(r => !r.Result.Ok);
        output.WriteLine(failed == 0 ? "self-test passed" : $"self-test failed: {failed} of {results.Count} checks");
        return failed == 0 ? 0 : 1;
    }
}
