using System.Runtime.Versioning;

// Like the device it runs under qemu-user, and the clinic broker set-up it pairs with (tests/Shared/Rig).
[assembly: SupportedOSPlatform("linux")]
