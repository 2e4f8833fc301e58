using System.Globalization;
using Tessera.Vips.Interop;

namespace Tessera.Vips;

/// <summary>
/// A whole slide opened with OpenSlide directly (Debian's <c>libopenslide0</c>, the library libvips' <c>openslideload</c>
/// wraps), for what libvips 8.14.1 cannot give safely: the associated images (label, macro, thumbnail). libvips' own
/// path to them crashes the process (a segfault in <c>openslide_get_error</c> under the associated image's generate
/// function); here each image is read whole, in one call, into memory Tessera owns, and every call's error is
/// OpenSlide's recorded error, checked after the call.
/// <para>
/// Thread-safe (an <c>openslide_t</c> is); but once OpenSlide records an error on an open slide every later call on it
/// fails, so a caller that got an <see cref="OpenSlideException"/> disposes it and opens the slide again.
/// </para>
/// </summary>
public sealed class OpenSlideFile : IDisposable
{
    private static readonly Lazy<bool> Loadable = new(OpenSlideCalls.IsLoadable);

    private readonly OpenSlideHandle _handle;

    private OpenSlideFile(string path, OpenSlideHandle handle)
    {
        Path = path;
        _handle = handle;
        AssociatedImageNames = OpenSlideCalls.AssociatedImageNames(handle);
    }

    /// <summary>Whether OpenSlide is installed (<c>apt-get install -y libopenslide0</c>).</summary>
    public static bool IsAvailable => Loadable.Value;

    public string Path { get; }

    /// <summary>The associated images' names in OpenSlide's order (label, macro, thumbnail, ... as the vendor has them).</summary>
    public IReadOnlyList<string> AssociatedImageNames { get; }

    /// <summary>OpenSlide's <c>openslide.vendor</c>: <c>aperio</c>, <c>philips</c>, <c>generic-tiff</c>, ...</summary>
    public string? Vendor => Property("openslide.vendor");

    /// <summary>
    /// Opens <paramref name="path"/> (by name: OpenSlide opens its files itself, and a MIRAX slide is several).
    /// </summary>
    /// <exception cref="OpenSlideException">No vendor recognises the file, or OpenSlide recognised it and could not open it (its text).</exception>
    public static OpenSlideFile Open(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!IsAvailable)
        {
            throw new OpenSlideException($"{OpenSlideNative.Library} (OpenSlide 3.4 or later) is not installed (apt-get install -y libopenslide0)");
        }

        var handle = OpenSlideCalls.Open(path, out var error) ?? throw new OpenSlideException($"{path} is not a slide OpenSlide recognises");
        if (error is not null)
        {
            handle.Dispose();
            throw new OpenSlideException($"{path} could not be opened by OpenSlide: {error}");
        }

        return new OpenSlideFile(path, handle);
    }

    /// <summary>A property of the slide (<c>openslide.mpp-x</c>, <c>aperio.AppMag</c>, ...), or null.</summary>
    public string? Property(string name) => OpenSlideCalls.Property(_handle, name);

    /// <summary>The size of associated image <paramref name="name"/>, from the slide's directory (nothing decoded).</summary>
    /// <exception cref="OpenSlideException">The slide has no such image, or OpenSlide reported an error.</exception>
    public (long Width, long Height) AssociatedImageSize(string name)
    {
        Known(name);
        var (width, height) = OpenSlideCalls.AssociatedImageDimensions(_handle, name);
        if (width < 1 || height < 1)
        {
            throw new OpenSlideException($"{Path}: OpenSlide gives no size for its associated image \"{name}\" ({OpenSlideCalls.Error(_handle) ?? $"{width}×{height}"})");
        }

        return (width, height);
    }

    /// <summary>
    /// Associated image <paramref name="name"/> as an 8-bit sRGB image in memory: OpenSlide's premultiplied ARGB
    /// un-premultiplied, and pixels with no coverage at all (alpha 0) given the slide's background colour
    /// (<c>openslide.background-color</c>, white when it has none), as libvips' <c>openslideload</c> with <c>rgb</c> does
    /// for a level. Refused before anything is read when it has more than <paramref name="maxPixels"/> pixels.
    /// </summary>
    /// <exception cref="OpenSlideException">No such image, over <paramref name="maxPixels"/>, or OpenSlide could not read it (damaged, truncated).</exception>
    public VipsImage ReadAssociatedImage(string name, long maxPixels)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPixels, 1);
        var (width, height) = AssociatedImageSize(name);
        var pixels = width * height;
        if (pixels > maxPixels || pixels > Array.MaxLength / 3)
        {
            throw new OpenSlideException($"Expected at most {maxPixels} pixels for associated image \"{name}\" of {Path} but it declares {width}×{height}");
        }

        var argb = new uint[pixels];
        if (!OpenSlideCalls.ReadAssociatedImage(_handle, name, argb))
        {
            throw new OpenSlideException($"{Path}: OpenSlide could not read its associated image \"{name}\": {OpenSlideCalls.Error(_handle)}");
        }

        var rgb = new byte[pixels * 3];
        Unpremultiply(argb, rgb, Background());
        using var image = VipsImage.FromPixels(rgb, (int)width, (int)height, 3);
        return image.Call("copy", ("interpretation", (int)Interpretation.Srgb));
    }

    /// <summary>
    /// Premultiplied ARGB words (alpha in the top byte, as OpenSlide and cairo give them) to RGB bytes: each colour
    /// scaled back by 255 / alpha, rounded; fully transparent pixels become <paramref name="background"/> (0xRRGGBB).
    /// </summary>
    public static void Unpremultiply(ReadOnlySpan<uint> argb, Span<byte> rgb, uint background)
    {
        if (rgb.Length < argb.Length * 3)
        {
            throw new ArgumentException($"Expected at least {argb.Length * 3} bytes for rgb but received {rgb.Length}", nameof(rgb));
        }

        for (var i = 0; i < argb.Length; i++)
        {
            var pixel = argb[i];
            var alpha = pixel >> 24;
            var o = i * 3;
            if (alpha == 255)
            {
                rgb[o] = (byte)(pixel >> 16);
                rgb[o + 1] = (byte)(pixel >> 8);
                rgb[o + 2] = (byte)pixel;
            }
            else if (alpha == 0)
            {
                rgb[o] = (byte)(background >> 16);
                rgb[o + 1] = (byte)(background >> 8);
                rgb[o + 2] = (byte)background;
            }
            else
            {
                rgb[o] = Scale((pixel >> 16) & 0xFF, alpha);
                rgb[o + 1] = Scale((pixel >> 8) & 0xFF, alpha);
                rgb[o + 2] = Scale(pixel & 0xFF, alpha);
            }
        }
    }

    private static byte Scale(uint premultiplied, uint alpha) => (byte)Math.Min(255, ((premultiplied * 255) + (alpha / 2)) / alpha);

    /// <summary>The slide's background colour as 0xRRGGBB: <c>openslide.background-color</c> (hex RRGGBB), else white.</summary>
    private uint Background() =>
        Property("openslide.background-color") is { Length: 6 } hex && uint.TryParse(hex, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var colour)
            ? colour
            : 0xFFFFFF;

    private void Known(string name)
    {
        if (!AssociatedImageNames.Contains(name))
        {
            throw new OpenSlideException($"Expected one of the associated images of {Path} ({string.Join(", ", AssociatedImageNames)}) but received \"{name}\"");
        }
    }

    public void Dispose() => _handle.Dispose();
}
