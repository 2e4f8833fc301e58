using Tessera.Core.Iiif;
using Tessera.Core.Planning;
using Tessera.Imaging.Pipeline;
using Tessera.Imaging.Rendering;
using Tessera.Imaging.Sources;
using Tessera.Vips;

namespace Tessera.Imaging.Processing;

/// <summary>
/// Renders one iiif-process <see cref="Instruction"/> through the shared pipeline. The extensions become ordinary IIIF
/// requests around it: a smart crop is found on a small rendition and becomes an <c>x,y,w,h</c> region; rotation
/// <c>-1</c> plans against the stored (not EXIF-turned) pixels; format <c>""</c> is the source's; <c>dither</c> renders
/// <c>gray</c> losslessly, then halftones it to 1 bit and encodes it in the asked format.
/// </summary>
public sealed class DerivativeRenderer(ImagePipeline pipeline)
{
    private const ApiVersion Syntax = ApiVersion.V2; // iiif-process instructions are written in Image API 2.1 syntax

    public ImagePipeline Pipeline { get; } = pipeline;

    /// <summary>The format an instruction writes for a source (<c>""</c> resolved to the source's own).</summary>
    public static string FormatFor(Instruction instruction, SourceDescription source) =>
        instruction.KeepsSourceFormat ? SourceFormat(source).Extension() : instruction.Format;

    public async Task<Outcome<RenderedImage>> RenderAsync(SourceDescription source, Instruction instruction, CancellationToken cancellationToken = default)
    {
        var target = instruction.KeepsStoredOrientation ? AsStored(source) : source;
        var (region, size) = (instruction.Region, instruction.Size);
        if (instruction.SmartCrop is { } crop)
        {
            var found = await SmartCropRegionAsync(target, crop.Width, crop.Height, cancellationToken).ConfigureAwait(false);
            if (!found.TryGetValue(out var rect, out var cropError))
            {
                return cropError;
            }

            region = rect.Width == target.Info.Width && rect.Height == target.Info.Height ? "full" : rect.ToString();
            if (size is "full" or "max")
            {
                size = $"{Math.Min(crop.Width, rect.Width)},{Math.Min(crop.Height, rect.Height)}";
            }
        }

        var format = FormatFor(instruction, source);
        if (!ImageFormats.TryParse(format, out var outputFormat))
        {
            return IiifError.BadRequest("format", $"Expected one of {string.Join(", ", ImageFormats.All.Select(f => f.Extension()))} or \"\" for format but received \"{format}\"");
        }

        var quality = instruction.IsDither ? "gray" : instruction.Quality;
        var renderFormat = instruction.IsDither ? "png" : format;
        var rotation = instruction.KeepsStoredOrientation ? "0" : instruction.Rotation;
        if (!ImageRequestParser.Parse(Syntax, source.Source.Identifier, region, size, rotation, $"{quality}.{renderFormat}").TryGetValue(out var request, out var error)
            || !ImagePlanner.Plan(request, target.Info, Pipeline.Limits, Pipeline.Profile).TryGetValue(out var plan, out error)
            || !(await Pipeline.RenderAsync(plan, target, cancellationToken).ConfigureAwait(false)).TryGetValue(out var image, out error))
        {
            return error;
        }

        return instruction.IsDither ? Dither(image, outputFormat) : image;
    }

    /// <summary>
    /// The most interesting <paramref name="width"/>×<paramref name="height"/> area (libvips <c>smartcrop</c>, attention),
    /// in full-resolution pixels: found on a rendition just large enough to cover the crop, then scaled back.
    /// </summary>
    public async Task<Outcome<PixelRect>> SmartCropRegionAsync(SourceDescription source, int width, int height, CancellationToken cancellationToken = default)
    {
        var info = source.Info;
        var scale = Math.Max((double)width / info.Width, (double)height / info.Height);
        if (scale >= 1)
        {
            return new PixelRect(0, 0, info.Width, info.Height);
        }

        var workWidth = Math.Max(width, (int)Math.Ceiling(info.Width * scale));
        var workHeight = Math.Max(height, (int)Math.Ceiling(info.Height * scale));
        if (!ImageRequestParser.Parse(Syntax, source.Source.Identifier, "full", $"{workWidth},{workHeight}", "0", "default.png").TryGetValue(out var request, out var error)
            || !ImagePlanner.Plan(request, info, Pipeline.Limits, Pipeline.Profile).TryGetValue(out var plan, out error)
            || !(await Pipeline.RenderAsync(plan, source, cancellationToken).ConfigureAwait(false)).TryGetValue(out var work, out error))
        {
            return error;
        }

        using var image = VipsImage.NewFromBuffer(work.Data);
        var outputs = VipsOperation.Run("smartcrop", [new("input", image), new("width", width), new("height", height), new("interesting", "attention")], ["attention_x", "attention_y"]);
        var (ax, ay) = ((int)outputs[0]!, (int)outputs[1]!);

        // libvips centres an attention crop on the attention point, kept inside the image.
        var left = Math.Clamp(ax - (width / 2), 0, image.Width - width);
        var top = Math.Clamp(ay - (height / 2), 0, image.Height - height);
        var x = (int)Math.Floor(left / scale);
        var y = (int)Math.Floor(top / scale);
        var w = Math.Min((int)Math.Round(width / scale), info.Width - x);
        var h = Math.Min((int)Math.Round(height / scale), info.Height - y);
        return new PixelRect(x, y, w, h);
    }

    private RenderedImage Dither(RenderedImage grey, ImageFormat format)
    {
        using var decoded = VipsImage.NewFromBuffer(grey.Data);
        using var band = decoded.Bands == 1 ? decoded.Call("copy") : decoded.ExtractBand(0);
        var halftone = Ditherer.FloydSteinberg(band.ToPixels(), band.Width, band.Height);
        using var output = VipsImage.FromPixels(halftone, band.Width, band.Height, 1);
        using var bw = output.Call("copy", ("interpretation", "b-w"));
        return new RenderedImage(Encoders.Encode(bw, format, Pipeline.Renderer.Options), format.MediaType(), band.Width, band.Height);
    }

    /// <summary>The source with EXIF orientation ignored: its stored pixels and stored dimensions.</summary>
    private static SourceDescription AsStored(SourceDescription source)
    {
        var info = source.Info;
        if (info.Orientation == 1)
        {
            return source;
        }

        var stored = info.SwapsAxes ? info with { Width = info.Height, Height = info.Width, Orientation = 1 } : info with { Orientation = 1 };
        return source with { Info = stored };
    }

    private static ImageFormat SourceFormat(SourceDescription source) => source.LoaderName switch
    {
        "pngload" => ImageFormat.Png,
        "tiffload" => ImageFormat.Tif,
        "webpload" => ImageFormat.Webp,
        "gifload" => ImageFormat.Gif,
        "jp2kload" => ImageFormat.Jp2,
        "heifload" => ImageFormat.Avif,
        "jxlload" => ImageFormat.Jxl,
        _ => ImageFormat.Jpg,
    };
}
