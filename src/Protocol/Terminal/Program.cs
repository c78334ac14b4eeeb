using System.CommandLine;

var root = new RootCommand();
return await root.Parse(args).InvokeAsync();
