using System.Runtime.Versioning;

// The reader and the clinic terminal side run on Linux (libmosquitto, glibc, Unix file modes).
[assembly: SupportedOSPlatform("linux")]
