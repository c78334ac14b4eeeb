using System.Runtime.Versioning;

// pcscd, vpcd, mosquitto, Chromium: the rig runs on Linux only.
[assembly: SupportedOSPlatform("linux")]

// One rig (daemons, reader process, browser) is shared per collection; collections run one after another (2 cores).
[assembly: CollectionBehavior(DisableTestParallelization = true)]
