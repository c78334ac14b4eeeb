using Reader.Shared.Interop.Libc;

namespace Reader.Shared;

/// <summary>
/// The process environment as native libraries see it. <see cref="Environment.SetEnvironmentVariable(string, string)"/>
/// changes .NET's copy only; a library that calls getenv (libpcsclite reads PCSCLITE_CSOCK_NAME at its first call)
/// needs the variable in the C environment too.
/// </summary>
public static class NativeEnvironment
{
    /// <summary>Sets <paramref name="name"/> in both the native and the .NET environment of this process.</summary>
    public static void Set(string name, string value)
    {
        if (Libc.setenv(name, value, 1) != 0)
        {
            throw new InvalidOperationException($"setenv {name} failed");
        }

        Environment.SetEnvironmentVariable(name, value);
    }
}
