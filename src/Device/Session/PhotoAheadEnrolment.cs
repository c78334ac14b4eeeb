using Reader.Device.Session.Seams;

namespace Reader.Device.Session;

/// <summary>
/// The chip photo enrolled while the card still sends the rest of its record (the photo came with the DF28 signature
/// that covers it; the record's other objects had not). The template is kept only when the photo of the record checked
/// whole is byte for byte the one enrolled, so a session never decides on anything else. The enrolment runs on the
/// thread pool (a thread of its own at low priority measured no better: its start cost the card link ≈ 1 ms). Holds a
/// copy of the photo until the enrolment is done; that copy is wiped either way.
/// </summary>
internal sealed class PhotoAheadEnrolment
{
    private readonly byte[] _photo;
    private readonly Task<IFaceTemplate?> _enrolment;
    private int _settled;

    private PhotoAheadEnrolment(IFaceMatcher face, ReadOnlySpan<byte> photo)
    {
        // Pinned: the collector never moves it, so wiping it wipes the only copy.
        _photo = GC.AllocateArray<byte>(photo.Length, pinned: true);
        photo.CopyTo(_photo);
        _enrolment = Task.Run(() => face.Enrol(_photo));
    }

    /// <summary>Copies <paramref name="photo"/> and starts enrolling it off the caller's thread (the card's, which goes on reading).</summary>
    public static PhotoAheadEnrolment Start(IFaceMatcher face, ReadOnlySpan<byte> photo) => new(face, photo);

    /// <summary>
    /// The enrolment's outcome when <paramref name="verified"/> is the photo enrolled (its template, null for no face in
    /// it; its failure is thrown, as enrolling the verified photo would have); null when the bytes differ or the
    /// enrolment of different bytes failed, and the caller enrols <paramref name="verified"/> itself. Once only.
    /// </summary>
    public async Task<Enrolled?> TakeIfSameAsync(ReadOnlyMemory<byte> verified)
    {
        if (Interlocked.Exchange(ref _settled, 1) != 0)
        {
            throw new InvalidOperationException("the photo enrolled ahead was already taken or abandoned");
        }

        try
        {
            var same = verified.Span.SequenceEqual(_photo);
            IFaceTemplate? template;
            try
            {
                template = await _enrolment.ConfigureAwait(false);
            }
            catch (Exception) when (!same)
            {
                return null;
            }

            if (same)
            {
                return new Enrolled(template);
            }

            template?.Dispose();
            return null;
        }
        finally
        {
            Array.Clear(_photo);
        }
    }

    /// <summary>
    /// The read failed or the photo is not used: waits for the enrolment, drops its template and wipes the copy. Nothing
    /// when <see cref="TakeIfSameAsync"/> settled it already (its template is the caller's then).
    /// </summary>
    public async Task AbandonAsync()
    {
        if (Interlocked.Exchange(ref _settled, 1) != 0)
        {
            return;
        }

        try
        {
            (await _enrolment.ConfigureAwait(false))?.Dispose();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Nothing of it is used: the session reports what made it abandon the photo.
        }
        finally
        {
            Array.Clear(_photo);
        }
    }

    /// <summary>What enrolling the photo gave: a template, or null when the photo holds no usable face.</summary>
    public sealed record Enrolled(IFaceTemplate? Template);
}
