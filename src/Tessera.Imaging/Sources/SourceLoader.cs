namespace Tessera.Imaging.Sources;

/// <summary>Which libvips loader reads a source, which decides what a pyramid level means for it.</summary>
public enum SourceLoader
{
    /// <summary>TIFF: each pyramid level is a page.</summary>
    Tiff,

    /// <summary>JPEG: levels are shrink-on-load factors 1, 2, 4, 8.</summary>
    Jpeg,

    /// <summary>JPEG 2000: levels are resolution reductions.</summary>
    Jpeg2000,

    /// <summary>Everything else (PNG, WebP, GIF, HEIF/AVIF, JPEG XL): one level; a HEIF's images are pages.</summary>
    Other,

    /// <summary>PDF through poppler: each page rendered at <see cref="SourceLimits.PdfDpi"/>, one level.</summary>
    Pdf,

    /// <summary>A whole slide through OpenSlide: its levels are the slide's own; its associated images are pages 2, 3, ... of one level each (see <see cref="PageSources.InspectSlide"/>).</summary>
    Slide,
}
