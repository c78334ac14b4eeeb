namespace Reader.Device.Hosting;

/// <summary>The configuration is invalid; <see cref="Problems"/> name each key and what is wrong with it.</summary>
public sealed class ConfigurationException : Exception
{
    public ConfigurationException()
        : this([])
    {
    }

    public ConfigurationException(string message)
        : this([message])
    {
    }

    public ConfigurationException(string message, Exception innerException)
        : base(message, innerException) => Problems = [message];

    public ConfigurationException(IReadOnlyList<string> problems)
        : base("invalid configuration:" + string.Concat(problems.Select(p => "\n  " + p))) => Problems = problems;

    public IReadOnlyList<string> Problems { get; }
}
