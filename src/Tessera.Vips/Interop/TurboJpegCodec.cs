using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;

namespace Tessera.Vips.Interop;

/// <summary>The pointer-level work behind <see cref="Jpeg"/>, with a small pool of codec instances.</summary>
internal static unsafe class TurboJpegCodec
{
    // An instance holds libjpeg's state (a few KB); renders run on a few threads, so a few are kept for reuse.
    private const int Pooled = 16;
    private static readonly ConcurrentQueue<TurboJpegHandle> Decompressors = new();
    private static readonly ConcurrentQueue<TurboJpegHandle> Compressors = new();

    /// <summary>The warning libjpeg gives when data is left before EOI (here: the rows a shortened frame leaves out).</summary>
    private const string UnreadDataWarning = "extraneous bytes before marker 0xd9";

    private static long _ticks;

    /// <summary>Time spent in <see cref="Decode"/> and <see cref="Encode"/> so far, all threads together (Jpeg.CodecTime).</summary>
    public static TimeSpan Time => Stopwatch.GetElapsedTime(0, Interlocked.Read(ref _ticks));

    [SuppressMessage("Reliability", "CA2000", Justification = "Owner: the pool. The handle is rented from it and handed back (Return, which disposes it when the pool is full) in the finally.")]
    public static void Decode(ReadOnlySpan<byte> jpeg, Span<byte> destination, int width, int height, int pitch, int bands, bool shortenedFrame)
    {
        var start = Stopwatch.GetTimestamp();
        var handle = Rent(Decompressors, decompress: true);
        try
        {
            fixed (byte* source = jpeg)
            fixed (byte* target = destination)
            {
                // TurboJPEG scales a larger stream down to fit the size given: a stream of another size than the
                // caller expects is damage, not something to resample.
                CheckHeader(handle, source, jpeg.Length, width, height);

                var format = bands == 1 ? TurboJpegNative.PixelGray : TurboJpegNative.PixelRgb;
                if (TurboJpegNative.tjDecompress2(handle, source, (nuint)jpeg.Length, target, width, pitch, height, format, TurboJpegNative.FlagAccurateDct | TurboJpegNative.FlagStopOnWarning | TurboJpegNative.FlagLimitScans) != 0)
                {
                    // Stopping at the first warning, a shortened frame's only one comes after its last row is out:
                    // the data of the rows left out, found when the decoder looks for EOI.
                    var error = TurboJpegNative.Error(handle);
                    if (!(shortenedFrame && TurboJpegNative.tjGetErrorCode(handle) == TurboJpegNative.ErrorWarning && error.EndsWith(UnreadDataWarning, StringComparison.Ordinal)))
                    {
                        throw new JpegException($"The JPEG could not be decoded: {error}");
                    }
                }
            }
        }
        finally
        {
            Return(Decompressors, handle);
            Interlocked.Add(ref _ticks, Stopwatch.GetTimestamp() - start);
        }
    }

    /// <summary>
    /// Decodes at an eighth of the size into a small scratch buffer and throws at the first warning: every entropy-coded
    /// unit is still decoded (that is where damage shows), while the inverse DCT and colour conversion, most of a full
    /// decode, shrink to one sample per block.
    /// </summary>
    [SuppressMessage("Reliability", "CA2000", Justification = "Owner: the pool. The handle is rented from it and handed back (Return, which disposes it when the pool is full) in the finally.")]
    public static void Verify(ReadOnlySpan<byte> jpeg, int width, int height, int bands)
    {
        var start = Stopwatch.GetTimestamp();
        var handle = Rent(Decompressors, decompress: true);
        int scaledWidth = (width + 7) / 8, scaledHeight = (height + 7) / 8, pitch = scaledWidth * bands;
        var scratch = System.Buffers.ArrayPool<byte>.Shared.Rent(pitch * scaledHeight);
        try
        {
            fixed (byte* source = jpeg)
            fixed (byte* target = scratch)
            {
                CheckHeader(handle, source, jpeg.Length, width, height);

                // TurboJPEG picks the largest scaling factor that fits the size asked for: 1/8 for these.
                var format = bands == 1 ? TurboJpegNative.PixelGray : TurboJpegNative.PixelRgb;
                if (TurboJpegNative.tjDecompress2(handle, source, (nuint)jpeg.Length, target, scaledWidth, pitch, scaledHeight, format, TurboJpegNative.FlagStopOnWarning | TurboJpegNative.FlagLimitScans) != 0)
                {
                    throw new JpegException($"The JPEG could not be decoded: {TurboJpegNative.Error(handle)}");
                }
            }
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(scratch);
            Return(Decompressors, handle);
            Interlocked.Add(ref _ticks, Stopwatch.GetTimestamp() - start);
        }
    }

    [SuppressMessage("Reliability", "CA2000", Justification = "Owner: the pool. The handle is rented from it and handed back (Return, which disposes it when the pool is full) in the finally.")]
    public static int Encode(ReadOnlySpan<byte> pixels, int width, int height, int pitch, int bands, int quality, Span<byte> destination)
    {
        var start = Stopwatch.GetTimestamp();
        var handle = Rent(Compressors, decompress: false);
        try
        {
            fixed (byte* source = pixels)
            fixed (byte* target = destination)
            {
                var output = target;
                var size = (nuint)destination.Length;
                var format = bands == 1 ? TurboJpegNative.PixelGray : TurboJpegNative.PixelRgb;
                var subsampling = bands == 1 ? TurboJpegNative.SubsampleGray : TurboJpegNative.Subsample420;
                if (TurboJpegNative.tjCompress2(handle, source, width, pitch, height, format, &output, &size, subsampling, quality, TurboJpegNative.FlagAccurateDct | TurboJpegNative.FlagNoRealloc) != 0)
                {
                    throw new JpegException($"JPEG encoding failed: {TurboJpegNative.Error(handle)}");
                }

                return checked((int)size);
            }
        }
        finally
        {
            Return(Compressors, handle);
            Interlocked.Add(ref _ticks, Stopwatch.GetTimestamp() - start);
        }
    }

    /// <summary>Reads the stream's header and refuses one that is unreadable or of another size than expected.</summary>
    private static void CheckHeader(TurboJpegHandle handle, byte* source, int length, int width, int height)
    {
        int w, h, subsampling, colorspace;
        if (TurboJpegNative.tjDecompressHeader3(handle, source, (nuint)length, &w, &h, &subsampling, &colorspace) != 0)
        {
            throw new JpegException($"Not a readable JPEG: {TurboJpegNative.Error(handle)}");
        }

        if (w != width || h != height)
        {
            throw new JpegException($"The JPEG is {w}x{h}, not the {width}x{height} expected");
        }
    }

    public static int MaxEncodedBytes(int width, int height, int bands) =>
        checked((int)TurboJpegNative.tjBufSize(width, height, bands == 1 ? TurboJpegNative.SubsampleGray : TurboJpegNative.Subsample420));

    private static TurboJpegHandle Rent(ConcurrentQueue<TurboJpegHandle> pool, bool decompress)
    {
        if (pool.TryDequeue(out var handle))
        {
            return handle;
        }

        var created = decompress ? TurboJpegNative.tjInitDecompress() : TurboJpegNative.tjInitCompress();
        return created == 0 ? throw new JpegException("TurboJPEG could not create a codec instance (out of memory)") : new TurboJpegHandle(created);
    }

    private static void Return(ConcurrentQueue<TurboJpegHandle> pool, TurboJpegHandle handle)
    {
        if (pool.Count < Pooled)
        {
            pool.Enqueue(handle);
        }
        else
        {
            handle.Dispose();
        }
    }
}
