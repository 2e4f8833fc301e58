using Tessera.Core.Iiif;
using Tessera.Core.Planning;
using Tessera.Imaging.Colour;
using Tessera.Imaging.Sources;
using Tessera.Vips;

namespace Tessera.Imaging.Rendering;

/// <summary>
/// The libvips path's colour step, on the output-sized image: sRGB sources as they are; other RGB and grey profiles
/// attached for the encoder (<see cref="ColourPolicy.Embed"/>) or transformed by the cached LittleCMS transform of
/// their profile (<see cref="ColourPolicy.Convert"/>, built once per profile instead of libvips' once per request);
/// libvips' own conversions for the rest (CMYK without a usable profile, 16-bit, a profile LittleCMS refuses).
/// </summary>
internal static class ColourStage
{
    /// <summary>
    /// Largest image transformed in managed memory (48 MB of RGB); larger ones (a full-size render of a huge source)
    /// go to libvips' <c>icc_transform</c>, which streams.
    /// </summary>
    private const long MaxManagedPixels = 16_000_000;

    /// <summary>Colour-manages the chain's image to what is sent; returns the profile the encoder must attach, or null.</summary>
    public static byte[]? Apply(VipsChain chain, SourceDescription source, ImagePlan plan, ColourPolicy policy, ColourTransformCache transforms, PixelBufferPool buffers)
    {
        var image = chain.Current;
        if (source.Profile is { IsSrgb: false } profile && image.Format == BandFormat.UChar && image.HasField("icc-profile-data") && KindOf(profile, image) is { } kind)
        {
            if (policy == ColourPolicy.Embed && kind is not ColourTransformKind.Cmyk && plan.Quality is Quality.Default or Quality.Color && CanEmbed(plan.Format))
            {
                return profile.Data.ToArray();
            }

            if ((long)image.Width * image.Height <= MaxManagedPixels && ColourConverter.For(profile, kind, transforms) is { } converter)
            {
                Transform(chain, buffers, converter);
                return null;
            }
        }

        ToSrgb(chain, source);
        return null;
    }

    /// <summary>Formats whose encoders carry an ICC profile: JPEG (APP2), PNG (iCCP), WebP (ICCP), TIFF.</summary>
    private static bool CanEmbed(ImageFormat format) => format is ImageFormat.Jpg or ImageFormat.Png or ImageFormat.Webp or ImageFormat.Tif;

    /// <summary>The transform's pixel layout for this image under this profile, or null when they do not fit.</summary>
    private static ColourTransformKind? KindOf(IccProfile profile, VipsImage image) => (profile.ColourSpace, image.Bands) switch
    {
        (IccColourSpace.Rgb, 3) => ColourTransformKind.Rgb,
        (IccColourSpace.Rgb, 4) when image.HasAlpha => ColourTransformKind.Rgba,
        (IccColourSpace.Gray, 1) => ColourTransformKind.Grey,
        (IccColourSpace.Gray, 2) when image.HasAlpha => ColourTransformKind.GreyAlpha,
        (IccColourSpace.Cmyk, 4) when image.Interpretation == Interpretation.Cmyk => ColourTransformKind.Cmyk,
        _ => null,
    };

    /// <summary>Computes the image into a buffer, transforms it to sRGB and goes on from the result (the source is let go).</summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA2000", Justification = "Owner: the buffer pool (buffers). Rented buffers go back to it with Return in the finally, which keeps or frees them.")]
    private static void Transform(VipsChain chain, PixelBufferPool buffers, ColourConverter converter)
    {
        var image = chain.Current;
        int width = image.Width, height = image.Height;
        int inBytes = converter.InputBytesPerPixel, outBytes = converter.OutputBytesPerPixel;
        var source = buffers.Rent(width * height * inBytes);
        NativeBuffer? target = null;
        try
        {
            image.WriteTo(source.Span);
            var pixels = source.Span[..(width * height * inBytes)];
            var destination = pixels;
            if (outBytes != inBytes)
            {
                target = buffers.Rent(width * height * outBytes);
                destination = target.Span[..(width * height * outBytes)];
            }

            converter.Transform(pixels, destination, width, height, width * inBytes, width * outBytes);
            chain.Restart(VipsImage.FromSrgbPixels(destination, width, height, outBytes, image.GetInt("orientation")));
        }
        finally
        {
            if (target is not null)
            {
                buffers.Return(target);
            }

            buffers.Return(source);
        }
    }

    /// <summary>
    /// Colour-manage to 8-bit sRGB (or 8-bit grey): embedded ICC profiles are honoured, CMYK and 16-bit converted. An sRGB
    /// profile is not transformed (about 11 ms a 256 px tile for a change of at most a level): the pixels are sRGB already,
    /// and the encoders strip the profile from the output either way.
    /// </summary>
    internal static void ToSrgb(VipsChain chain, SourceDescription source)
    {
        var image = chain.Current;
        if (image.HasField("icc-profile-data") && source.Profile is not { IsSrgb: true })
        {
            try
            {
                chain.Then(image.Call("icc_transform", ("output_profile", "srgb"), ("embedded", true), ("intent", "relative"), ("depth", 8)));
                return;
            }
            catch (VipsException)
            {
                // A broken embedded profile: fall back to the plain colourspace conversion below.
            }
        }

        image = chain.Current;
        switch (image.Interpretation)
        {
            case Interpretation.Cmyk:
                chain.Then(image.Call("icc_transform", ("input_profile", "cmyk"), ("output_profile", "srgb"), ("intent", "relative"), ("depth", 8)));
                break;
            case Interpretation.Srgb when image.Format == BandFormat.UChar:
            case Interpretation.BW when image.Format == BandFormat.UChar:
                break;
            case Interpretation.BW:
            case Interpretation.Grey16:
                chain.Then(image.Colourspace("b-w"));
                break;
            case Interpretation.Multiband when image.Bands <= 2 && image.Format == BandFormat.UChar:
                chain.Then(image.Call("copy", ("interpretation", "b-w")));
                break;
            case Interpretation.Multiband when image.Bands >= 3 && image.Format == BandFormat.UChar:
                chain.Then(image.Call("copy", ("interpretation", "srgb")));
                break;
            default:
                chain.Then(image.Colourspace("srgb"));
                break;
        }

        if (chain.Current.Format != BandFormat.UChar)
        {
            chain.Then(chain.Current.Cast(BandFormat.UChar));
        }
    }

}
