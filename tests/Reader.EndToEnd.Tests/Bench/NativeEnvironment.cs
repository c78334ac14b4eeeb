using Reader.Interop.Libc;

namespace Reader.EndToEnd.Tests.Bench;

/// <summary>
/// libc setenv: .NET's Environment.SetEnvironmentVariable does not change the native environment, and
/// libpcsclite reads PCSCLITE_CSOCK_NAME with getenv (once per process, so before the first PC/SC call).
/// </summary>
internal static class NativeEnvironment
{
    public static void Set(string name, string value)
    {
        if (Libc.setenv(name, value, 1) != 0)
        {
            throw new InvalidOperationException($"setenv {name} failed");
        }

        Environment.SetEnvironmentVariable(name, value);
    }
}
