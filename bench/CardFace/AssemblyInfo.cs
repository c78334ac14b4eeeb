using System.Runtime.Versioning;

// Runs where the service runs (Linux: PC/SC, the service's configuration).
[assembly: SupportedOSPlatform("linux")]
