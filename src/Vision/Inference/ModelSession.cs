using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using Reader.Vision.Interop.OnnxRuntime;

namespace Reader.Vision.Inference;

/// <summary>
/// One ONNX model loaded once and run many times. Its inputs and outputs are float buffers on
/// the pinned object heap wrapped once as ORT tensors (CreateTensorWithDataAsOrtValue), so a
/// run copies nothing: callers write the input in place, ORT writes the outputs in place, and
/// callers read them in place. Not thread-safe: one run at a time (the pipeline serialises).
/// Buffers hold face data: <see cref="ClearBuffers"/> after each use.
/// </summary>
internal sealed unsafe class ModelSession : IDisposable
{
    private readonly OrtSessionHandle session;
    private readonly float[][] inputData;
    private readonly float[][] outputData;
    private readonly OrtValueHandle[] inputValues;
    private readonly OrtValueHandle[] outputValues;
    private readonly nint nativeBlock;
    private readonly byte** inputNames;
    private readonly byte** outputNames;
    private readonly nint* inputPointers;
    private readonly nint* outputPointers;
    private bool disposed;

    private ModelSession(string name, OrtSessionHandle session, TensorShape[] inputs, TensorShape[] outputs)
    {
        Name = name;
        this.session = session;
        Inputs = inputs;
        Outputs = outputs;
        var env = OnnxRuntimeEnvironment.Get(null);
        inputData = inputs.Select(s => GC.AllocateArray<float>(s.ElementCount, pinned: true)).ToArray();
        outputData = outputs.Select(s => GC.AllocateArray<float>(s.ElementCount, pinned: true)).ToArray();
        inputValues = inputs.Select((s, i) => WrapTensor(env, inputData[i], s)).ToArray();
        outputValues = outputs.Select((s, i) => WrapTensor(env, outputData[i], s)).ToArray();

        // Names and value pointers for Run, in one native block freed on dispose.
        var names = inputs.Concat(outputs).Select(s => Encoding.UTF8.GetBytes(s.Name + "\0")).ToArray();
        var pointerBytes = (inputs.Length + outputs.Length) * sizeof(nint) * 2;
        nativeBlock = (nint)NativeMemory.AllocZeroed((nuint)(pointerBytes + names.Sum(n => n.Length)));
        inputNames = (byte**)nativeBlock;
        outputNames = inputNames + inputs.Length;
        inputPointers = (nint*)(outputNames + outputs.Length);
        outputPointers = inputPointers + inputs.Length;
        var text = (byte*)(outputPointers + outputs.Length);
        for (var i = 0; i < names.Length; i++)
        {
            names[i].CopyTo(new Span<byte>(text, names[i].Length));
            if (i < inputs.Length)
            {
                inputNames[i] = text;
            }
            else
            {
                outputNames[i - inputs.Length] = text;
            }

            text += names[i].Length;
        }

        for (var i = 0; i < inputs.Length; i++)
        {
            inputPointers[i] = inputValues[i].DangerousGetHandle();
        }

        for (var i = 0; i < outputs.Length; i++)
        {
            outputPointers[i] = outputValues[i].DangerousGetHandle();
        }
    }

    /// <summary>Model name (manifest id), for diagnostics.</summary>
    internal string Name { get; }

    internal IReadOnlyList<TensorShape> Inputs { get; }

    internal IReadOnlyList<TensorShape> Outputs { get; }

    /// <summary>Runs so far and the time spent inside ORT's <c>Run</c> (Stopwatch ticks).</summary>
    internal long RunCount { get; private set; }

    internal long RunTicks { get; private set; }

    /// <summary>Input tensor <paramref name="index"/> to fill in place (NCHW/NHWC per the model).</summary>
    internal Span<float> Input(int index = 0) => inputData[index];

    /// <summary>Output tensor <paramref name="index"/> of the last run, read in place.</summary>
    internal ReadOnlySpan<float> Output(int index = 0) => outputData[index];

    /// <summary>Output tensor by name.</summary>
    internal ReadOnlySpan<float> Output(string name)
    {
        for (var i = 0; i < Outputs.Count; i++)
        {
            if (Outputs[i].Name == name)
            {
                return outputData[i];
            }
        }

        throw new ArgumentException($"{Name} has no output {name}", nameof(name));
    }

    internal static ModelSession Create(string name, ReadOnlySpan<byte> model, InferenceOptions options, string? libraryPath = null)
    {
        var env = OnnxRuntimeEnvironment.Get(libraryPath);
        var api = OnnxRuntimeLibrary.Api;
        using var sessionOptions = CreateSessionOptions(api, options);
        var handle = new OrtSessionHandle();
        nint sessionPointer;
        fixed (byte* bytes = model)
        {
            OrtStatus.Check(api.CreateSessionFromArray(env.Env.DangerousGetHandle(), bytes, (nuint)model.Length,
                sessionOptions.DangerousGetHandle(), &sessionPointer), $"CreateSessionFromArray({name})");
        }

        Marshal.InitHandle(handle, sessionPointer);
        try
        {
            var inputs = ReadShapes(api, sessionPointer, name, isInput: true);
            var outputs = ReadShapes(api, sessionPointer, name, isInput: false);
            return new ModelSession(name, handle, inputs, outputs);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>Runs the model on the current input buffers; outputs land in the output buffers.</summary>
    internal void Run()
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        var api = OnnxRuntimeLibrary.Api;
        var started = Stopwatch.GetTimestamp();
        var status = api.Run(session.DangerousGetHandle(), 0, inputNames, inputPointers, (nuint)Inputs.Count,
            outputNames, (nuint)Outputs.Count, outputPointers);
        RunTicks += Stopwatch.GetTimestamp() - started;
        RunCount++;
        OrtStatus.Check(status, $"Run({Name})");
    }

    /// <summary>Zeroes every input and output buffer (they hold face pixels or embeddings).</summary>
    internal void ClearBuffers()
    {
        foreach (var buffer in inputData)
        {
            Array.Clear(buffer);
        }

        foreach (var buffer in outputData)
        {
            Array.Clear(buffer);
        }
    }

    internal void ResetCounters()
    {
        RunCount = 0;
        RunTicks = 0;
    }

    public void Dispose()
    {
        if (disposed)
        {
            return;
        }

        disposed = true;
        ClearBuffers();
        foreach (var value in inputValues.Concat(outputValues))
        {
            value.Dispose();
        }

        session.Dispose();
        NativeMemory.Free((void*)nativeBlock);
    }

    private static OrtValueHandle WrapTensor(OnnxRuntimeEnvironment env, float[] pinned, TensorShape shape)
    {
        var api = OnnxRuntimeLibrary.Api;
        var handle = new OrtValueHandle();
        nint value;
        fixed (long* dims = shape.Dimensions)
        {
            // The array lives on the pinned object heap: its address never changes.
            var data = (void*)Marshal.UnsafeAddrOfPinnedArrayElement(pinned, 0);
            OrtStatus.Check(api.CreateTensorWithDataAsOrtValue(env.CpuMemory.DangerousGetHandle(), data,
                (nuint)(pinned.Length * sizeof(float)), dims, (nuint)shape.Dimensions.Length,
                ONNXTensorElementDataType.ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT, &value), "CreateTensorWithDataAsOrtValue");
        }

        Marshal.InitHandle(handle, value);
        return handle;
    }

    private static OrtSessionOptionsHandle CreateSessionOptions(OrtApi api, InferenceOptions options)
    {
        var handle = new OrtSessionOptionsHandle();
        nint pointer;
        OrtStatus.Check(api.CreateSessionOptions(&pointer), "CreateSessionOptions");
        Marshal.InitHandle(handle, pointer);
        OrtStatus.Check(api.SetIntraOpNumThreads(pointer, Math.Max(1, options.IntraOpThreads)), "SetIntraOpNumThreads");
        OrtStatus.Check(api.SetInterOpNumThreads(pointer, 1), "SetInterOpNumThreads");
        OrtStatus.Check(api.SetSessionExecutionMode(pointer, ExecutionMode.ORT_SEQUENTIAL), "SetSessionExecutionMode");
        OrtStatus.Check(api.SetSessionGraphOptimizationLevel(pointer, GraphOptimizationLevel.ORT_ENABLE_ALL), "SetSessionGraphOptimizationLevel");
        OrtStatus.Check(api.SetSessionLogSeverityLevel(pointer, (int)OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR), "SetSessionLogSeverityLevel");
        OrtStatus.Check(options.CpuMemoryArena ? api.EnableCpuMemArena(pointer) : api.DisableCpuMemArena(pointer), "CpuMemArena");
        // Spinning threads burn the shared cores while waiting: measured 2-3x slower under load.
        AddConfig(api, pointer, "session.intra_op.allow_spinning", "0");
        AddConfig(api, pointer, "session.inter_op.allow_spinning", "0");
        return handle;
    }

    private static void AddConfig(OrtApi api, nint options, string key, string value)
    {
        var k = Encoding.UTF8.GetBytes(key + "\0");
        var v = Encoding.UTF8.GetBytes(value + "\0");
        fixed (byte* kp = k)
        fixed (byte* vp = v)
        {
            OrtStatus.Check(api.AddSessionConfigEntry(options, kp, vp), $"AddSessionConfigEntry({key})");
        }
    }

    private static TensorShape[] ReadShapes(OrtApi api, nint session, string model, bool isInput)
    {
        nint allocator;
        OrtStatus.Check(api.GetAllocatorWithDefaultOptions(&allocator), "GetAllocatorWithDefaultOptions");
        nuint count;
        OrtStatus.Check(isInput ? api.SessionGetInputCount(session, &count) : api.SessionGetOutputCount(session, &count), "SessionGetInputCount");
        var shapes = new TensorShape[(int)count];
        for (nuint i = 0; i < count; i++)
        {
            byte* namePointer;
            OrtStatus.Check(isInput ? api.SessionGetInputName(session, i, allocator, &namePointer)
                                    : api.SessionGetOutputName(session, i, allocator, &namePointer), "SessionGetInputName");
            var name = Marshal.PtrToStringUTF8((nint)namePointer) ?? "";
            OrtStatus.Check(api.AllocatorFree(allocator, namePointer), "AllocatorFree");

            nint typeInfo;
            OrtStatus.Check(isInput ? api.SessionGetInputTypeInfo(session, i, &typeInfo)
                                    : api.SessionGetOutputTypeInfo(session, i, &typeInfo), "SessionGetInputTypeInfo");
            try
            {
                nint tensorInfo;
                OrtStatus.Check(api.CastTypeInfoToTensorInfo(typeInfo, &tensorInfo), "CastTypeInfoToTensorInfo");
                if (tensorInfo == 0)
                {
                    throw new OnnxRuntimeException($"{model}: {name} is not a tensor");
                }

                ONNXTensorElementDataType type;
                OrtStatus.Check(api.GetTensorElementType(tensorInfo, &type), "GetTensorElementType");
                if (type != ONNXTensorElementDataType.ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT)
                {
                    throw new OnnxRuntimeException($"{model}: {name} is {type}, float32 expected");
                }

                nuint rank;
                OrtStatus.Check(api.GetDimensionsCount(tensorInfo, &rank), "GetDimensionsCount");
                var dims = new long[(int)rank];
                fixed (long* d = dims)
                {
                    OrtStatus.Check(api.GetDimensions(tensorInfo, d, rank), "GetDimensions");
                }

                if (dims.Any(d => d <= 0))
                {
                    throw new OnnxRuntimeException($"{model}: {name} has a free dimension; fixed shapes expected");
                }

                shapes[(int)i] = new TensorShape(name, dims);
            }
            finally
            {
                api.ReleaseTypeInfo(typeInfo);
            }
        }

        return shapes;
    }
}
