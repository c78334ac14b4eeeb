namespace Reader.Device.Hosting.Sections;

/// <summary>
/// Where the service runs: in development <c>./reader</c> sets <c>READER_RUN</c> (a folder for state and logs), on a
/// device it is unset. Folders left empty resolve to the default of the place; devices are always the device's.
/// </summary>
public static class RunEnvironment
{
    /// <summary>The development run folder, or null on a device.</summary>
    public static string? RunFolder => Environment.GetEnvironmentVariable("READER_RUN") is { Length: > 0 } run ? run : null;

    public static bool IsDevelopment => RunFolder is not null;

    /// <summary><paramref name="configured"/> when set, else the development or the device default.</summary>
    public static string Resolve(string configured, Func<string, string> development, string device) =>
        !string.IsNullOrWhiteSpace(configured) ? configured
        : RunFolder is { } run ? development(run)
        : device;
}
