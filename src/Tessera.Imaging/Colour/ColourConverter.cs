using Tessera.Vips;

namespace Tessera.Imaging.Colour;

/// <summary>
/// The conversion of a profile's pixels to sRGB, whichever engine does it: the profile's managed matrix/TRC transform
/// (<see cref="MatrixShaper"/>) for RGB and RGBA when it has one, else its LittleCMS transform from the cache. The one
/// place that choice is made, for the JPEG tile path and the libvips path alike.
/// </summary>
public readonly struct ColourConverter
{
    private readonly MatrixShaper? _shaper;
    private readonly ColourTransform? _transform;

    private ColourConverter(MatrixShaper? shaper, ColourTransform? transform, int inputBytes, int outputBytes)
    {
        (_shaper, _transform) = (shaper, transform);
        (InputBytesPerPixel, OutputBytesPerPixel) = (inputBytes, outputBytes);
    }

    /// <summary>Bytes of a source pixel.</summary>
    public int InputBytesPerPixel { get; }

    /// <summary>Bytes of an sRGB pixel out (a grey source gives three bands).</summary>
    public int OutputBytesPerPixel { get; }

    /// <summary>The converter of <paramref name="profile"/>'s pixels laid out as <paramref name="kind"/> says, or null when no engine takes them.</summary>
    public static ColourConverter? For(IccProfile profile, ColourTransformKind kind, ColourTransformCache transforms)
    {
        if (kind is ColourTransformKind.Rgb or ColourTransformKind.Rgba && profile.Shaper is { } shaper)
        {
            var bands = kind == ColourTransformKind.Rgb ? 3 : 4;
            return new ColourConverter(shaper, null, bands, bands);
        }

        return transforms.Get(profile, kind) is { } transform
            ? new ColourConverter(null, transform, transform.InputBytesPerPixel, transform.OutputBytesPerPixel)
            : null;
    }

    /// <summary>
    /// Converts <paramref name="rows"/> rows of <paramref name="width"/> pixels lying <paramref name="sourceStride"/> and
    /// <paramref name="destinationStride"/> bytes apart (in place when the pixel sizes agree).
    /// </summary>
    public void Transform(ReadOnlySpan<byte> source, Span<byte> destination, int width, int rows, int sourceStride, int destinationStride)
    {
        if (_shaper is { } shaper)
        {
            shaper.Transform(source, destination, width, rows, InputBytesPerPixel, sourceStride, destinationStride);
        }
        else
        {
            (_transform ?? throw new InvalidOperationException("A converter made by For")).Transform(source, destination, width, rows, sourceStride, destinationStride);
        }
    }
}
