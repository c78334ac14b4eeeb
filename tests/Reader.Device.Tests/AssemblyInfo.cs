using System.Runtime.Versioning;

// Like the service it tests (PC/SC, libgpiod, sd_notify).
[assembly: SupportedOSPlatform("linux")]
