using Tessera.Core.Compliance;
using Tessera.Core.Iiif;

namespace Tessera.Core.Planning;

/// <summary>
/// Resolves a parsed request against the facts of a source and the server's limits: the pixel region, the output size,
/// the <c>^</c> rules, the pyramid level to read, rotation and mirroring. Pure; errors are values.
/// </summary>
/// <remarks>
/// Rounding follows the IIIF reference implementation (zimeon/iiif): percentages and aspect-ratio derived dimensions
/// round half up; <c>square</c> is centred with the offset rounded down.
/// </remarks>
public static class ImagePlanner
{
    /// <summary>Plans with every feature offered (<see cref="ServiceProfile.Default"/>).</summary>
    public static Outcome<ImagePlan> Plan(ImageRequest request, SourceInfo source, ServerLimits limits) =>
        Plan(request, source, limits, ServiceProfile.Default);

    /// <summary>Plans against a service profile: features it switches off give 501, formats and qualities it lacks 400.</summary>
    public static Outcome<ImagePlan> Plan(ImageRequest request, SourceInfo source, ServerLimits limits, ServiceProfile profile)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(limits);
        ArgumentNullException.ThrowIfNull(profile);

        if (profile.Check(request) is { } unsupported)
        {
            return unsupported;
        }

        if (!ResolveRegion(request.Region, source.Width, source.Height).TryGetValue(out var region, out var error)
            || !ResolveSize(request, region, limits, profile).TryGetValue(out var size, out error))
        {
            return error;
        }

        var isFull = region == new PixelRect(0, 0, source.Width, source.Height);
        return new ImagePlan(
            request.Identifier,
            region,
            size.Width,
            size.Height,
            request.Rotation.NormalizedDegrees,
            request.Rotation.Mirrored,
            request.Quality,
            request.Format,
            ChooseLevel(source, region, size.Width, size.Height),
            isFull,
            source)
        {
            Limits = limits,
        };
    }

    /// <summary>
    /// The region in displayed pixels. "If the request specifies a region which extends beyond the dimensions of the full
    /// image ... the service SHOULD return an image cropped at the image's edge"; "if the region is entirely outside the
    /// bounds of the reported dimensions, then the server SHOULD return a 400" (3.0 §4.1).
    /// </summary>
    public static Outcome<PixelRect> ResolveRegion(RegionSpec region, int imageWidth, int imageHeight)
    {
        ArgumentNullException.ThrowIfNull(region);
        long x, y, w, h;
        switch (region.Kind)
        {
            case RegionKind.Full:
                return new PixelRect(0, 0, imageWidth, imageHeight);
            case RegionKind.Square:
                var side = Math.Min(imageWidth, imageHeight);
                return new PixelRect((imageWidth - side) / 2, (imageHeight - side) / 2, side, side);
            case RegionKind.Percent:
                x = IiifNumber.RoundHalfUp(region.X / 100 * imageWidth);
                y = IiifNumber.RoundHalfUp(region.Y / 100 * imageHeight);
                w = IiifNumber.RoundHalfUp(region.Width / 100 * imageWidth);
                h = IiifNumber.RoundHalfUp(region.Height / 100 * imageHeight);
                break;
            default:
                (x, y, w, h) = ((long)region.X, (long)region.Y, (long)region.Width, (long)region.Height);
                break;
        }

        if (x >= imageWidth || y >= imageHeight)
        {
            return IiifError.BadRequest("region", $"Expected a region overlapping the image (0,0,{imageWidth},{imageHeight}) for region but received \"{region}\"");
        }

        w = Math.Min(w, imageWidth - x);
        h = Math.Min(h, imageHeight - y);
        if (w <= 0 || h <= 0)
        {
            return IiifError.BadRequest("region", $"Expected a region at least 1 pixel wide and high for region but received \"{region}\", which is {w}x{h} pixels of a {imageWidth}x{imageHeight} image");
        }

        return new PixelRect((int)x, (int)y, (int)w, (int)h);
    }

    private static Outcome<(int Width, int Height)> ResolveSize(ImageRequest request, PixelRect region, ServerLimits limits, ServiceProfile profile)
    {
        var spec = request.Size;
        var (rw, rh) = (region.Width, region.Height);
        var fitted = false;
        int w, h;
        switch (spec.Kind)
        {
            case SizeKind.Full:
                (w, h) = (rw, rh);
                break;
            case SizeKind.Max:
                (w, h) = SizeMath.FitWithin(rw, rh, limits, spec.Upscale && limits.UpscaleCaretMaxToLimits);
                fitted = true;
                break;
            case SizeKind.Width:
                (w, h) = (spec.Width, SizeMath.HeightForWidth(spec.Width, rw, rh));
                break;
            case SizeKind.Height:
                (w, h) = (SizeMath.WidthForHeight(spec.Height, rw, rh), spec.Height);
                break;
            case SizeKind.Percent:
                (w, h) = (IiifNumber.RoundHalfUp(rw * spec.Percent / 100), IiifNumber.RoundHalfUp(rh * spec.Percent / 100));
                break;
            case SizeKind.Exact:
                (w, h) = (spec.Width, spec.Height);
                break;
            default:
                // !w,h: the constraining side is exact, the other follows the region's aspect ratio.
                (w, h) = (long)spec.Width * rh <= (long)spec.Height * rw
                    ? (spec.Width, Math.Min(spec.Height, SizeMath.HeightForWidth(spec.Width, rw, rh)))
                    : (Math.Min(spec.Width, SizeMath.WidthForHeight(spec.Height, rw, rh)), spec.Height);

                // "The returned image MUST be as large as possible but not larger than ... server-imposed limits."
                if (!SizeMath.Fits(w, h, limits))
                {
                    (w, h) = SizeMath.FitWithin(rw, rh, limits, upscale: true);
                }

                fitted = true;
                break;
        }

        // "For all requests the pixel dimensions of the scaled region MUST NOT be less than 1 pixel" (3.0 §4.2).
        if (w < 1 || h < 1)
        {
            return IiifError.BadRequest("size", $"Expected a size giving at least 1x1 pixels for size but received \"{spec}\", which gives {w}x{h} for a {rw}x{rh} region");
        }

        if (w > rw || h > rh)
        {
            if (request.Version == ApiVersion.V3 && !spec.Upscale)
            {
                // "Requests for sizes not prefixed with ^ that result in a scaled region with pixel dimensions greater
                // than the pixel dimensions of the extracted region are errors that SHOULD result in a 400."
                return IiifError.BadRequest("size", $"Expected a size no larger than the {rw}x{rh} region (prefix ^ to upscale) for size but received \"{spec}\", which gives {w}x{h}");
            }

            var feature = request.Version == ApiVersion.V3 ? IiifFeature.SizeUpscaling : IiifFeature.SizeAboveFull;
            if (!profile.Supports(feature))
            {
                return IiifError.NotImplemented("size", $"The feature {feature.Name()} is not offered by this service: \"{spec}\" would upscale the {rw}x{rh} region to {w}x{h}");
            }
        }

        if (!fitted)
        {
            // "... or greater than the server-imposed limits ... SHOULD result in a 400 (Bad Request) status code."
            if (w > limits.MaxWidth)
            {
                return IiifError.BadRequest("size", $"Expected a width of at most maxWidth {limits.MaxWidth} for size but received \"{spec}\", which gives {w}x{h}");
            }

            if (h > limits.MaxHeight)
            {
                return IiifError.BadRequest("size", $"Expected a height of at most maxHeight {limits.MaxHeight} for size but received \"{spec}\", which gives {w}x{h}");
            }

            if ((long)w * h > limits.MaxArea)
            {
                return IiifError.BadRequest("size", $"Expected an area of at most maxArea {limits.MaxArea} for size but received \"{spec}\", which gives {w}x{h} = {(long)w * h}");
            }
        }

        return (w, h);
    }

    /// <summary>
    /// The smallest readable level whose resolution still covers the output, so the renderer shrinks as little as
    /// possible. A level's scale is Levels[0] / Levels[i] per stored axis (swapped into displayed axes for EXIF 5..8).
    /// A shortfall of under one output pixel (capped at 1% for small outputs) is tolerated, because stored level sizes
    /// are rounded (ceil or floor) halvings.
    /// </summary>
    internal static PyramidLevel ChooseLevel(SourceInfo source, PixelRect region, int outWidth, int outHeight)
    {
        var levels = source.Levels;
        if (levels is null || levels.Count == 0)
        {
            var (sw, sh) = source.SwapsAxes ? (source.Height, source.Width) : (source.Width, source.Height);
            return new PyramidLevel(0, sw, sh);
        }

        var full = levels[0];
        var best = full;
        var toleranceX = Math.Min(1.0, outWidth * 0.01);
        var toleranceY = Math.Min(1.0, outHeight * 0.01);
        for (var i = 1; i < levels.Count; i++)
        {
            var level = levels[i];
            if (level.Width <= 0 || level.Height <= 0)
            {
                continue;
            }

            var storedX = (double)full.Width / level.Width;
            var storedY = (double)full.Height / level.Height;
            var (scaleX, scaleY) = source.SwapsAxes ? (storedY, storedX) : (storedX, storedY);
            var covers = region.Width / scaleX >= outWidth - toleranceX && region.Height / scaleY >= outHeight - toleranceY;
            if (covers && (long)level.Width * level.Height < (long)best.Width * best.Height)
            {
                best = level;
            }
        }

        return best;
    }
}
