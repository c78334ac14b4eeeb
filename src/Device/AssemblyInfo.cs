using System.Runtime.Versioning;

// The service runs on Linux only (PC/SC, libgpiod, V4L2, sd_notify); the protocol library says so too.
[assembly: SupportedOSPlatform("linux")]
