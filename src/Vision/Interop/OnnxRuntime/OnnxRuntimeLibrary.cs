using System.Reflection;
using System.Runtime.InteropServices;

namespace Reader.Vision.Interop.OnnxRuntime;

/// <summary>
/// Finds and loads libonnxruntime.so.1, reads its function table once and checks it.
/// Resolution order: environment <c>READER_ORT_LIBRARY</c>, then the path given to
/// <see cref="Configure"/> (the model cache's <c>onnxruntime/&lt;platform&gt;/libonnxruntime.so.1</c>),
/// then the system loader's own search for <c>libonnxruntime.so.1</c>.
/// </summary>
internal static unsafe class OnnxRuntimeLibrary
{
    internal const string EnvironmentVariable = "READER_ORT_LIBRARY";
    internal const string FileName = "libonnxruntime.so.1";
    internal const string ExpectedVersionPrefix = "1.30.";

    private static readonly Lock Gate = new();
    private static string? configuredPath;
    private static bool resolverInstalled;
    private static OrtApi? api;
    private static string? version;

    /// <summary>The checked function table. Loads the library on first use.</summary>
    internal static OrtApi Api => api ?? Load();

    /// <summary>The library's own version string (e.g. "1.30.0").</summary>
    internal static string Version
    {
        get
        {
            _ = Api;
            return version!;
        }
    }

    /// <summary>The file the loader resolved to, for diagnostics.</summary>
    internal static string? ResolvedPath { get; private set; }

    /// <summary>Sets the library file to load. Only effective before the first use.</summary>
    internal static void Configure(string? libraryPath)
    {
        lock (Gate)
        {
            if (api is null && !string.IsNullOrEmpty(libraryPath))
            {
                configuredPath = libraryPath;
            }
        }
    }

    private static OrtApi Load()
    {
        lock (Gate)
        {
            if (api is not null)
            {
                return api;
            }

            InstallResolver();
            nint basePointer;
            try
            {
                basePointer = OnnxRuntimeNative.OrtGetApiBase();
            }
            catch (DllNotFoundException e)
            {
                throw new OnnxRuntimeException(
                    $"{FileName} not found (looked at {CandidateDescription()}); run ./reader to fetch it or set {EnvironmentVariable}", e);
            }
            catch (EntryPointNotFoundException e)
            {
                throw new OnnxRuntimeException($"{ResolvedPath ?? FileName} is not ONNX Runtime (no OrtGetApiBase)", e);
            }

            if (basePointer == 0)
            {
                throw new OnnxRuntimeException("OrtGetApiBase returned null");
            }

            var apiBase = (OrtApiBase*)basePointer;
            var versionText = Marshal.PtrToStringUTF8((nint)apiBase->GetVersionString()) ?? "";
            if (!versionText.StartsWith(ExpectedVersionPrefix, StringComparison.Ordinal))
            {
                throw new OnnxRuntimeException(
                    $"ONNX Runtime {versionText} found, {ExpectedVersionPrefix}x expected: the function table positions are taken from the 1.30 header");
            }

            var table = apiBase->GetApi(OrtApi.ORT_API_VERSION);
            if (table == 0)
            {
                throw new OnnxRuntimeException($"ONNX Runtime {versionText} does not offer API version {OrtApi.ORT_API_VERSION}");
            }

            var loaded = new OrtApi(table);
            version = versionText;
            api = loaded;
            try
            {
                OrtSelfCheck.Run(loaded);
            }
            catch
            {
                api = null;
                throw;
            }

            return loaded;
        }
    }

    private static void InstallResolver()
    {
        if (resolverInstalled)
        {
            return;
        }

        NativeLibrary.SetDllImportResolver(typeof(OnnxRuntimeLibrary).Assembly, Resolve);
        resolverInstalled = true;
    }

    private static nint Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath)
    {
        if (libraryName != OnnxRuntimeNative.Library)
        {
            return 0;
        }

        foreach (var candidate in Candidates())
        {
            if (candidate.Contains('/', StringComparison.Ordinal) && !File.Exists(candidate))
            {
                continue;
            }

            if (NativeLibrary.TryLoad(candidate, out var handle))
            {
                ResolvedPath = candidate;
                return handle;
            }
        }

        return 0;
    }

    private static IEnumerable<string> Candidates()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrEmpty(fromEnvironment))
        {
            yield return fromEnvironment;
        }

        if (configuredPath is not null)
        {
            yield return configuredPath;
        }

        yield return FileName;
    }

    private static string CandidateDescription() => string.Join(", ", Candidates());
}
