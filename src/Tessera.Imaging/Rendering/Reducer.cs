using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Tessera.Imaging.Rendering;

/// <summary>
/// Separable reduction of 8-bit interleaved pixels (1 to 4 bands) with a windowed kernel, in 14-bit fixed point and
/// SSE vectors. libvips 8.14 vectorises only its vertical reducer (reducev); its horizontal one (reduceh) is plain C
/// and took most of a thumbnail's time. This does both passes with the same kernels libvips offers, so the render
/// is the same picture at a fraction of the cost.
/// </summary>
/// <remarks>
/// The target and scratch buffers carry <see cref="Padding"/> spare bytes after the pixels: the horizontal pass reads
/// and writes whole vectors past a row's end (the extra values are weighted zero or overwritten later), which keeps it
/// free of tail cases. The source needs none (it may be a decoded level held by libvips, read in place): the vertical
/// pass's last step in a row overlaps the one before instead of running past the row.
/// </remarks>
public static class Reducer
{
    /// <summary>Spare bytes the reducer needs in its target and scratch buffers after its pixels.</summary>
    public const int Padding = 32;

    private const int Precision = 14;
    private const int One = 1 << Precision;
    private const int Round = 1 << (Precision - 1);

    /// <summary>Whether this reducer computes <paramref name="kernel"/> (every one but nearest neighbour).</summary>
    public static bool Supports(ResampleKernel kernel) =>
        kernel is ResampleKernel.Linear or ResampleKernel.Cubic or ResampleKernel.Mitchell or ResampleKernel.Lanczos2 or ResampleKernel.Lanczos3;

    /// <summary>Output rows made at a time: the vertical pass's output for them stays in the cache for the horizontal one.</summary>
    internal const int ChunkRows = 16;

    /// <summary>Bytes of the intermediate buffer a reduction needs (the vertical pass's output for <see cref="ChunkRows"/> rows).</summary>
    public static int ScratchBytes(int sourceWidth, int targetHeight, int bands) => (sourceWidth * Math.Min(targetHeight, ChunkRows) * bands) + Padding;

    /// <summary>
    /// Reduces <paramref name="source"/> (<paramref name="sourceWidth"/> × <paramref name="sourceHeight"/>, rows
    /// packed) to <paramref name="target"/> (<paramref name="targetWidth"/> × <paramref name="targetHeight"/>, each
    /// no larger).
    /// </summary>
    public static void Reduce(
        ReadOnlySpan<byte> source,
        int sourceWidth,
        int sourceHeight,
        int bands,
        Span<byte> target,
        int targetWidth,
        int targetHeight,
        ResampleKernel kernel,
        Span<byte> scratch) =>
        Reduce(source, sourceWidth, sourceHeight, sourceWidth * bands, bands, target, targetWidth, targetHeight, kernel, scratch);

    /// <summary>
    /// Reduces <paramref name="source"/> (<paramref name="sourceWidth"/> × <paramref name="sourceHeight"/>, rows
    /// <paramref name="sourceStride"/> bytes apart, so it can be a window of a larger buffer) to
    /// <paramref name="target"/> (<paramref name="targetWidth"/> × <paramref name="targetHeight"/>, each no larger).
    /// The source is read only within its pixels; <paramref name="target"/> and <paramref name="scratch"/> need
    /// <see cref="Padding"/> spare bytes.
    /// </summary>
    public static void Reduce(
        ReadOnlySpan<byte> source,
        int sourceWidth,
        int sourceHeight,
        int sourceStride,
        int bands,
        Span<byte> target,
        int targetWidth,
        int targetHeight,
        ResampleKernel kernel,
        Span<byte> scratch) =>
        // The whole source as one band (checked there): every target row is made.
        new BandedReduction(sourceWidth, sourceHeight, bands, targetWidth, targetHeight, kernel).Feed(source, 0, sourceHeight, sourceStride, target, scratch);

    internal static void Require(ReadOnlySpan<byte> buffer, long pixels, string name)
    {
        if (buffer.Length < pixels + Padding)
        {
            throw new ArgumentException($"{name} holds {buffer.Length} bytes; {pixels} pixel bytes and {Padding} spare are needed", name);
        }
    }

    internal readonly record struct KernelFunction(Func<double, double> Weight, double Support);

    private static KernelFunction Filter(ResampleKernel kernel) => kernel switch
    {
        ResampleKernel.Linear => new(x => Math.Max(0, 1 - Math.Abs(x)), 1),
        ResampleKernel.Cubic => new(x => Cubic(x, 0, 0.5), 2),
        ResampleKernel.Mitchell => new(x => Cubic(x, 1.0 / 3, 1.0 / 3), 2),
        ResampleKernel.Lanczos2 => new(x => Lanczos(x, 2), 2),
        ResampleKernel.Lanczos3 => new(x => Lanczos(x, 3), 3),
        _ => throw new ArgumentException(NoKernel(kernel), nameof(kernel)),
    };

    /// <summary>The message for a kernel the reducer does not compute.</summary>
    internal static string NoKernel(ResampleKernel kernel) =>
        $"Expected linear, cubic, mitchell, lanczos2 or lanczos3 for the reducer's kernel but received {(Enum.IsDefined(kernel) ? kernel.Name() : ((int)kernel).ToString(System.Globalization.CultureInfo.InvariantCulture))}";

    private static double Lanczos(double x, int a)
    {
        x = Math.Abs(x);
        if (x < 1e-9)
        {
            return 1;
        }

        if (x >= a)
        {
            return 0;
        }

        var px = Math.PI * x;
        return a * Math.Sin(px) * Math.Sin(px / a) / (px * px);
    }

    /// <summary>The Mitchell–Netravali family: B=0, C=0.5 is Catmull-Rom (libvips' cubic), B=C=1/3 Mitchell.</summary>
    private static double Cubic(double x, double b, double c)
    {
        x = Math.Abs(x);
        if (x < 1)
        {
            return (((12 - (9 * b) - (6 * c)) * x * x * x) + ((-18 + (12 * b) + (6 * c)) * x * x) + (6 - (2 * b))) / 6;
        }

        if (x < 2)
        {
            return (((-b - (6 * c)) * x * x * x) + (((6 * b) + (30 * c)) * x * x) + (((-12 * b) - (48 * c)) * x) + ((8 * b) + (24 * c))) / 6;
        }

        return 0;
    }

    /// <summary>
    /// Per output position: the first input position and the weights (fixed point, summing to exactly
    /// <see cref="One"/>) of an even number of consecutive inputs, packed two int16 to an int as the SSE
    /// multiply-add takes them. Taps past the edges are folded onto the edge pixel.
    /// </summary>
    internal sealed class Weights
    {
        public required int[] Start { get; init; }

        public required int Pairs { get; init; }

        /// <summary>Input positions (pixels across, or rows) the weights read: every tap lies in [0, InputSize).</summary>
        public required int InputSize { get; init; }

        /// <summary>Output positions: Start holds one per output, Packed Pairs per output.</summary>
        public required int OutputSize { get; init; }

        /// <summary>Output i's pairs are Packed[i * Pairs .. (i + 1) * Pairs).</summary>
        public required int[] Packed { get; init; }

        private static readonly System.Collections.Concurrent.ConcurrentDictionary<(int, int, ResampleKernel), Weights> Recent = new();

        public static Weights For(int inputSize, int outputSize, ResampleKernel kernel) => For(inputSize, outputSize, Filter(kernel));

        /// <summary>The weights for a size pair, remembered (a tile grid asks for the same few pairs over and over).</summary>
        public static Weights Cached(int inputSize, int outputSize, ResampleKernel kernel)
        {
            if (Recent.TryGetValue((inputSize, outputSize, kernel), out var weights))
            {
                return weights;
            }

            // Bounded: forget everything now and then rather than track use.
            if (Recent.Count >= 512)
            {
                Recent.Clear();
            }

            weights = For(inputSize, outputSize, kernel);
            Recent[(inputSize, outputSize, kernel)] = weights;
            return weights;
        }

        public static Weights For(int inputSize, int outputSize, KernelFunction filter)
        {
            var scale = (double)inputSize / outputSize;
            var support = filter.Support * scale;
            var taps = Math.Min((int)Math.Ceiling(support * 2) + 1, inputSize);
            var pairs = (taps + 1) / 2;
            var start = new int[outputSize];
            var packed = new int[outputSize * pairs];
            var raw = new double[pairs * 2];
            var fixedWeights = new int[pairs * 2];
            for (var i = 0; i < outputSize; i++)
            {
                // Output pixel i covers inputs [i * scale, (i + 1) * scale); its centre in input pixel indices:
                var centre = ((i + 0.5) * scale) - 0.5;
                var first = Math.Clamp((int)Math.Floor(centre - support) + 1, 0, inputSize - taps);
                Array.Clear(raw);
                var sum = 0.0;
                for (var j = (int)Math.Floor(centre - support) + 1; j <= (int)Math.Ceiling(centre + support) - 1; j++)
                {
                    var at = Math.Clamp(j, 0, inputSize - 1) - first;
                    if (at < 0 || at >= taps)
                    {
                        continue;
                    }

                    var w = filter.Weight((j - centre) / scale);
                    raw[at] += w;
                    sum += w;
                }

                var total = 0;
                var largest = 0;
                for (var k = 0; k < taps; k++)
                {
                    fixedWeights[k] = (int)Math.Round(raw[k] / sum * One);
                    total += fixedWeights[k];
                    if (Math.Abs(fixedWeights[k]) > Math.Abs(fixedWeights[largest]))
                    {
                        largest = k;
                    }
                }

                fixedWeights[largest] += One - total;
                if (taps % 2 == 1)
                {
                    fixedWeights[taps] = 0;
                }

                start[i] = first;
                for (var p = 0; p < pairs; p++)
                {
                    packed[(i * pairs) + p] = (fixedWeights[2 * p] & 0xFFFF) | (fixedWeights[(2 * p) + 1] << 16);
                }
            }

            // The vector passes read without bounds checks on these facts (every pair's first tap inside the input,
            // starts never decreasing, so a run of outputs reads from its first's start to its last's): made sure of
            // once here, so a pass need only check its buffers against InputSize and OutputSize.
            for (var i = 0; i < outputSize; i++)
            {
                if (start[i] < 0 || start[i] + (2 * pairs) - 2 > inputSize - 1 || (i > 0 && start[i] < start[i - 1]))
                {
                    throw new InvalidOperationException($"Weights for {inputSize} -> {outputSize}: output {i} starts at {start[i]} with {pairs} pairs, outside the input or before output {i - 1}");
                }
            }

            return new Weights { Start = start, Pairs = pairs, Packed = packed, InputSize = inputSize, OutputSize = outputSize };
        }
    }

    /// <summary>
    /// Target rows [<paramref name="fromRow"/>, <paramref name="toRow"/>) of a vertical reduction into
    /// <paramref name="target"/> (from its start, rows packed), from source rows held from row
    /// <paramref name="sourceFirstRow"/> on, <paramref name="sourceStride"/> bytes apart.
    /// </summary>
    internal static void Vertical(ReadOnlySpan<byte> source, int sourceStride, int rowBytes, int sourceFirstRow, int sourceHeight, Span<byte> target, int fromRow, int toRow, Weights weights)
    {
        if (Avx2.IsSupported && rowBytes >= 32)
        {
            VerticalAvx2(source, sourceStride, rowBytes, sourceFirstRow, sourceHeight, target, fromRow, toRow, weights);
        }
        else if (Sse2.IsSupported && rowBytes >= 16)
        {
            VerticalSse2(source, sourceStride, rowBytes, sourceFirstRow, sourceHeight, target, fromRow, toRow, weights);
        }
        else
        {
            VerticalScalar(source, sourceStride, rowBytes, sourceFirstRow, sourceHeight, target, fromRow, toRow, weights);
        }
    }

    internal static void Horizontal(ReadOnlySpan<byte> source, int sourceWidth, int height, int bands, Span<byte> target, int targetWidth, Weights weights)
    {
        if (Avx2.IsSupported)
        {
            HorizontalAvx2(source, sourceWidth, height, bands, target, targetWidth, weights);
        }
        else if (Ssse3.IsSupported)
        {
            HorizontalSsse3(source, sourceWidth, height, bands, target, targetWidth, weights);
        }
        else
        {
            HorizontalScalar(source, sourceWidth, height, bands, target, targetWidth, weights);
        }
    }

    /// <summary>The second tap of a pair lives in the high 16 bits of a packed weight.</summary>
    private static int Low(int packed) => (short)(packed & 0xFFFF);

    private static int High(int packed) => packed >> 16;

    private static byte Clamp(int accumulator) => (byte)Math.Clamp((accumulator + Round) >> Precision, 0, 255);

    // Rows of the taps past a source's last row are only ever weighted zero (an odd tap count's padding): read the
    // last row again instead, so no read leaves the image.
    private static int Row(int row, int rows) => Math.Min(row, rows - 1);

    internal static void VerticalScalar(ReadOnlySpan<byte> source, int sourceStride, int rowBytes, int sourceFirstRow, int sourceHeight, Span<byte> target, int fromRow, int toRow, Weights weights)
    {
        for (var y = fromRow; y < toRow; y++)
        {
            var first = weights.Start[y];
            var pairs = weights.Packed.AsSpan(y * weights.Pairs, weights.Pairs);
            var output = target.Slice((y - fromRow) * rowBytes, rowBytes);
            for (var x = 0; x < rowBytes; x++)
            {
                var acc = 0;
                for (var p = 0; p < pairs.Length; p++)
                {
                    var row = first + (2 * p);
                    acc += (source[((row - sourceFirstRow) * sourceStride) + x] * Low(pairs[p]))
                        + (source[((Row(row + 1, sourceHeight) - sourceFirstRow) * sourceStride) + x] * High(pairs[p]));
                }

                output[x] = Clamp(acc);
            }
        }
    }

    internal static void HorizontalScalar(ReadOnlySpan<byte> source, int sourceWidth, int height, int bands, Span<byte> target, int targetWidth, Weights weights)
    {
        for (var y = 0; y < height; y++)
        {
            var input = source.Slice(y * sourceWidth * bands, sourceWidth * bands);
            var output = target.Slice(y * targetWidth * bands, targetWidth * bands);
            for (var x = 0; x < targetWidth; x++)
            {
                var first = weights.Start[x];
                var pairs = weights.Packed.AsSpan(x * weights.Pairs, weights.Pairs);
                for (var b = 0; b < bands; b++)
                {
                    var acc = 0;
                    for (var p = 0; p < pairs.Length; p++)
                    {
                        var column = first + (2 * p);
                        acc += (input[(column * bands) + b] * Low(pairs[p])) + (input[(Math.Min(column + 1, sourceWidth - 1) * bands) + b] * High(pairs[p]));
                    }

                    output[(x * bands) + b] = Clamp(acc);
                }
            }
        }
    }

    /// <summary>
    /// What the vertical vector passes' unchecked loads and stores rely on, checked once per call: whole vectors fit in
    /// a row, the weights are for this source, and every row target rows [fromRow, toRow) read, from the first's start
    /// to the last's last tap (Weights.For made starts non-decreasing, taps inside the input), lies in the source,
    /// and the rows made fit in the target.
    /// </summary>
    private static void CheckVertical(int sourceLength, int sourceStride, int rowBytes, int sourceFirstRow, int sourceHeight, int targetLength, int fromRow, int toRow, Weights weights, int vector)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rowBytes, vector);
        ArgumentOutOfRangeException.ThrowIfLessThan(sourceStride, rowBytes);
        if (weights.InputSize != sourceHeight || fromRow < 0 || fromRow > toRow || toRow > weights.OutputSize)
        {
            throw new ArgumentException($"Weights for {weights.InputSize} -> {weights.OutputSize} rows cannot make rows {fromRow}..{toRow} from {sourceHeight}", nameof(weights));
        }

        if (fromRow == toRow)
        {
            return;
        }

        var lowest = weights.Start[fromRow];
        var highest = Math.Min(weights.Start[toRow - 1] + (2 * weights.Pairs) - 1, sourceHeight - 1);
        if (lowest < sourceFirstRow || ((long)(highest - sourceFirstRow) * sourceStride) + rowBytes > sourceLength)
        {
            throw new ArgumentException($"Rows {fromRow}..{toRow} read source rows {lowest}..{highest}, but the source holds {sourceLength} bytes from row {sourceFirstRow}, rows {sourceStride} apart", nameof(sourceLength));
        }

        if ((long)(toRow - fromRow) * rowBytes > targetLength)
        {
            throw new ArgumentException($"The target holds {targetLength} bytes; {toRow - fromRow} rows of {rowBytes} need more", nameof(targetLength));
        }
    }

    /// <summary>
    /// What the horizontal vector passes' unchecked loads and stores rely on, checked once per call: the weights are
    /// for these widths, each row's last pair (at most its last pixel, as Weights.For made sure) has a whole vector
    /// of source left to load, and the target holds every row.
    /// </summary>
    private static void CheckHorizontal(int sourceLength, int sourceWidth, int height, int bands, int targetLength, int targetWidth, Weights weights, int vector)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bands, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(bands, 4);
        ArgumentOutOfRangeException.ThrowIfNegative(height);
        if (weights.InputSize != sourceWidth || weights.OutputSize != targetWidth)
        {
            throw new ArgumentException($"Weights for {weights.InputSize} -> {weights.OutputSize} pixels cannot reduce {sourceWidth} to {targetWidth}", nameof(weights));
        }

        if (height == 0)
        {
            return;
        }

        var needed = ((long)height * sourceWidth * bands) - bands + vector;
        if (needed > sourceLength)
        {
            throw new ArgumentException($"The source holds {sourceLength} bytes; {height} rows of {sourceWidth} pixels read by whole vectors need {needed}", nameof(sourceLength));
        }

        if ((long)height * targetWidth * bands > targetLength)
        {
            throw new ArgumentException($"The target holds {targetLength} bytes; {height} rows of {targetWidth} pixels need {(long)height * targetWidth * bands}", nameof(targetLength));
        }
    }

    internal static void VerticalSse2(ReadOnlySpan<byte> source, int sourceStride, int rowBytes, int sourceFirstRow, int sourceHeight, Span<byte> target, int fromRow, int toRow, Weights weights)
    {
        CheckVertical(source.Length, sourceStride, rowBytes, sourceFirstRow, sourceHeight, target.Length, fromRow, toRow, weights, 16);
        // Bounds: rows hold at least 16 bytes (the caller sends narrower ones to the scalar pass) and every step reads
        // and writes 16 bytes ending at or before its row's end, so the unchecked vector loads and stores below stay
        // within the pixels of both buffers: the source needs no spare bytes. Rows read are among those the source
        // holds: BandedReduction.Feed asks only for target rows whose taps lie in its band, and checked the band's size.
        ref var src = ref MemoryMarshal.GetReference(source);
        ref var dst = ref MemoryMarshal.GetReference(target);
        var packed = weights.Packed;
        var zero = Vector128<byte>.Zero;
        var round = Vector128.Create(Round);
        for (var y = fromRow; y < toRow; y++)
        {
            var first = weights.Start[y];
            var pairOffset = y * weights.Pairs;
            var outRow = (nuint)((y - fromRow) * rowBytes);
            for (var step = 0; step < rowBytes; step += 16)
            {
                // The last step of a row ends at the row's end, overlapping the one before (same values, written twice).
                var x = Math.Min(step, rowBytes - 16);
                var acc0 = round;
                var acc1 = round;
                var acc2 = round;
                var acc3 = round;
                for (var p = 0; p < weights.Pairs; p++)
                {
                    var row = first + (2 * p);
                    var a = Vector128.LoadUnsafe(ref src, (nuint)(((row - sourceFirstRow) * sourceStride) + x));
                    var b = Vector128.LoadUnsafe(ref src, (nuint)(((Row(row + 1, sourceHeight) - sourceFirstRow) * sourceStride) + x));
                    var w = Vector128.Create(packed[pairOffset + p]).AsInt16();
                    var lo = Sse2.UnpackLow(a, b);
                    var hi = Sse2.UnpackHigh(a, b);
                    acc0 = Sse2.Add(acc0, Sse2.MultiplyAddAdjacent(Sse2.UnpackLow(lo, zero).AsInt16(), w));
                    acc1 = Sse2.Add(acc1, Sse2.MultiplyAddAdjacent(Sse2.UnpackHigh(lo, zero).AsInt16(), w));
                    acc2 = Sse2.Add(acc2, Sse2.MultiplyAddAdjacent(Sse2.UnpackLow(hi, zero).AsInt16(), w));
                    acc3 = Sse2.Add(acc3, Sse2.MultiplyAddAdjacent(Sse2.UnpackHigh(hi, zero).AsInt16(), w));
                }

                var s0 = Sse2.PackSignedSaturate(Sse2.ShiftRightArithmetic(acc0, Precision), Sse2.ShiftRightArithmetic(acc1, Precision));
                var s1 = Sse2.PackSignedSaturate(Sse2.ShiftRightArithmetic(acc2, Precision), Sse2.ShiftRightArithmetic(acc3, Precision));
                Sse2.PackUnsignedSaturate(s0, s1).StoreUnsafe(ref dst, outRow + (nuint)x);
            }
        }
    }

    /// <summary><see cref="VerticalSse2"/> on 32 bytes at a time (the unpacks and packs work within 128-bit lanes, and undo each other's order).</summary>
    internal static void VerticalAvx2(ReadOnlySpan<byte> source, int sourceStride, int rowBytes, int sourceFirstRow, int sourceHeight, Span<byte> target, int fromRow, int toRow, Weights weights)
    {
        CheckVertical(source.Length, sourceStride, rowBytes, sourceFirstRow, sourceHeight, target.Length, fromRow, toRow, weights, 32);
        // Bounds as in VerticalSse2 with 32-byte steps: rows hold at least 32 bytes, no step passes its row's end.
        ref var src = ref MemoryMarshal.GetReference(source);
        ref var dst = ref MemoryMarshal.GetReference(target);
        var packed = weights.Packed;
        var zero = Vector256<byte>.Zero;
        var round = Vector256.Create(Round);
        for (var y = fromRow; y < toRow; y++)
        {
            var first = weights.Start[y];
            var pairOffset = y * weights.Pairs;
            var outRow = (nuint)((y - fromRow) * rowBytes);
            for (var step = 0; step < rowBytes; step += 32)
            {
                // The last step of a row ends at the row's end, overlapping the one before (same values, written twice).
                var x = Math.Min(step, rowBytes - 32);
                var acc0 = round;
                var acc1 = round;
                var acc2 = round;
                var acc3 = round;
                for (var p = 0; p < weights.Pairs; p++)
                {
                    var row = first + (2 * p);
                    var a = Vector256.LoadUnsafe(ref src, (nuint)(((row - sourceFirstRow) * sourceStride) + x));
                    var b = Vector256.LoadUnsafe(ref src, (nuint)(((Row(row + 1, sourceHeight) - sourceFirstRow) * sourceStride) + x));
                    var w = Vector256.Create(packed[pairOffset + p]).AsInt16();
                    var lo = Avx2.UnpackLow(a, b);
                    var hi = Avx2.UnpackHigh(a, b);
                    acc0 = Avx2.Add(acc0, Avx2.MultiplyAddAdjacent(Avx2.UnpackLow(lo, zero).AsInt16(), w));
                    acc1 = Avx2.Add(acc1, Avx2.MultiplyAddAdjacent(Avx2.UnpackHigh(lo, zero).AsInt16(), w));
                    acc2 = Avx2.Add(acc2, Avx2.MultiplyAddAdjacent(Avx2.UnpackLow(hi, zero).AsInt16(), w));
                    acc3 = Avx2.Add(acc3, Avx2.MultiplyAddAdjacent(Avx2.UnpackHigh(hi, zero).AsInt16(), w));
                }

                var s0 = Avx2.PackSignedSaturate(Avx2.ShiftRightArithmetic(acc0, Precision), Avx2.ShiftRightArithmetic(acc1, Precision));
                var s1 = Avx2.PackSignedSaturate(Avx2.ShiftRightArithmetic(acc2, Precision), Avx2.ShiftRightArithmetic(acc3, Precision));
                Avx2.PackUnsignedSaturate(s0, s1).StoreUnsafe(ref dst, outRow + (nuint)x);
            }
        }
    }

    private static readonly Vector128<byte>[] PairShuffles =
    [
        // Two neighbouring pixels' bytes, each band's pair side by side as int16 (0x80 = zero).
        Vector128.Create((byte)0, 0x80, 1, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80),
        Vector128.Create((byte)0, 0x80, 2, 0x80, 1, 0x80, 3, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80),
        Vector128.Create((byte)0, 0x80, 3, 0x80, 1, 0x80, 4, 0x80, 2, 0x80, 5, 0x80, 0x80, 0x80, 0x80, 0x80),
        Vector128.Create((byte)0, 0x80, 4, 0x80, 1, 0x80, 5, 0x80, 2, 0x80, 6, 0x80, 3, 0x80, 7, 0x80),
    ];

    internal static void HorizontalSsse3(ReadOnlySpan<byte> source, int sourceWidth, int height, int bands, Span<byte> target, int targetWidth, Weights weights)
    {
        // Bounds: a pair reads 16 bytes from its first pixel; the last pair of a row starts at most at the row's last
        // pixel, so a read ends at most 16 bytes past the pixels. Each output pixel is written as 4 bytes, at most 3
        // past its own (overwritten by the next pixel, or in the padding after the last). Require() guaranteed both;
        // the loads are checked against the source here, the writes are checked spans.
        CheckHorizontal(source.Length, sourceWidth, height, bands, target.Length, targetWidth, weights, 16);
        ref var src = ref MemoryMarshal.GetReference(source);
        var shuffle = PairShuffles[bands - 1];
        var packed = weights.Packed;
        var starts = weights.Start;
        var pairs = weights.Pairs;
        var round = Vector128.Create(Round);
        for (var y = 0; y < height; y++)
        {
            var inRow = y * sourceWidth * bands;
            var outRow = y * targetWidth * bands;
            for (var x = 0; x < targetWidth; x++)
            {
                var acc = round;
                var at = inRow + (starts[x] * bands);
                var pairOffset = x * pairs;
                for (var p = 0; p < pairs; p++)
                {
                    var two = Ssse3.Shuffle(Vector128.LoadUnsafe(ref src, (nuint)(at + (2 * p * bands))), shuffle).AsInt16();
                    acc = Sse2.Add(acc, Sse2.MultiplyAddAdjacent(two, Vector128.Create(packed[pairOffset + p]).AsInt16()));
                }

                var words = Sse2.PackSignedSaturate(Sse2.ShiftRightArithmetic(acc, Precision), Vector128<int>.Zero);
                var bytes = Sse2.PackUnsignedSaturate(words, Vector128<short>.Zero).AsUInt32().ToScalar();
                MemoryMarshal.Write(target[(outRow + (x * bands))..], in bytes);
            }
        }
    }

    /// <summary>
    /// <see cref="HorizontalSsse3"/> on two rows at once, one in each 128-bit lane, so both lanes take the same weights,
    /// and on two pairs of taps per 16-byte load (4 taps of up to 4 bands). Output column by output column: a column's
    /// weights are loaded once and, up to 8 pairs of taps (reductions up to about 2.3x with lanczos3, the usual ones),
    /// held in registers while every row of the chunk is made, which took a fifth less time than row by row.
    /// </summary>
    internal static void HorizontalAvx2(ReadOnlySpan<byte> source, int sourceWidth, int height, int bands, Span<byte> target, int targetWidth, Weights weights)
    {
        // Bounds as in HorizontalSsse3: every 128-bit load starts at a pair's first pixel (a pair weighted zero past
        // the last one reads the same 16 bytes as the pair before it), every 4-byte write is at an output pixel, and
        // within a row pixels are written left to right so a pixel's spare byte is overwritten by the next. Rows are
        // written column by column, so a pixel whose 4 bytes would reach past its row (into the next row, already
        // written) is written exactly. Weights.For made Start one per output and Packed Pairs per output, so the
        // unchecked reads of both stay inside them.
        CheckHorizontal(source.Length, sourceWidth, height, bands, target.Length, targetWidth, weights, 16);
        ref var src = ref MemoryMarshal.GetReference(source);
        ref var dst = ref MemoryMarshal.GetReference(target);
        ref var packed = ref MemoryMarshal.GetArrayDataReference(weights.Packed);
        ref var starts = ref MemoryMarshal.GetArrayDataReference(weights.Start);
        var first = Vector256.Create(PairShuffles[bands - 1], PairShuffles[bands - 1]);
        var second = Vector256.Create(NextPairShuffles[bands - 1], NextPairShuffles[bands - 1]);
        var pairs = weights.Pairs;
        var inRowBytes = (nuint)(sourceWidth * bands);
        var outRowBytes = targetWidth * bands;
        var nextPairs = (nuint)(4 * bands);
        var rowPairs = height & ~1;
        Span<byte> last = stackalloc byte[8];
        for (var x = 0; x < targetWidth; x++)
        {
            ref var w = ref Unsafe.Add(ref packed, x * pairs);
            var from = (nuint)(Unsafe.Add(ref starts, x) * bands);
            var put = x * bands;
            var exact = put <= outRowBytes - 4;
            if (pairs <= 8)
            {
                var w0 = Weight(ref w, 0, pairs);
                var w1 = Weight(ref w, 1, pairs);
                var w2 = Weight(ref w, 2, pairs);
                var w3 = Weight(ref w, 3, pairs);
                var w4 = Weight(ref w, 4, pairs);
                var w5 = Weight(ref w, 5, pairs);
                var w6 = Weight(ref w, 6, pairs);
                var w7 = Weight(ref w, 7, pairs);
                for (var y = 0; y < rowPairs; y += 2)
                {
                    var at = ((nuint)y * inRowBytes) + from;
                    var acc = FourTaps(ref src, at, inRowBytes, first, second, w0, w1, Vector256.Create(Round));
                    if (pairs > 2)
                    {
                        acc = FourTaps(ref src, at + nextPairs, inRowBytes, first, second, w2, w3, acc);
                        if (pairs > 4)
                        {
                            acc = FourTaps(ref src, at + (2 * nextPairs), inRowBytes, first, second, w4, w5, acc);
                            if (pairs > 6)
                            {
                                acc = FourTaps(ref src, at + (3 * nextPairs), inRowBytes, first, second, w6, w7, acc);
                            }
                        }
                    }

                    PutTwoRows(ref dst, target, last, acc, (y * outRowBytes) + put, outRowBytes, bands, exact);
                }
            }
            else
            {
                for (var y = 0; y < rowPairs; y += 2)
                {
                    var at = ((nuint)y * inRowBytes) + from;
                    var acc = Vector256.Create(Round);
                    for (var p = 0; p < pairs; p += 2)
                    {
                        acc = FourTaps(ref src, at + ((nuint)(p / 2) * nextPairs), inRowBytes, first, second, Weight(ref w, p, pairs), Weight(ref w, p + 1, pairs), acc);
                    }

                    PutTwoRows(ref dst, target, last, acc, (y * outRowBytes) + put, outRowBytes, bands, exact);
                }
            }
        }

        if (rowPairs < height)
        {
            HorizontalSsse3(source[(rowPairs * sourceWidth * bands)..], sourceWidth, 1, bands, target[(rowPairs * outRowBytes)..], targetWidth, weights);
        }
    }

    /// <summary>Pair <paramref name="p"/> of an output's weights in every int of a vector; zero past the last pair.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<short> Weight(ref int weights, int p, int pairs) => Vector256.Create(p < pairs ? Unsafe.Add(ref weights, p) : 0).AsInt16();

    /// <summary>Four taps (two pairs) from the 16 bytes at <paramref name="at"/> in one row and in the next, one row in each lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<int> FourTaps(ref byte src, nuint at, nuint rowBytes, Vector256<byte> first, Vector256<byte> second, Vector256<short> w0, Vector256<short> w1, Vector256<int> acc)
    {
        var pixels = Vector256.Create(Vector128.LoadUnsafe(ref src, at), Vector128.LoadUnsafe(ref src, at + rowBytes));
        acc = Avx2.Add(acc, Avx2.MultiplyAddAdjacent(Avx2.Shuffle(pixels, first).AsInt16(), w0));
        return Avx2.Add(acc, Avx2.MultiplyAddAdjacent(Avx2.Shuffle(pixels, second).AsInt16(), w1));
    }

    /// <summary>Writes one output pixel of two rows (one per lane of <paramref name="acc"/>): 4 bytes each, or exactly <paramref name="bands"/> at a row's end.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void PutTwoRows(ref byte dst, Span<byte> target, Span<byte> last, Vector256<int> acc, int put, int outRowBytes, int bands, bool exact)
    {
        var words = Avx2.PackSignedSaturate(Avx2.ShiftRightArithmetic(acc, Precision), Vector256<int>.Zero);
        var bytes = Avx2.PackUnsignedSaturate(words, Vector256<short>.Zero).AsUInt32();
        if (exact)
        {
            Unsafe.WriteUnaligned(ref Unsafe.Add(ref dst, put), bytes.ToScalar());
            Unsafe.WriteUnaligned(ref Unsafe.Add(ref dst, put + outRowBytes), bytes.GetUpper().ToScalar());
        }
        else
        {
            MemoryMarshal.Write(last, bytes.ToScalar());
            MemoryMarshal.Write(last[4..], bytes.GetUpper().ToScalar());
            last[..bands].CopyTo(target[put..]);
            last.Slice(4, bands).CopyTo(target[(put + outRowBytes)..]);
        }
    }

    /// <summary>As <see cref="PairShuffles"/> for the pair after: the 16 bytes loaded at a pair hold two pairs of up to 4 bands.</summary>
    private static readonly Vector128<byte>[] NextPairShuffles =
    [
        Vector128.Create((byte)2, 0x80, 3, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80),
        Vector128.Create((byte)4, 0x80, 6, 0x80, 5, 0x80, 7, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80),
        Vector128.Create((byte)6, 0x80, 9, 0x80, 7, 0x80, 10, 0x80, 8, 0x80, 11, 0x80, 0x80, 0x80, 0x80, 0x80),
        Vector128.Create((byte)8, 0x80, 12, 0x80, 9, 0x80, 13, 0x80, 10, 0x80, 14, 0x80, 11, 0x80, 15, 0x80),
    ];
}
