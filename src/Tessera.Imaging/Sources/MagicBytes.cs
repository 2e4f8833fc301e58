namespace Tessera.Imaging.Sources;

/// <summary>
/// The one place that tells what a file is from its first bytes, for <see cref="LoaderChoice"/> (which libvips loader
/// reads it) and <see cref="HeaderProbe"/> (which header parser reads its declared size): two recognisers kept apart
/// had drifted (one knew PDF, the other GIF, WebP and HEIF; they checked JPEG 2000 and JPEG XL boxes differently).
/// </summary>
public static class MagicBytes
{
    /// <summary>Bytes <see cref="Of"/> looks at, at most.</summary>
    public const int Length = 12;

    private static ReadOnlySpan<byte> PngSignature => [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    private static ReadOnlySpan<byte> Jp2Signature => [0, 0, 0, 0x0C, 0x6A, 0x50, 0x20, 0x20, 0x0D, 0x0A, 0x87, 0x0A];

    private static ReadOnlySpan<byte> JxlSignature => [0, 0, 0, 0x0C, (byte)'J', (byte)'X', (byte)'L', (byte)' ', 0x0D, 0x0A, 0x87, 0x0A];

    /// <summary>What <paramref name="head"/>, a file's first bytes (<see cref="Length"/> are enough), says the file is.</summary>
    public static ImageSignature Of(ReadOnlySpan<byte> head)
    {
        if (head.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF]))
        {
            return ImageSignature.Jpeg;
        }

        if (head.StartsWith(PngSignature))
        {
            return ImageSignature.Png;
        }

        if (head.StartsWith("II*\0"u8) || head.StartsWith("MM\0*"u8) || head.StartsWith("II+\0"u8) || head.StartsWith("MM\0+"u8))
        {
            return ImageSignature.Tiff;
        }

        if (head.StartsWith("GIF87a"u8) || head.StartsWith("GIF89a"u8))
        {
            return ImageSignature.Gif;
        }

        if (head.Length >= 12 && head.StartsWith("RIFF"u8) && head.Slice(8, 4).SequenceEqual("WEBP"u8))
        {
            return ImageSignature.WebP;
        }

        if (head.StartsWith((ReadOnlySpan<byte>)[0xFF, 0x4F, 0xFF, 0x51]))
        {
            return ImageSignature.Jpeg2000Codestream;
        }

        if (head.StartsWith(Jp2Signature))
        {
            return ImageSignature.Jp2;
        }

        if (head.StartsWith((ReadOnlySpan<byte>)[0xFF, 0x0A]))
        {
            return ImageSignature.JxlCodestream;
        }

        if (head.StartsWith(JxlSignature))
        {
            return ImageSignature.JxlContainer;
        }

        if (head.Length >= 8 && head.Slice(4, 4).SequenceEqual("ftyp"u8))
        {
            return ImageSignature.Heif;
        }

        return head.StartsWith("%PDF-"u8) ? ImageSignature.Pdf : ImageSignature.Unknown;
    }
}
