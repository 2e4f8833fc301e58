namespace Tessera.Imaging.Sources;

/// <summary>What a file's first bytes say it is (<see cref="MagicBytes.Of"/>): one kind per signature, not per loader.</summary>
public enum ImageSignature
{
    /// <summary>None of the signatures below.</summary>
    Unknown,

    /// <summary>SOI and the first marker's FF (ISO/IEC 10918-1 B.1.1.2).</summary>
    Jpeg,

    /// <summary>The 8-byte PNG signature (ISO/IEC 15948 §5.2).</summary>
    Png,

    /// <summary><c>GIF87a</c> or <c>GIF89a</c>.</summary>
    Gif,

    /// <summary>Classic (42) or BigTIFF (43), either byte order, the order mark agreeing with the number.</summary>
    Tiff,

    /// <summary>A RIFF file of form <c>WEBP</c>.</summary>
    WebP,

    /// <summary>A bare JPEG 2000 codestream: SOC then SIZ (ISO/IEC 15444-1 A.4.1).</summary>
    Jpeg2000Codestream,

    /// <summary>The 12-byte JP2 signature box (ISO/IEC 15444-1 I.5.1).</summary>
    Jp2,

    /// <summary>An ISO base media file (<c>ftyp</c> first): HEIF, AVIF.</summary>
    Heif,

    /// <summary>A bare JPEG XL codestream (ISO/IEC 18181-1 §6.2).</summary>
    JxlCodestream,

    /// <summary>The 12-byte JPEG XL signature box of the ISO container (ISO/IEC 18181-2 §9.1).</summary>
    JxlContainer,

    /// <summary><c>%PDF-</c> at the very start (readers accept it anywhere in the first 1024 bytes; Tessera does not).</summary>
    Pdf,
}
