namespace Tessera.Core.Tiles;

/// <summary>
/// The pyramid an IIP client (IIPMooViewer, iipsrv's own protocol) sees: resolutions numbered from the smallest (0) to
/// the full image (<see cref="ResolutionCount"/> − 1), each the one above halved and rounded down, as iipsrv computes
/// them (<c>View.cc</c>: "we use floor() as that is how our resolutions are calculated") and as libvips writes TIFF
/// pyramids, down to the first that fits in one tile. <c>JTL=r,n</c> names tile n of resolution r, counted row by row
/// from the top left.
/// <para>
/// Each tile and each <c>CVT</c> view becomes an ordinary IIIF request (<see cref="LegacyTile"/>): the region of the
/// full image it covers and the size it is scaled to, so the shared pipeline plans, limits and caches it.
/// </para>
/// </summary>
public sealed record IipGeometry
{
    /// <summary>
    /// iipsrv's default <c>MAX_CVT</c>: the largest width or height a <c>CVT</c> answer is scaled to (a bigger request
    /// is scaled down to fit, keeping its aspect ratio).
    /// </summary>
    public const int DefaultMaxCvt = 5000;

    private readonly (int Width, int Height)[] _sizes;

    /// <param name="width">The full image's width.</param>
    /// <param name="height">The full image's height.</param>
    /// <param name="tileWidth">The tile width reported by <c>OBJ=Tile-size</c> and used by <c>JTL</c>.</param>
    /// <param name="tileHeight">The tile height.</param>
    public IipGeometry(int width, int height, int tileWidth = 256, int tileHeight = 256)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(tileWidth, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(tileHeight, 1);
        Width = width;
        Height = height;
        TileWidth = tileWidth;
        TileHeight = tileHeight;

        // Largest first while building; halved (floor) until a resolution fits in one tile or a side would reach 0.
        var sizes = new List<(int, int)> { (width, height) };
        var (w, h) = (width, height);
        while ((w > tileWidth || h > tileHeight) && w >= 2 && h >= 2)
        {
            (w, h) = (w / 2, h / 2);
            sizes.Add((w, h));
        }

        sizes.Reverse();
        _sizes = [.. sizes];
    }

    public int Width { get; }

    public int Height { get; }

    public int TileWidth { get; }

    public int TileHeight { get; }

    /// <summary>How many resolutions there are (<c>OBJ=Resolution-number</c>).</summary>
    public int ResolutionCount => _sizes.Length;

    /// <summary>The size of resolution <paramref name="resolution"/> (0 the smallest), or null when there is none.</summary>
    public (int Width, int Height)? ResolutionSize(int resolution) =>
        resolution >= 0 && resolution < _sizes.Length ? _sizes[resolution] : null;

    /// <summary>Columns and rows of tiles at a resolution that exists.</summary>
    public (int Columns, int Rows) TileCount(int resolution)
    {
        var (w, h) = _sizes[resolution];
        return ((w + TileWidth - 1) / TileWidth, (h + TileHeight - 1) / TileHeight);
    }

    /// <summary>
    /// Tile <paramref name="index"/> (row by row) of <paramref name="resolution"/>, or null when there is no such tile.
    /// Its region is in full-image pixels: resolution r is the full image shrunk 2^(count − 1 − r) times.
    /// </summary>
    public LegacyTile? Tile(int resolution, long index)
    {
        if (ResolutionSize(resolution) is not { } size || index < 0)
        {
            return null;
        }

        var (columns, rows) = TileCount(resolution);
        if (index >= (long)columns * rows)
        {
            return null;
        }

        var column = (int)(index % columns);
        var row = (int)(index / columns);
        var scale = 1L << (_sizes.Length - 1 - resolution);
        var x = column * (long)TileWidth * scale;
        var y = row * (long)TileHeight * scale;
        return new LegacyTile(
            x,
            y,
            Math.Min(TileWidth * scale, Width - x),
            Math.Min(TileHeight * scale, Height - y),
            Math.Min(TileWidth, size.Width - (column * TileWidth)),
            Math.Min(TileHeight, size.Height - (row * TileHeight)));
    }

    /// <summary>
    /// A <c>CVT</c> view: the region <c>RGN=left,top,width,height</c> (fractions of the full image, each clamped to
    /// 0..1) scaled as <c>WID</c> and <c>HEI</c> ask (0 when absent), as iipsrv's <c>View::getRequestSize</c> does: one of
    /// them keeps the region's aspect ratio; both are a box the view is fitted into; neither is the full image's size,
    /// fitted to the region's aspect ratio. The answer is at most <paramref name="maxSize"/> on its longer side and may
    /// be larger than the region (iipsrv scales up; <see cref="LegacyTile.Upscale"/> says so).
    /// </summary>
    public LegacyTile View(double left, double top, double viewWidth, double viewHeight, int requestedWidth, int requestedHeight, int maxSize = DefaultMaxCvt)
    {
        left = Clamp(left);
        top = Clamp(top);
        viewWidth = Clamp(viewWidth);
        viewHeight = Clamp(viewHeight);

        var x = Math.Min((long)Math.Round(Width * left), Width - 1);
        var y = Math.Min((long)Math.Round(Height * top), Height - 1);
        var w = Math.Clamp((long)Math.Round(Width * viewWidth), 1, Width - x);
        var h = Math.Clamp((long)Math.Round(Height * viewHeight), 1, Height - y);

        // The aspect ratio of the region actually cut (after clamping at the image's edge).
        var ratio = (double)w / h;
        double outW = Math.Max(0, requestedWidth), outH = Math.Max(0, requestedHeight);
        if (outW == 0 && outH == 0)
        {
            (outW, outH) = (Width, Height);
        }

        if (outW == 0)
        {
            outW = outH * ratio;
        }
        else if (outH == 0)
        {
            outH = outW / ratio;
        }
        else if (outW / outH > ratio)
        {
            outW = outH * ratio;
        }
        else
        {
            outH = outW / ratio;
        }

        if (Math.Max(outW, outH) > maxSize)
        {
            (outW, outH) = outW >= outH ? ((double)maxSize, maxSize / ratio) : (maxSize * ratio, (double)maxSize);
        }

        var width = (int)Math.Max(1, Math.Round(outW));
        var height = (int)Math.Max(1, Math.Round(outH));
        return new LegacyTile(x, y, w, h, width, height) { Upscale = width > w || height > h };
    }

    private static double Clamp(double fraction) => double.IsNaN(fraction) ? 0 : Math.Clamp(fraction, 0, 1);
}
