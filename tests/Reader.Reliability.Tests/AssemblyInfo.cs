using System.Runtime.Versioning;

// pcscd, vpcd, mosquitto, /proc, tmpfs: the rigs run on Linux only.
[assembly: SupportedOSPlatform("linux")]

// Each test runs a whole clinic and measures it: one at a time (2 cores), never beside each other.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
