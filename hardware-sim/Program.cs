using System.CommandLine;

var root = new RootCommand("Simulated reader hardware: virtual My Number Cards on vpcd, virtual cameras, GPIO.");
return await root.Parse(args).InvokeAsync();
