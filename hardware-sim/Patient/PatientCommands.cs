using System.CommandLine;
using Reader.HardwareSim.Daemon;

namespace Reader.HardwareSim.Patient;

/// <summary><c>reader-sim patient list | run &lt;script&gt;… --kiosk URL</c>: a scripted patient at the real kiosk page.</summary>
internal static class PatientCommands
{
    internal static Command Create(Option<string> socketOption)
    {
        var patient = new Command("patient", "a scripted patient driving the real kiosk page in headless Chromium");

        var list = new Command("list", "the patient scripts");
        list.SetAction(_ =>
        {
            foreach (var script in PatientScripts.All)
            {
                Console.WriteLine($"{script.Name,-28} {script.Summary}");
            }

            return 0;
        });
        patient.Subcommands.Add(list);

        var names = new Argument<string[]>("script") { Description = "script names (reader-sim patient list), or 'all'", Arity = ArgumentArity.OneOrMore };
        var kiosk = new Option<string>("--kiosk") { Description = "the kiosk page", DefaultValueFactory = _ => "http://127.0.0.1:8790/" };
        var keyFile = KeyFileOption();
        var slot = new Option<int>("--slot") { Description = "the reader slot the card goes on", DefaultValueFactory = _ => 0 };
        var brokerDir = new Option<string?>("--broker-dir") { Description = "the terminal's broker folder (for 目視: default $READER_RUN/broker)" };
        var terminalData = new Option<string?>("--terminal-data") { Description = "the terminal's data folder (paired readers; default $READER_RUN/terminal)" };
        var reader = new Option<string?>("--reader") { Description = "reader id at the terminal (default: the only paired reader)" };
        var screenshots = new Option<string?>("--screenshots") { Description = "write a PNG of every screen acted on into this folder (camera preview blanked)" };
        var mute = new Option<bool>("--mute") { Description = "answer voice requests with silence" };
        var size = new Option<string>("--size") { Description = "the screen, WIDTHxHEIGHT (the readers' screens: 1024x600, 800x480)", DefaultValueFactory = _ => "1024x600" };
        var run = new Command("run", "run scripts one after another; prints what happened; exit 1 when the kiosk did something unexpected")
        {
            names, kiosk, keyFile, slot, brokerDir, terminalData, reader, screenshots, mute, size,
        };
        run.SetAction(async (parse, token) =>
        {
            var chosen = parse.GetValue(names)!;
            var scripts = chosen is ["all"] ? PatientScripts.All.ToList() : chosen.Select(n => PatientScripts.Find(n)).OfType<PatientScript>().ToList();
            if (scripts.Count == 0 || (chosen is not ["all"] && scripts.Count != chosen.Length))
            {
                await Console.Error.WriteLineAsync($"reader-sim: unknown script in '{string.Join(" ", chosen)}' (reader-sim patient list)");
                return 2;
            }

            if (ParseSize(parse.GetValue(size)!) is not { } screen)
            {
                await Console.Error.WriteLineAsync($"reader-sim: --size {parse.GetValue(size)}: expected WIDTHxHEIGHT, e.g. 800x480");
                return 2;
            }

            var socket = parse.GetValue(socketOption)!;
            if (!File.Exists(socket))
            {
                await Console.Error.WriteLineAsync($"reader-sim: no daemon at {socket} (run ./reader sim up)");
                return 2;
            }

            var runFolder = Path.GetDirectoryName(Path.GetDirectoryName(socket)!)!;
            var terminal = !OperatingSystem.IsLinux() ? null : new TerminalOperator(parse.GetValue(brokerDir) ?? Path.Combine(runFolder, "broker"),
                parse.GetValue(terminalData) ?? Path.Combine(runFolder, "terminal"), parse.GetValue(reader));
            using var sim = new SimControlClient(socket);
            var world = new SimWorld(sim, parse.GetValue(slot), terminal);
            var options = new PatientOptions
            {
                MuteVoice = parse.GetValue(mute),
                ScreenshotFolder = parse.GetValue(screenshots),
                Width = screen.Width,
                Height = screen.Height,
            };
            await using var patient = await KioskPatient.OpenAsync(PageAddress(parse.GetValue(kiosk)!, parse.GetValue(keyFile), runFolder), options, token);
            patient.Narrated += Console.WriteLine;
            foreach (var script in scripts)
            {
                patient.Note($"— script {script.Name}: {script.Summary}");
                try
                {
                    await script.RunAsync(new PatientRun(patient, world, token));
                }
                catch (PatientScriptException e)
                {
                    await Console.Error.WriteLineAsync($"reader-sim: script {script.Name} failed: {e.Message}");
                    return 1;
                }
            }

            return 0;
        });
        patient.Subcommands.Add(run);
        return patient;
    }

    private static (int Width, int Height)? ParseSize(string text)
    {
        var parts = text.Split('x');
        return parts.Length == 2
            && int.TryParse(parts[0], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var width)
            && int.TryParse(parts[1], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var height)
            && width is >= 320 and <= 4096 && height is >= 240 and <= 4096
            ? (width, height)
            : null;
    }

    /// <summary><c>reader-sim technician pair</c>: reads the code off the kiosk's pairing screen and enters it at the terminal.</summary>
    internal static Command CreateTechnician()
    {
        var technician = new Command("technician", "a technician at the real kiosk page and the reference terminal");
        var kiosk = new Option<string>("--kiosk") { Description = "the kiosk page", DefaultValueFactory = _ => "http://127.0.0.1:8790/" };
        var keyFile = KeyFileOption();
        var brokerDir = new Option<string>("--broker-dir") { Description = "the terminal's broker folder", Required = true };
        var terminalData = new Option<string>("--terminal-data") { Description = "the terminal's data folder", Required = true };
        var pair = new Command("pair", "pair a new reader: read the one-time code off its pairing screen, type it at the terminal; prints the reader id")
        {
            kiosk, keyFile, brokerDir, terminalData,
        };
        pair.SetAction(async (parse, token) =>
        {
            if (!OperatingSystem.IsLinux())
            {
                return 2;
            }

            var terminal = new TerminalOperator(parse.GetValue(brokerDir)!, parse.GetValue(terminalData)!);
            await using var page = await KioskPatient.OpenAsync(PageAddress(parse.GetValue(kiosk)!, parse.GetValue(keyFile), null), new PatientOptions { MuteVoice = true }, token);
            page.Narrated += line => Console.Error.WriteLine(line);
            try
            {
                Console.WriteLine(await KioskTechnician.PairAsync(page, terminal, token));
                return 0;
            }
            catch (Exception e) when (e is PatientScriptException or Reader.Protocol.Pairing.PairingFailedException)
            {
                await Console.Error.WriteLineAsync("reader-sim: pairing failed: " + e.Message);
                return 1;
            }
        });
        technician.Subcommands.Add(pair);
        return technician;
    }

    private static Option<string?> KeyFileOption() => new("--kiosk-key-file")
    {
        Description = "the reader's per-boot kiosk key (Kiosk:AccessKeyFile; default $READER_RUN/kiosk/access.key when it exists)",
    };

    /// <summary>The page as the kiosk's launcher opens it: with the key when there is one.</summary>
    private static Uri PageAddress(string kiosk, string? keyFile, string? runFolder)
    {
        keyFile ??= (runFolder ?? Environment.GetEnvironmentVariable("READER_RUN")) is { Length: > 0 } run ? Path.Combine(run, "kiosk", "access.key") : null;
        return keyFile is not null && File.Exists(keyFile) ? KioskAddress.WithKeyFile(new Uri(kiosk), keyFile) : new Uri(kiosk);
    }
}
