using System.Runtime.Versioning;

// Like the service it tests (PC/SC, libgpiod, libmosquitto, sd_notify).
[assembly: SupportedOSPlatform("linux")]
