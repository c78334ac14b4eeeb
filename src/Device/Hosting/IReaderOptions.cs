namespace Reader.Device.Hosting;

/// <summary>An options class bound from one configuration section and validated at start.</summary>
public interface IReaderOptions
{
    /// <summary>Problems as "Key: what is wrong" (relative to the section); empty when valid.</summary>
    IEnumerable<string> Validate();
}
