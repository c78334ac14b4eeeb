using Microsoft.Win32.SafeHandles;

namespace Reader.Imaging.Interop.Openjp2;

/// <summary>An opj_codec_t (compressor or decompressor).</summary>
internal sealed class SafeOpjCodecHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    /// <summary>Used by the marshaller.</summary>
    public SafeOpjCodecHandle()
        : base(ownsHandle: true)
    {
    }

    protected override bool ReleaseHandle()
    {
        Openjp2.opj_destroy_codec(handle);
        return true;
    }
}

/// <summary>An opj_stream_t.</summary>
internal sealed class SafeOpjStreamHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    /// <summary>Used by the marshaller.</summary>
    public SafeOpjStreamHandle()
        : base(ownsHandle: true)
    {
    }

    protected override bool ReleaseHandle()
    {
        Openjp2.opj_stream_destroy(handle);
        return true;
    }
}

/// <summary>An opj_image_t; its component planes are zeroed before the library frees them.</summary>
internal sealed unsafe class SafeOpjImageHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    /// <summary>Used by the marshaller.</summary>
    public SafeOpjImageHandle()
        : base(ownsHandle: true)
    {
    }

    internal opj_image_t* Image => (opj_image_t*)handle;

    protected override bool ReleaseHandle()
    {
        var image = (opj_image_t*)handle;
        if (image->comps is not null)
        {
            for (uint c = 0; c < image->numcomps; c++)
            {
                var comp = &image->comps[c];
                if (comp->data is not null)
                {
                    new Span<int>(comp->data, checked((int)((ulong)comp->w * comp->h))).Clear();
                }
            }
        }

        Openjp2.opj_image_destroy(handle);
        return true;
    }
}
