using Tessera.Vips;

namespace Tessera.Imaging.Rendering;

/// <summary>The images of one pipeline, disposed together once the result is encoded.</summary>
internal sealed class VipsChain(VipsImage first) : IDisposable
{
    private readonly List<VipsImage> _images = [first];

    public VipsImage Current => _images[^1];

    public void Then(VipsImage next) => _images.Add(next);

    /// <summary>Disposes the images so far and goes on from <paramref name="next"/>, which must not depend on them.</summary>
    public void Restart(VipsImage next)
    {
        Dispose();
        _images.Clear();
        _images.Add(next);
    }

    public void Dispose()
    {
        foreach (var image in _images)
        {
            image.Dispose();
        }
    }
}
