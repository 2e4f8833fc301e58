namespace Tessera.Imaging.Rendering;

/// <summary>
/// A <see cref="Reducer"/> reduction fed its source a band of rows at a time, top to bottom, so a caller that decodes
/// a region tile row by tile row holds one band instead of the whole region. Each call makes every target row whose
/// taps the band holds; rows above <see cref="FirstRowNeeded"/> are never read again and the caller may drop them.
/// The target rows are the same bytes, however the source is cut into bands.
/// </summary>
public sealed class BandedReduction
{
    private readonly Reducer.Weights? _vertical;
    private readonly Reducer.Weights? _horizontal;

    /// <summary>A reduction of <paramref name="sourceWidth"/> × <paramref name="sourceHeight"/> to the target size (each no larger).</summary>
    public BandedReduction(int sourceWidth, int sourceHeight, int bands, int targetWidth, int targetHeight, ResampleKernel kernel)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bands, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(bands, 4);
        if (targetWidth < 1 || targetHeight < 1 || targetWidth > sourceWidth || targetHeight > sourceHeight)
        {
            throw new ArgumentException($"Cannot reduce {sourceWidth}x{sourceHeight} to {targetWidth}x{targetHeight}");
        }

        if (!Reducer.Supports(kernel))
        {
            throw new ArgumentException(Reducer.NoKernel(kernel), nameof(kernel));
        }

        (SourceWidth, SourceHeight, Bands, TargetWidth, TargetHeight) = (sourceWidth, sourceHeight, bands, targetWidth, targetHeight);
        _vertical = targetHeight == sourceHeight ? null : Reducer.Weights.Cached(sourceHeight, targetHeight, kernel);
        _horizontal = targetWidth == sourceWidth ? null : Reducer.Weights.Cached(sourceWidth, targetWidth, kernel);
    }

    public int SourceWidth { get; }

    public int SourceHeight { get; }

    public int Bands { get; }

    public int TargetWidth { get; }

    public int TargetHeight { get; }

    /// <summary>The next target row to make; <see cref="TargetHeight"/> when all are made.</summary>
    public int NextRow { get; private set; }

    public bool IsComplete => NextRow == TargetHeight;

    /// <summary>The first source row the rows still to make read (<see cref="SourceHeight"/> when complete).</summary>
    public int FirstRowNeeded => IsComplete ? SourceHeight : _vertical is null ? NextRow : _vertical.Start[NextRow];

    /// <summary>The most source rows one target row reads: a band ending mid-way keeps fewer than this for the next.</summary>
    public int RowsPerTargetRow => _vertical is null ? 1 : 2 * _vertical.Pairs;

    /// <summary>
    /// Readies a band buffer for the next rows: moves the rows of the band (source rows [<paramref name="bandTop"/>,
    /// <paramref name="bandTop"/> + <paramref name="bandRows"/>), whole rows <paramref name="stride"/> bytes apart,
    /// from the buffer's start; rows above the source, negative, are allowed) that target rows still to make need to
    /// the top of the buffer, and returns how many that is. The next rows go right after them, and the band then starts
    /// that many rows above the next rows. Fewer than <see cref="RowsPerTargetRow"/> are ever kept.
    /// </summary>
    public int KeepNeeded(Span<byte> band, int stride, int bandTop, int bandRows)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bandRows);
        if ((long)bandRows * stride > band.Length)
        {
            throw new ArgumentException($"band holds {band.Length} bytes, not {bandRows} rows {stride} apart", nameof(band));
        }

        var keepFrom = Math.Max(bandTop, FirstRowNeeded);
        var kept = Math.Max(0, bandTop + bandRows - keepFrom);
        if (kept > 0 && keepFrom > bandTop)
        {
            band.Slice((keepFrom - bandTop) * stride, kept * stride).CopyTo(band);
        }

        return kept;
    }

    /// <summary>
    /// Makes every target row not yet made whose source rows all lie in the band: rows [<paramref name="firstRow"/>,
    /// <paramref name="firstRow"/> + <paramref name="rowCount"/>) of the source, held in <paramref name="rows"/>
    /// <paramref name="stride"/> bytes apart (nothing past the last row's pixels is read). The band must start at or
    /// above <see cref="FirstRowNeeded"/>. <paramref name="target"/> is the whole target (rows packed, with
    /// <see cref="Reducer.Padding"/> spare bytes); <paramref name="scratch"/> holds <see cref="Reducer.ScratchBytes"/>.
    /// Returns the rows made.
    /// </summary>
    public int Feed(ReadOnlySpan<byte> rows, int firstRow, int rowCount, int stride, Span<byte> target, Span<byte> scratch)
    {
        var rowBytes = SourceWidth * Bands;
        ArgumentOutOfRangeException.ThrowIfNegative(firstRow);
        ArgumentOutOfRangeException.ThrowIfLessThan(rowCount, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(firstRow + rowCount, SourceHeight, nameof(rowCount));
        ArgumentOutOfRangeException.ThrowIfLessThan(stride, rowBytes);
        var bandBytes = ((long)(rowCount - 1) * stride) + rowBytes;
        if (rows.Length < bandBytes)
        {
            throw new ArgumentException($"rows holds {rows.Length} bytes; {rowCount} rows of {SourceWidth} pixels {stride} apart need {bandBytes}", nameof(rows));
        }

        var outRowBytes = TargetWidth * Bands;
        Reducer.Require(target, (long)outRowBytes * TargetHeight, nameof(target));
        if (IsComplete)
        {
            return 0;
        }

        if (FirstRowNeeded < firstRow)
        {
            throw new InvalidOperationException($"Source row {FirstRowNeeded} is still needed, but the band starts at row {firstRow}");
        }

        // The rows whose taps (the last one clamped to the image, as Reducer.Row does) the band holds.
        var end = firstRow + rowCount;
        var last = NextRow;
        while (last < TargetHeight && (_vertical is null ? last + 1 : Math.Min(_vertical.Start[last] + RowsPerTargetRow, SourceHeight)) <= end)
        {
            last++;
        }

        if (_horizontal is not null)
        {
            Reducer.Require(scratch, (long)rowBytes * Math.Min(TargetHeight, Reducer.ChunkRows), nameof(scratch));
        }

        for (var from = NextRow; from < last; from += Reducer.ChunkRows)
        {
            var to = Math.Min(from + Reducer.ChunkRows, last);
            var output = target[(from * outRowBytes)..];
            if (_horizontal is null)
            {
                // Only rows to reduce (or nothing at all): straight into the target.
                if (_vertical is null)
                {
                    for (var y = from; y < to; y++)
                    {
                        rows.Slice((y - firstRow) * stride, rowBytes).CopyTo(target[(y * outRowBytes)..]);
                    }
                }
                else
                {
                    Reducer.Vertical(rows, stride, rowBytes, firstRow, SourceHeight, output, from, to, _vertical);
                }

                continue;
            }

            if (_vertical is null)
            {
                // The horizontal pass reads a little past a row's pixels, which the band need not have: pack the rows
                // into the padded scratch first.
                for (var y = from; y < to; y++)
                {
                    rows.Slice((y - firstRow) * stride, rowBytes).CopyTo(scratch[((y - from) * rowBytes)..]);
                }
            }
            else
            {
                // Vertical first: the horizontal pass, the dearer one, then runs over the fewer (output) rows.
                Reducer.Vertical(rows, stride, rowBytes, firstRow, SourceHeight, scratch, from, to, _vertical);
            }

            Reducer.Horizontal(scratch, SourceWidth, to - from, Bands, output, TargetWidth, _horizontal);
        }

        var made = last - NextRow;
        NextRow = last;
        return made;
    }
}
