using System.Diagnostics;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Reader.Shared.Threading;

namespace Reader.Vision.Inference;

/// <summary>
/// One ONNX model loaded once (an ONNX Runtime <see cref="InferenceSession"/>) and run many times.
/// Each input and output is a float buffer allocated once on the pinned object heap, wrapped once
/// as an <see cref="OrtValue"/> and bound once to the session (<see cref="OrtIoBinding"/>), so a run
/// copies and allocates nothing: callers write the input in place, ORT writes the outputs in place,
/// callers read them in place. Not thread-safe: one run at a time (the pipeline serialises).
/// Buffers hold face data: <see cref="ClearBuffers"/> after each use.
/// </summary>
internal sealed class ModelSession : IDisposable
{
    private readonly InferenceSession session;
    private readonly RunOptions runOptions;
    private readonly OrtIoBinding binding;
    private readonly float[][] inputData;
    private readonly float[][] outputData;
    private readonly List<OrtValue> values = [];
    private bool disposed;

    private ModelSession(string name, InferenceSession session, TensorShape[] inputs, TensorShape[] outputs)
    {
        Name = name;
        this.session = session;
        Inputs = inputs;
        Outputs = outputs;
        inputData = inputs.Select(s => GC.AllocateArray<float>(s.ElementCount, pinned: true)).ToArray();
        outputData = outputs.Select(s => GC.AllocateArray<float>(s.ElementCount, pinned: true)).ToArray();
        runOptions = new RunOptions { LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR };
        binding = session.CreateIoBinding();
        try
        {
            for (var i = 0; i < inputs.Length; i++)
            {
                binding.BindInput(inputs[i].Name, Wrap(inputData[i], inputs[i]));
            }

            for (var i = 0; i < outputs.Length; i++)
            {
                binding.BindOutput(outputs[i].Name, Wrap(outputData[i], outputs[i]));
            }
        }
        catch
        {
            ReleaseBindings();
            throw;
        }
    }

    /// <summary>Model name (manifest id), for diagnostics.</summary>
    internal string Name { get; }

    internal IReadOnlyList<TensorShape> Inputs { get; }

    internal IReadOnlyList<TensorShape> Outputs { get; }

    /// <summary>The ONNX Runtime session itself (the bench runs it directly as the peer).</summary>
    internal InferenceSession OrtSession => session;

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

    /// <summary>Creates the session from model bytes already checked against the manifest.
    /// Throws <see cref="VisionRuntimeException"/> when ONNX Runtime cannot load or refuses the model,
    /// or when an input or output is not a float32 tensor of fixed shape.</summary>
    internal static ModelSession Create(string name, byte[] model, InferenceOptions options)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(options);
        OnnxRuntimeEnvironment.Get();
        InferenceSession session;
        using (var sessionOptions = options.ToSessionOptions())
        {
            try
            {
                session = OnnxWorkerThreads.Create(() => new InferenceSession(model, sessionOptions));
            }
            catch (OnnxRuntimeException e)
            {
                throw new VisionRuntimeException($"ONNX Runtime cannot load model {name}: {e.Message}", e);
            }
        }

        try
        {
            var inputs = session.InputNames.Select(n => ShapeOf(name, n, session.InputMetadata[n])).ToArray();
            var outputs = session.OutputNames.Select(n => ShapeOf(name, n, session.OutputMetadata[n])).ToArray();
            return new ModelSession(name, session, inputs, outputs);
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    /// <summary>Runs the model on the current input buffers; outputs land in the output buffers.</summary>
    internal void Run()
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        var started = Stopwatch.GetTimestamp();
        try
        {
            session.RunWithBinding(runOptions, binding);
        }
        catch (OnnxRuntimeException e)
        {
            // The wrappers clear after reading the outputs; a failed run leaves them nothing to read.
            ClearBuffers();
            throw new VisionRuntimeException($"ONNX Runtime Run({Name}) failed: {e.Message}", e);
        }
        finally
        {
            RunTicks += Stopwatch.GetTimestamp() - started;
            RunCount++;
        }
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
        ReleaseBindings();
        session.Dispose();
    }

    private void ReleaseBindings()
    {
        binding.Dispose();
        foreach (var value in values)
        {
            value.Dispose();
        }

        values.Clear();
        runOptions.Dispose();
    }

    /// <summary>Our pinned buffer as an ORT tensor: ORT reads and writes this memory itself.</summary>
    private OrtValue Wrap(float[] pinned, TensorShape shape)
    {
        var value = OrtValue.CreateTensorValueFromMemory(pinned, shape.Dimensions);
        values.Add(value);
        return value;
    }

    private static TensorShape ShapeOf(string model, string name, NodeMetadata metadata)
    {
        if (!metadata.IsTensor || metadata.ElementDataType != TensorElementType.Float)
        {
            throw new VisionRuntimeException($"{model}: {name} is {(metadata.IsTensor ? metadata.ElementDataType.ToString() : metadata.OnnxValueType.ToString())}, a float32 tensor expected");
        }

        if (metadata.Dimensions.Any(d => d <= 0))
        {
            throw new VisionRuntimeException($"{model}: {name} has a free dimension; fixed shapes expected");
        }

        return new TensorShape(name, metadata.Dimensions.Select(d => (long)d).ToArray());
    }
}
