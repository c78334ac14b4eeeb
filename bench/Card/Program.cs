using System.CommandLine;
using Reader.Card.Bench;
using Reader.Card.MyNumber;
using Reader.Device.Hosting;

// reader-card-bench [--iterations N] [--reader NAME] [--face-code B|-] [--config FILE]; last line one JSON object.
var iterations = new Option<int>("--iterations") { Description = "certificate reads per tool", DefaultValueFactory = _ => 20 };
var reader = new Option<string?>("--reader") { Description = "PC/SC reader name (default: the first reader with a card)" };
var faceCode = new Option<string?>("--face-code") { Description = "照合番号B (14 digits, or '-' to read it from stdin): also measures the face path" };
var root = new RootCommand("read the auth certificate N times with our client and with pkcs15-tool on the same card; last line JSON")
{
    iterations, reader, faceCode,
};
root.Options.Add(CommandContext.ConfigOption);
root.SetAction(async (parse, token) =>
{
    var value = parse.GetValue(faceCode);
    var digits = value == "-" ? (Console.In.ReadLine() ?? "").Trim() : value;
    if (digits is { Length: > 0 and not 14 })
    {
        await Console.Error.WriteLineAsync("reader-card-bench: --face-code must be 14 digits");
        return 2;
    }

    var name = parse.GetValue(reader);
    return await CardBench.RunAsync(parse, parse.GetValue(iterations), string.IsNullOrEmpty(name) ? null : name,
        string.IsNullOrEmpty(digits) ? null : SecretDigits.FromChars(digits), token);
});
return await root.Parse(args).InvokeAsync();
