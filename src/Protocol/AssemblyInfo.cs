using System.Runtime.Versioning;

// The reader and the clinic terminal side run on Linux (glibc, Unix file modes, signals to the broker).
[assembly: SupportedOSPlatform("linux")]
