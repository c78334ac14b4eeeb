using Reader.Vision.Inference;

namespace Reader.Vision.Pipeline;

/// <summary>The loaded models of the face pipeline: each session created once and reused.</summary>
internal sealed class FacePipeline : IDisposable
{
    private readonly List<ModelSession> sessions = [];

    private FacePipeline(VisionOptions options)
    {
        var directory = options.ModelDirectory ?? ModelStore.Locate()
            ?? throw new VisionModelException("no model cache found: run ./reader (it fetches the models) or set READER_MODELS");
        Store = ModelStore.Open(directory);
        var inference = new InferenceOptions { IntraOpThreads = options.IntraOpThreads };
        try
        {
            Detector = new FaceDetector(Load("fr_detect", inference)) { ScoreThreshold = options.DetectionThreshold };
            Landmarks = new LandmarkModel(Load("fr_landmark", inference));
            Embedder = new Embedder(Load("fr_feature", inference));
            Liveness = new LivenessModel(Load("fr_liveness", inference));
            Eyes = new EyeStateModel(Load("fr_eye", inference with { IntraOpThreads = 1 }));
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    internal ModelStore Store { get; }

    internal FaceDetector Detector { get; }

    internal LandmarkModel Landmarks { get; }

    internal Embedder Embedder { get; }

    internal LivenessModel Liveness { get; }

    internal EyeStateModel Eyes { get; }

    internal IReadOnlyList<ModelSession> Sessions => sessions;

    internal static FacePipeline Open(VisionOptions options) => new(options);

    internal ModelSession Session(string id) => sessions.First(s => s.Name == id);

    public void Dispose()
    {
        foreach (var session in sessions)
        {
            session.Dispose();
        }

        sessions.Clear();
    }

    private ModelSession Load(string id, InferenceOptions inference)
    {
        var session = ModelSession.Create(id, Store.ReadVerified(id), inference);
        sessions.Add(session);
        return session;
    }
}
