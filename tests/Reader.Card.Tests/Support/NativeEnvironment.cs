using System.Runtime.InteropServices;

namespace Reader.Card.Tests.Support;

/// <summary>
/// libc setenv: .NET's Environment.SetEnvironmentVariable does not change the native environment, and
/// libpcsclite reads PCSCLITE_CSOCK_NAME with getenv (once per process).
/// </summary>
internal static partial class NativeEnvironment
{
    [LibraryImport("libc", EntryPoint = "setenv", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int SetEnv(string name, string value, int overwrite);

    public static void Set(string name, string value)
    {
        if (SetEnv(name, value, 1) != 0)
        {
            throw new InvalidOperationException($"setenv {name} failed");
        }

        Environment.SetEnvironmentVariable(name, value);
    }
}
