using Tessera.Vips;

namespace Tessera.Imaging.Rendering;

/// <summary>
/// The images of one pipeline, disposed together once the result is encoded. With a <see cref="RenderControl"/>, every
/// image the render makes is watched, so stopping the render kills whichever of them libvips is computing; the first
/// image, which may be a level shared with other requests, is read through a copy of this render's own, never killed
/// itself.
/// </summary>
internal sealed class VipsChain : IDisposable
{
    private readonly List<VipsImage> _images;

    public VipsChain(VipsImage first, RenderControl? control = null)
    {
        _images = [first];
        Control = control;
        if (control is not null)
        {
            // A pass-through (no pixels copied): its regions point at the level's, but its kill flag is this render's.
            Then(first.Call("copy"));
        }
    }

    /// <summary>What stops this render, or null when nothing does.</summary>
    public RenderControl? Control { get; }

    public VipsImage Current => _images[^1];

    /// <summary>The first image (the opened level, perhaps shared): for reads that must start from the source itself.</summary>
    public VipsImage First => _images[0];

    public void Then(VipsImage next)
    {
        _images.Add(next);
        Control?.Watch(next);
    }

    /// <summary>Disposes the images so far and goes on from <paramref name="next"/>, which must not depend on them.</summary>
    public void Restart(VipsImage next)
    {
        Dispose();
        _images.Clear();
        _images.Add(next);
        Control?.Watch(next);
    }

    /// <summary>Throws <see cref="OperationCanceledException"/> once the render is stopped (between units of managed work).</summary>
    public void ThrowIfStopped() => Control?.ThrowIfStopped();

    public void Dispose()
    {
        foreach (var image in _images)
        {
            image.Dispose();
        }
    }
}
