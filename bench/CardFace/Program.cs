using System.CommandLine;
using Reader.CardFace.Bench;

// reader-cardface-bench read IMAGE | eval --labels FILE | eval-rendered [--n N] …; each ends with one JSON line.
var root = new RootCommand("card-face reading (照合番号B by OCR) evaluated on photos and on rendered card faces");
foreach (var command in PhotoCommands.Create())
{
    root.Subcommands.Add(command);
}

root.Subcommands.Add(RenderedEvalCommand.Create());
return await root.Parse(args).InvokeAsync();
