using System.Diagnostics;

namespace Reader.Firmware.Tests;

/// <summary>
/// The committed RAUC handlers run as RAUC runs them (root, the bundle mounted at RAUC_BUNDLE_MOUNT_POINT), against
/// every kind of floor: the pre-install handler installs nothing unless the floor is a plain number in a root-owned
/// place nobody else may write. The same refusals through a real <c>rauc install</c> are in <see cref="InstallTests"/>.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class HandlerTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("reader-fw-handler-").FullName;

    public HandlerTests()
    {
        Directory.CreateDirectory(Bundle);
        Directory.CreateDirectory(State);
        File.WriteAllText(Path.Combine(Bundle, "release.json"), "{\n  \"securityVersion\": 5,\n  \"version\": \"2.0.0\"\n}\n");
    }

    private string Bundle => Path.Combine(_root, "bundle");

    private string State => Path.Combine(_root, "state");

    private string Floor => Path.Combine(State, "security-floor");

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("\n")]
    [InlineData("abc")]
    [InlineData("abc\n")]
    [InlineData("5x")]
    [InlineData("5x\n")]
    [InlineData(" 3")]
    [InlineData("-1")]
    [InlineData("3\n\n")]
    [InlineData("3\n4\n")]
    [InlineData("1234567890")]
    public async Task An_unreadable_floor_refuses_every_bundle(string? content)
    {
        if (content is not null)
        {
            await File.WriteAllTextAsync(Floor, content);
        }

        var (code, error) = await RunAsync("pre-install");
        Assert.NotEqual(0, code);
        Assert.StartsWith("FloorUnreadable:", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_floor_anyone_but_root_could_have_written_refuses_every_bundle()
    {
        await File.WriteAllTextAsync(Floor, "3\n");
        Assert.Equal(0, (await RunAsync("pre-install")).Code);

        File.SetUnixFileMode(Floor, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherWrite);
        Assert.StartsWith("FloorUnreadable:", (await RunAsync("pre-install")).Error, StringComparison.Ordinal);
        File.SetUnixFileMode(Floor, UnixFileMode.UserRead | UnixFileMode.UserWrite);

        File.SetUnixFileMode(State, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute);
        Assert.StartsWith("FloorUnreadable:", (await RunAsync("pre-install")).Error, StringComparison.Ordinal);
        File.SetUnixFileMode(State, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        string elsewhere = Path.Combine(_root, "elsewhere");
        File.Move(Floor, elsewhere);
        File.CreateSymbolicLink(Floor, elsewhere);
        Assert.StartsWith("FloorUnreadable:", (await RunAsync("pre-install")).Error, StringComparison.Ordinal);

        File.Delete(Floor);
        File.WriteAllText(Floor, "3\n");
        using (var chown = Process.Start("chown", ["65534", Floor])!)
        {
            await chown.WaitForExitAsync();
            Assert.Equal(0, chown.ExitCode);
        }

        Assert.StartsWith("FloorUnreadable:", (await RunAsync("pre-install")).Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("4", 0)]
    [InlineData("5", 0)]
    [InlineData("5\n", 0)]
    [InlineData("005\n", 0)]
    [InlineData("6\n", 1)]
    [InlineData("100\n", 1)]
    public async Task A_readable_floor_lets_equal_and_newer_security_versions_through(string floor, int expected)
    {
        await File.WriteAllTextAsync(Floor, floor);
        var (code, error) = await RunAsync("pre-install");
        Assert.Equal(expected, code);
        if (expected != 0)
        {
            Assert.StartsWith("RollbackRefused:", error, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task The_post_install_handler_records_each_target_slots_security_version()
    {
        var (code, error) = await RunAsync("post-install", ("RAUC_TARGET_SLOTS", "1 2"), ("RAUC_SLOT_NAME_1", "rootfs.1"), ("RAUC_SLOT_NAME_2", "appfs.1"));
        Assert.True(code == 0, error);
        Assert.Equal("5\n", File.ReadAllText(Path.Combine(State, "slots", "rootfs.1.security-version")));
        Assert.Equal("5\n", File.ReadAllText(Path.Combine(State, "slots", "appfs.1.security-version")));
        Assert.Equal(2, Directory.GetFiles(Path.Combine(State, "slots")).Length);
    }

    private async Task<(int Code, string Error)> RunAsync(string handler, params (string Name, string Value)[] environment)
    {
        var start = new ProcessStartInfo("/bin/sh", [Path.Combine(TestBundles.RepoRoot, "firmware", "rauc", "handlers", handler)])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        start.Environment["RAUC_BUNDLE_MOUNT_POINT"] = Bundle;
        start.Environment["READER_FIRMWARE_STATE"] = State;
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        string error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        await output;
        return (process.ExitCode, error);
    }
}
