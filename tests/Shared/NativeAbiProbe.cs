using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;

namespace Reader.Tests.Shared;

/// <summary>
/// Checks what our bindings declare (struct sizes, field offsets, constants) against the C headers of each
/// architecture we build for. Every expectation becomes a <c>_Static_assert</c> in a C file compiled by clang for
/// the target with <c>-fsyntax-only</c>: only the headers are needed (Debian multiarch: libc6-dev:arm64), no cross
/// toolchain and no linker. Linked into the test projects of the components that bind native libraries.
/// </summary>
internal sealed class NativeAbiProbe
{
    /// <summary>The Linux targets of the product: the CI machine and the board.</summary>
    public static readonly IReadOnlyList<string> Targets = ["x86_64-linux-gnu", "aarch64-linux-gnu"];

    private readonly List<string> _includes = [];
    private readonly List<(string Expression, long Expected)> _expectations = [];

    /// <summary>The clang on PATH (Debian 12: clang-14), or null.</summary>
    public static string? Clang { get; } = FindClang();

    /// <summary>Why the probe cannot run for <paramref name="target"/> here, or null when it can.</summary>
    public static string? Unavailable(string target)
    {
        if (Clang is null)
        {
            return "clang is not installed (apt: clang-14)";
        }

        return File.Exists($"/usr/include/{target}/asm/fcntl.h") && File.Exists($"/usr/include/{target}/bits/types.h")
            ? null
            : $"the C headers for {target} are missing (apt: libc6-dev:{DebianArchitecture(target)} linux-libc-dev:{DebianArchitecture(target)})";
    }

    public NativeAbiProbe Include(string header)
    {
        _includes.Add(header);
        return this;
    }

    /// <summary>The C expression (evaluated for the target) must equal <paramref name="expected"/>.</summary>
    public NativeAbiProbe Expect(string cExpression, long expected)
    {
        _expectations.Add((cExpression, expected));
        return this;
    }

    /// <summary>sizeof(<paramref name="cType"/>) and the offset of each (C# field, C member path) pair.</summary>
    public NativeAbiProbe Layout<T>(string cType, params (string Field, string CMember)[] fields)
        where T : struct
    {
        Expect($"sizeof({cType})", Unsafe.SizeOf<T>());
        foreach (var (field, member) in fields)
        {
            Expect($"offsetof({cType}, {member})", Marshal.OffsetOf<T>(field).ToInt64());
        }

        return this;
    }

    /// <summary>Compiles the assertions for <paramref name="target"/>; returns clang's complaints (empty when all hold).</summary>
    public async Task<IReadOnlyList<string>> MismatchesAsync(string target)
    {
        var source = new StringBuilder();
        source.AppendLine("#define _GNU_SOURCE").AppendLine("#include <stddef.h>");
        foreach (var header in _includes)
        {
            source.Append("#include <").Append(header).AppendLine(">");
        }

        foreach (var (expression, expected) in _expectations)
        {
            string literal = expected < 0
                ? string.Create(CultureInfo.InvariantCulture, $"({expected}LL)")
                : string.Create(CultureInfo.InvariantCulture, $"{expected}ULL");
            source.Append(CultureInfo.InvariantCulture, $"_Static_assert((long long)({expression}) == (long long){literal}, \"{expression.Replace("\"", "'", StringComparison.Ordinal)}\");\n");
        }

        string file = Path.Combine(Path.GetTempPath(), $"abi-{Guid.NewGuid():N}.c");
        await File.WriteAllTextAsync(file, source.ToString());
        try
        {
            var start = new ProcessStartInfo(Clang ?? "clang")
            {
                RedirectStandardError = true,
                RedirectStandardOutput = true,
            };
            foreach (var argument in new[] { $"--target={target}", "-fsyntax-only", "-ferror-limit=0", "-I/usr/include/PCSC", "-I/usr/include/openjpeg-2.5", file })
            {
                start.ArgumentList.Add(argument);
            }

            using var clang = Process.Start(start)!;
            var errors = clang.StandardError.ReadToEndAsync();
            await clang.StandardOutput.ReadToEndAsync();
            await clang.WaitForExitAsync();
            var lines = (await errors).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Where(l => l.Contains("error:", StringComparison.Ordinal))
                .Select(l => l[(l.IndexOf("error:", StringComparison.Ordinal) + 6)..].Trim())
                .ToList();
            if (clang.ExitCode != 0 && lines.Count == 0)
            {
                lines.Add($"clang exited {clang.ExitCode} for {target}");
            }

            return lines;
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static string DebianArchitecture(string target) => target.StartsWith("aarch64", StringComparison.Ordinal) ? "arm64" : "amd64";

    private static string? FindClang()
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin";
        foreach (var name in new[] { "clang", "clang-16", "clang-15", "clang-14" })
        {
            foreach (var folder in path.Split(':', StringSplitOptions.RemoveEmptyEntries))
            {
                var candidate = Path.Combine(folder, name);
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        return null;
    }
}

/// <summary>A theory over <see cref="NativeAbiProbe.Targets"/>; skipped with the reason when clang or a target's headers are missing.</summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class NativeAbiTheoryAttribute : TheoryAttribute
{
    public NativeAbiTheoryAttribute()
    {
        var missing = NativeAbiProbe.Targets.Select(NativeAbiProbe.Unavailable).FirstOrDefault(r => r is not null);
        if (missing is not null)
        {
            Skip = missing;
        }
    }
}
