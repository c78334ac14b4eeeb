namespace Reader.HardwareSim.Camera;

/// <summary>POST /camera/play body: the scene name (live, photo, impostor, empty, dark, two-people) and optional portraits.</summary>
public sealed record CameraPlayRequest(string? Scene = null, string? Portrait = null, string? Other = null);
