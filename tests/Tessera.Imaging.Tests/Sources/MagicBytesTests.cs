using Tessera.Imaging.Sources;

namespace Tessera.Imaging.Tests.Sources;

/// <summary>
/// The one recogniser of file signatures: each kind from its first bytes, and the near misses that are not it (the
/// byte order mark disagreeing with TIFF's number, a JP2 box of the wrong length, a truncated signature).
/// </summary>
public sealed class MagicBytesTests
{
    [Theory]
    [InlineData("FF D8 FF E0", ImageSignature.Jpeg)]
    [InlineData("89 50 4E 47 0D 0A 1A 0A", ImageSignature.Png)]
    [InlineData("49 49 2A 00", ImageSignature.Tiff)]
    [InlineData("4D 4D 00 2A", ImageSignature.Tiff)]
    [InlineData("49 49 2B 00", ImageSignature.Tiff)]
    [InlineData("4D 4D 00 2B", ImageSignature.Tiff)]
    [InlineData("47 49 46 38 39 61", ImageSignature.Gif)]
    [InlineData("52 49 46 46 00 00 00 00 57 45 42 50", ImageSignature.WebP)]
    [InlineData("FF 4F FF 51", ImageSignature.Jpeg2000Codestream)]
    [InlineData("00 00 00 0C 6A 50 20 20 0D 0A 87 0A", ImageSignature.Jp2)]
    [InlineData("00 00 00 18 66 74 79 70 61 76 69 66", ImageSignature.Heif)]
    [InlineData("FF 0A", ImageSignature.JxlCodestream)]
    [InlineData("00 00 00 0C 4A 58 4C 20 0D 0A 87 0A", ImageSignature.JxlContainer)]
    [InlineData("25 50 44 46 2D 31 2E 37", ImageSignature.Pdf)]
    [InlineData("49 49 00 2A", ImageSignature.Unknown)]
    [InlineData("00 00 00 0D 6A 50 20 20 0D 0A 87 0A", ImageSignature.Unknown)]
    [InlineData("FF D8", ImageSignature.Unknown)]
    [InlineData("52 49 46 46 00 00 00 00 57 41 56 45", ImageSignature.Unknown)]
    [InlineData("", ImageSignature.Unknown)]
    public void Each_signature_is_known_by_its_first_bytes(string hex, ImageSignature expected)
    {
        var head = hex.Length == 0 ? [] : Convert.FromHexString(hex.Replace(" ", string.Empty, StringComparison.Ordinal));

        Assert.Equal(expected, MagicBytes.Of(head));
        Assert.True(head.Length <= MagicBytes.Length, $"Expected a signature within {MagicBytes.Length} bytes but the case holds {head.Length}");
    }
}
