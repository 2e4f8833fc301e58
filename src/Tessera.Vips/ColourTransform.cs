using System.Buffers.Binary;
using System.Text;
using Tessera.Vips.Interop;

namespace Tessera.Vips;

/// <summary>
/// A LittleCMS transform from one input ICC profile to sRGB, built once and run on any number of rows, from any number
/// of threads at once. libvips 8.14's <c>icc_transform</c> builds a new LittleCMS transform every time the operation is
/// built (about 11 ms for a 256 px tile here, with libvips' operation cache off as Tessera runs it); a source with a
/// non-sRGB profile is served faster by one of these per distinct profile, kept in a cache.
/// </summary>
/// <remarks>
/// Built as libvips builds its own, so the pixels agree: relative colorimetric intent (a profile without it is refused,
/// as libvips refuses it), no black point compensation
/// (libvips' default), LittleCMS' one-pixel cache off (which is also what makes sharing across threads safe, see
/// <see cref="LcmsNative.FlagNoCache"/>). The output profile is LittleCMS' built-in sRGB rather than libvips' bundled
/// sRGB profile file; the two differ by well under one ΔE00.
/// </remarks>
public sealed class ColourTransform : IDisposable
{
    private readonly LcmsTransformHandle _handle;

    private ColourTransform(LcmsTransformHandle handle, ColourTransformKind kind)
    {
        _handle = handle;
        Kind = kind;
        (InputBytesPerPixel, OutputBytesPerPixel) = kind switch
        {
            ColourTransformKind.Rgb => (3, 3),
            ColourTransformKind.Rgba => (4, 4),
            ColourTransformKind.Grey => (1, 3),
            ColourTransformKind.GreyAlpha => (2, 4),
            _ => (4, 3),
        };
    }

    /// <summary>Whether LittleCMS (<c>liblcms2.so.2</c>) is installed; when not, <see cref="Create"/> throws and callers keep to libvips.</summary>
    public static bool IsAvailable => LcmsTransforms.IsAvailable;

    public ColourTransformKind Kind { get; }

    /// <summary>Bytes of one input pixel: 3 (RGB), 4 (RGBA, CMYK), 1 (grey) or 2 (grey and alpha).</summary>
    public int InputBytesPerPixel { get; }

    /// <summary>Bytes of one output pixel: 3 (sRGB), or 4 when the input has alpha.</summary>
    public int OutputBytesPerPixel { get; }

    /// <summary>Builds the transform from <paramref name="inputProfile"/> (an ICC profile, copied) to 8-bit sRGB.</summary>
    /// <exception cref="ColourTransformException">
    /// The profile cannot be read, describes another colour space than <paramref name="kind"/> needs, or LittleCMS
    /// cannot build the transform (or is not installed).
    /// </exception>
    public static ColourTransform Create(ReadOnlySpan<byte> inputProfile, ColourTransformKind kind)
    {
        var (space, inputFormat, outputFormat, flags) = kind switch
        {
            ColourTransformKind.Rgb => (LcmsNative.SignatureRgb, LcmsNative.TypeRgb8, LcmsNative.TypeRgb8, 0u),
            ColourTransformKind.Rgba => (LcmsNative.SignatureRgb, LcmsNative.TypeRgba8, LcmsNative.TypeRgba8, LcmsNative.FlagCopyAlpha),
            ColourTransformKind.Grey => (LcmsNative.SignatureGray, LcmsNative.TypeGray8, LcmsNative.TypeRgb8, 0u),
            ColourTransformKind.GreyAlpha => (LcmsNative.SignatureGray, LcmsNative.TypeGrayA8, LcmsNative.TypeRgba8, LcmsNative.FlagCopyAlpha),
            ColourTransformKind.Cmyk => (LcmsNative.SignatureCmyk, LcmsNative.TypeCmyk8, LcmsNative.TypeRgb8, 0u),
            ColourTransformKind.CmykInverted => (LcmsNative.SignatureCmyk, LcmsNative.TypeCmyk8Reversed, LcmsNative.TypeRgb8, 0u),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, $"Expected a ColourTransformKind for kind but received {(int)kind}"),
        };

        // The ICC header alone is 128 bytes; LittleCMS would refuse less anyway, with a vaguer message.
        if (inputProfile.Length < 128)
        {
            throw new ColourTransformException($"Expected an ICC profile (at least 128 bytes) for inputProfile but received {inputProfile.Length} bytes");
        }

        if (!IsAvailable)
        {
            throw new ColourTransformException($"LittleCMS ({Libraries.Lcms}) is not installed (apt-get install -y liblcms2-2)");
        }

        using var input = LcmsTransforms.OpenProfile(inputProfile, out var openError)
            ?? throw new ColourTransformException($"Expected a readable ICC profile for inputProfile but LittleCMS could not open its {inputProfile.Length} bytes{Reason(openError)}");
        var actual = LcmsTransforms.ColourSpace(input);
        if (actual != space)
        {
            throw new ColourTransformException($"Expected an ICC profile of colour space {Name(space)} for {kind} pixels but received one of {Name(actual)}");
        }

        // LittleCMS would use the perceptual table (A2B0) where the relative one is missing, as the ICC specification
        // allows; libvips 8.14 instead rejects such a profile ("profile does not support relative input intent") and
        // uses its own built-in profile for the colour space, which gives quite other colours (a mean ΔE00 of 15 on a
        // photograph tagged with Ghostscript's ps_cmyk.icc). Refusing keeps Tessera's output what libvips gives.
        if (!LcmsTransforms.SupportsInputIntent(input, LcmsNative.IntentRelativeColorimetric))
        {
            throw new ColourTransformException($"Expected an ICC profile that supports the relative colorimetric intent as input but this {Name(actual)} profile does not (libvips would substitute its own)");
        }

        using var srgb = LcmsTransforms.CreateSrgb();
#pragma warning disable CA2000 // Owner: the ColourTransform made from it, whose Dispose releases the handle.
        var handle = LcmsTransforms.CreateTransform(input, inputFormat, srgb, outputFormat, LcmsNative.IntentRelativeColorimetric, LcmsNative.FlagNoCache | flags, out var buildError)
            ?? throw new ColourTransformException($"LittleCMS could not build a transform from this {Name(actual)} profile to sRGB{Reason(buildError)}");
#pragma warning restore CA2000
        return new ColourTransform(handle, kind);
    }

    /// <summary>
    /// Transforms <paramref name="rows"/> rows of <paramref name="width"/> pixels, in one native call. Rows lie
    /// <paramref name="sourceStride"/> and <paramref name="destinationStride"/> bytes apart; bytes between rows are not
    /// touched. The transform may run in place (the same buffer as source and destination, same stride) when input and
    /// output pixels are the same size (<see cref="ColourTransformKind.Rgb"/>, <see cref="ColourTransformKind.Rgba"/>).
    /// Safe to call from many threads at once.
    /// </summary>
    /// <exception cref="ObjectDisposedException">The transform was disposed.</exception>
    public void Transform(ReadOnlySpan<byte> source, Span<byte> destination, int width, int rows, int sourceStride, int destinationStride)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        var inputRow = (long)width * InputBytesPerPixel;
        var outputRow = (long)width * OutputBytesPerPixel;
        if (sourceStride < inputRow)
        {
            throw new ArgumentOutOfRangeException(nameof(sourceStride), sourceStride, $"Expected at least {inputRow} (width × {InputBytesPerPixel}) for sourceStride but received {sourceStride}");
        }

        if (destinationStride < outputRow)
        {
            throw new ArgumentOutOfRangeException(nameof(destinationStride), destinationStride, $"Expected at least {outputRow} (width × {OutputBytesPerPixel}) for destinationStride but received {destinationStride}");
        }

        if (rows == 0)
        {
            return;
        }

        var inputNeeded = ((rows - 1L) * sourceStride) + inputRow;
        if (source.Length < inputNeeded)
        {
            throw new ArgumentException($"Expected at least {inputNeeded} bytes for source ({rows} rows {sourceStride} apart) but received {source.Length}", nameof(source));
        }

        var outputNeeded = ((rows - 1L) * destinationStride) + outputRow;
        if (destination.Length < outputNeeded)
        {
            throw new ArgumentException($"Expected at least {outputNeeded} bytes for destination ({rows} rows {destinationStride} apart) but received {destination.Length}", nameof(destination));
        }

        // LittleCMS reads a pixel before it writes one, so a transform runs in place only over exactly the same pixels.
        if (source[..(int)inputNeeded].Overlaps(destination[..(int)outputNeeded], out var offset)
            && (offset != 0 || sourceStride != destinationStride || InputBytesPerPixel != OutputBytesPerPixel))
        {
            throw new ArgumentException(
                $"Expected destination to be either apart from source or the same pixels (same start, same stride, {Kind} keeping the pixel size) but it overlaps source at offset {offset}", nameof(destination));
        }

        LcmsTransforms.Apply(_handle, source[..(int)inputNeeded], destination[..(int)outputNeeded], width, rows, sourceStride, destinationStride);
    }

    /// <summary>Frees the transform; a call running on another thread finishes first.</summary>
    public void Dispose() => _handle.Dispose();

    private static string Reason(string? error) => string.IsNullOrWhiteSpace(error) ? string.Empty : $": {error.Trim()}";

    // A signature is four ASCII characters, space padded: 'RGB ', 'GRAY', 'CMYK', 'Lab '.
    private static string Name(uint signature)
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, signature);
        foreach (var b in bytes)
        {
            if (b is < 0x20 or > 0x7E)
            {
                return $"0x{signature:X8}";
            }
        }

        return Encoding.ASCII.GetString(bytes).TrimEnd();
    }
}
