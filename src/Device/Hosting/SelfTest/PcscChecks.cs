using Reader.Card.Pcsc;
using Reader.Device.Hosting.Sections;

namespace Reader.Device.Hosting.SelfTest;

internal sealed class PcscLibraryCheck : ISelfTestCheck
{
    public string Name => "libpcsclite";

    public Task<SelfTestResult> RunAsync(CancellationToken cancellationToken) => Task.FromResult(
        PcscContext.IsLibraryAvailable(out var reason) ? SelfTestResult.Pass("libpcsclite.so.1 loads") : SelfTestResult.Fail(reason!));
}

internal sealed class PcscServiceCheck : ISelfTestCheck
{
    public string Name => "pcscd";

    public Task<SelfTestResult> RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var context = PcscContext.Establish();
            return Task.FromResult(SelfTestResult.Pass("pcscd reachable"));
        }
        catch (PcscException e)
        {
            return Task.FromResult(SelfTestResult.Fail(e.Message));
        }
    }
}

internal sealed class CardReaderCheck(CardOptions options) : ISelfTestCheck
{
    public string Name => "card-reader";

    public Task<SelfTestResult> RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var context = PcscContext.Establish();
            var readers = context.ListReaders();
            if (readers.Count == 0)
            {
                return Task.FromResult(SelfTestResult.Fail("no card reader attached"));
            }

            if (!string.IsNullOrEmpty(options.ReaderName) && !readers.Contains(options.ReaderName))
            {
                return Task.FromResult(SelfTestResult.Fail($"configured reader '{options.ReaderName}' not found (have: {string.Join(", ", readers)})"));
            }

            return Task.FromResult(SelfTestResult.Pass($"{readers.Count} reader(s): {string.Join(", ", readers)}"));
        }
        catch (PcscException e)
        {
            return Task.FromResult(SelfTestResult.Fail(e.Message));
        }
    }
}
