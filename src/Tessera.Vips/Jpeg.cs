using System.Runtime.InteropServices;
using Tessera.Vips.Interop;

namespace Tessera.Vips;

/// <summary>
/// libjpeg-turbo called directly (its TurboJPEG API, Debian's <c>libturbojpeg0</c>), for the one job where libvips'
/// general machinery costs more than the codec: decoding the stored JPEG tiles of a pyramid level into a buffer and
/// encoding a JPEG from one. libvips decodes such tiles through libtiff and copies them into its regions, and encodes
/// through a worker thread with a hand-off every few rows; measured on this machine, the direct calls took 31% less
/// time for a region's tiles and 35% less for an encode. Same codec, same quality settings, same pixels.
/// </summary>
public static class Jpeg
{
    private static readonly Lazy<bool> Loadable = new(() =>
    {
        if (!NativeLibrary.TryLoad(TurboJpegNative.Library, out var library))
        {
            return false;
        }

        NativeLibrary.Free(library);
        return true;
    });

    /// <summary>Whether libturbojpeg is installed (when not, callers keep to libvips).</summary>
    public static bool IsAvailable => Loadable.Value;

    /// <summary>
    /// Time spent inside libjpeg-turbo by this process so far, all threads together (every <see cref="Decode"/>,
    /// <see cref="DecodeTop"/> and <see cref="Encode"/>, wall-clock). The codec's part of a render is the part no other
    /// code can speed up: bench/floor reads it to find how fast a render could be at best. Costs two clock reads and
    /// one atomic add a call.
    /// </summary>
    public static TimeSpan CodecTime => TurboJpegCodec.Time;

    /// <summary>
    /// Decodes <paramref name="jpeg"/>, which must be exactly <paramref name="width"/> × <paramref name="height"/>,
    /// into <paramref name="destination"/> as 8-bit grey (<paramref name="bands"/> 1) or RGB (3), rows
    /// <paramref name="pitch"/> bytes apart. Strict: any damage the decoder notices, even one it could paper over, is an error.
    /// </summary>
    /// <exception cref="JpegException">The stream is damaged, truncated or of another size.</exception>
    public static void Decode(ReadOnlySpan<byte> jpeg, Span<byte> destination, int width, int height, int pitch, int bands)
    {
        CheckLayout(destination.Length, width, height, pitch, bands, nameof(destination));
        TurboJpegCodec.Decode(jpeg, destination, width, height, pitch, bands, shortenedFrame: false);
    }

    /// <summary>
    /// As <see cref="Decode"/>, for a stream whose frame header was shortened to its top <paramref name="height"/>
    /// rows while its entropy-coded data still holds all of them (a tile of which a region needs only the top): the
    /// decoder decodes those rows, then stops. Its report that data was left unread before EOI is expected and
    /// ignored; any damage in the rows decoded is still an error.
    /// </summary>
    /// <exception cref="JpegException">The stream is damaged, truncated or of another size.</exception>
    public static void DecodeTop(ReadOnlySpan<byte> jpeg, Span<byte> destination, int width, int height, int pitch, int bands)
    {
        CheckLayout(destination.Length, width, height, pitch, bands, nameof(destination));
        TurboJpegCodec.Decode(jpeg, destination, width, height, pitch, bands, shortenedFrame: true);
    }

    /// <summary>
    /// Checks that <paramref name="jpeg"/>, which must be <paramref name="width"/> × <paramref name="height"/> with
    /// <paramref name="bands"/> bands (1 or 3), decodes without a single warning, as <see cref="Decode"/> would, at a
    /// fraction of its cost (decoded at an eighth of the size: all of the entropy-coded data is read, where damage
    /// shows, while little of the pixel work is done). For data another decoder will read that would paper over damage.
    /// </summary>
    /// <exception cref="JpegException">The stream is damaged, truncated or of another size.</exception>
    public static void Verify(ReadOnlySpan<byte> jpeg, int width, int height, int bands)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        if (bands is not (1 or 3))
        {
            throw new ArgumentOutOfRangeException(nameof(bands), bands, "Expected 1 or 3 bands");
        }

        TurboJpegCodec.Verify(jpeg, width, height, bands);
    }

    /// <summary>
    /// Encodes 8-bit grey or RGB <paramref name="pixels"/> (rows <paramref name="pitch"/> bytes apart) at
    /// <paramref name="quality"/> (1–100; colour with 4:2:0 chroma, as libvips' <c>subsample_mode=on</c>), into
    /// <paramref name="destination"/>, which must hold <see cref="MaxEncodedBytes"/>. Returns the bytes written.
    /// </summary>
    public static int Encode(ReadOnlySpan<byte> pixels, int width, int height, int pitch, int bands, int quality, Span<byte> destination)
    {
        CheckLayout(pixels.Length, width, height, pitch, bands, nameof(pixels));
        ArgumentOutOfRangeException.ThrowIfLessThan(quality, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(quality, 100);
        var needed = MaxEncodedBytes(width, height, bands);
        if (destination.Length < needed)
        {
            throw new ArgumentException($"The output buffer holds {destination.Length} bytes; {needed} may be needed", nameof(destination));
        }

        return TurboJpegCodec.Encode(pixels, width, height, pitch, bands, quality, destination);
    }

    /// <summary>The most bytes an encode of this size can take.</summary>
    public static int MaxEncodedBytes(int width, int height, int bands) => TurboJpegCodec.MaxEncodedBytes(width, height, bands);

    private static void CheckLayout(int length, int width, int height, int pitch, int bands, string name)
    {
        if (bands is not (1 or 3))
        {
            throw new ArgumentException($"Grey (1 band) or RGB (3 bands) only, not {bands}", nameof(bands));
        }

        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        if (pitch < width * bands)
        {
            throw new ArgumentException($"Rows of {width} pixels need a pitch of at least {width * bands} bytes, not {pitch}", nameof(pitch));
        }

        var needed = ((long)(height - 1) * pitch) + ((long)width * bands);
        if (length < needed)
        {
            throw new ArgumentException($"{name} holds {length} bytes; {width}x{height} with pitch {pitch} needs {needed}", name);
        }
    }
}
