using Tessera.Imaging.Colour;

namespace Tessera.Imaging.Rendering;

/// <summary>Encoder settings. Defaults suit a public image server: good quality, fast encodes, no metadata.</summary>
public sealed record RenderOptions
{
    /// <summary>
    /// The JPEG quality the server renders with unless configured otherwise. Seeded tiles equal the server's only when
    /// both use the same quality, so every default (server settings, <c>seed</c>, <c>process</c>, <c>convert</c>) is this.
    /// </summary>
    public const int DefaultJpegQuality = 90;

    /// <summary>JPEG quality, 1..100.</summary>
    public int JpegQuality { get; init; } = DefaultJpegQuality;

    /// <summary>WebP quality, 1..100.</summary>
    public int WebpQuality { get; init; } = 80;

    /// <summary>AVIF quality, 1..100.</summary>
    public int AvifQuality { get; init; } = 50;

    /// <summary>JPEG 2000 quality, 1..100.</summary>
    public int Jp2Quality { get; init; } = 48;

    /// <summary>PNG zlib level, 0..9: 6 is the usual balance of size and time.</summary>
    public int PngCompression { get; init; } = 6;

    /// <summary>The resampling kernel of reductions and enlargements (libvips and the managed reducer alike).</summary>
    public ResampleKernel Kernel { get; init; } = ResampleKernels.Default;

    /// <summary>What is done with sources whose ICC profile is not sRGB: converted to sRGB (the default) or sent with the profile.</summary>
    public ColourPolicy Colour { get; init; } = ColourPolicy.Convert;

    /// <summary>
    /// Whether plans that read a pyramid's JPEG tiles and write JPEG are decoded and encoded by libjpeg-turbo directly
    /// (<see cref="JpegTileRenderer"/>) rather than through libvips. On by default; off to compare the two.
    /// </summary>
    public bool JpegTiles { get; init; } = true;

    /// <summary>
    /// Whether JPEG 2000 windows are decoded by OpenJPEG directly (<see cref="RenderPath.Jpeg2000"/>, on every core)
    /// rather than by libvips' <c>jp2kload</c>, which decodes one tile of an opened level at a time. On by default;
    /// off to compare the two.
    /// </summary>
    public bool Jpeg2000Direct { get; init; } = true;

    public static RenderOptions Default { get; } = new();

    /// <summary>Every problem with these settings (empty when they are valid); <see cref="ImageRenderer"/> refuses invalid ones.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        Quality(errors, JpegQuality, nameof(JpegQuality));
        Quality(errors, WebpQuality, nameof(WebpQuality));
        Quality(errors, AvifQuality, nameof(AvifQuality));
        Quality(errors, Jp2Quality, nameof(Jp2Quality));
        if (PngCompression is < 0 or > 9)
        {
            errors.Add($"Expected 0..9 for PngCompression but received {PngCompression}");
        }

        if (!Enum.IsDefined(Colour))
        {
            errors.Add($"Expected {ColourPolicies.Expected} for Colour but received {(int)Colour}");
        }

        if (!Enum.IsDefined(Kernel))
        {
            errors.Add($"Expected {ResampleKernels.Expected} for Kernel but received {(int)Kernel}");
        }

        return errors;
    }

    private static void Quality(List<string> errors, int value, string name)
    {
        if (value is < 1 or > 100)
        {
            errors.Add($"Expected 1..100 for {name} but received {value}");
        }
    }
}
