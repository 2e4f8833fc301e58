using System.Globalization;
using System.Text;

namespace Tessera.Imaging.Rendering;

/// <summary>
/// Writes a one-page PDF that shows a JPEG (the IIIF <c>pdf</c> format). libvips 8.14 has no PDF saver, and a page
/// holding one image needs none: the JPEG goes in unchanged as an image XObject with the <c>DCTDecode</c> filter
/// (ISO 32000-1 §7.4.8), drawn over the whole page by a three-operator content stream. The page is one point per pixel
/// (72 dpi), so a viewer's "actual size" is the pixel size. Five objects, a classic cross-reference table, no
/// compression of our own: poppler, pdf.js and Acrobat open it.
/// </summary>
internal static class PdfWrapper
{
    /// <summary>The PDF of one page showing <paramref name="jpeg"/>.</summary>
    /// <param name="jpeg">A baseline or progressive JPEG (8-bit grey, RGB/YCbCr or CMYK).</param>
    /// <param name="width">Its width in pixels.</param>
    /// <param name="height">Its height in pixels.</param>
    /// <param name="bands">1 (grey), 3 (colour) or 4 (CMYK), the JPEG's components.</param>
    public static byte[] Wrap(ReadOnlySpan<byte> jpeg, int width, int height, int bands)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        var space = bands switch
        {
            1 => "/DeviceGray",
            3 => "/DeviceRGB",
            4 => "/DeviceCMYK",
            _ => throw new ArgumentOutOfRangeException(nameof(bands), bands, "Expected 1, 3 or 4 for bands of a JPEG to wrap in a PDF"),
        };

        var content = F($"q {width} 0 0 {height} 0 0 cm /Im0 Do Q\n");
        using var output = new MemoryStream(jpeg.Length + 1024);
        var offsets = new List<long>();
        void Write(string text) => output.Write(Encoding.ASCII.GetBytes(text));
        void Begin() => offsets.Add(output.Position);

        // The binary comment marks the file as binary for tools that sniff (ISO 32000-1 §7.5.2).
        Write("%PDF-1.4\n");
        output.Write([(byte)'%', 0xE2, 0xE3, 0xCF, 0xD3, (byte)'\n']);
        Begin();
        Write("1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n");
        Begin();
        Write("2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n");
        Begin();
        Write(F($"3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {width} {height}] /Resources << /XObject << /Im0 4 0 R >> >> /Contents 5 0 R >>\nendobj\n"));
        Begin();
        Write(F($"4 0 obj\n<< /Type /XObject /Subtype /Image /Width {width} /Height {height} /ColorSpace {space} /BitsPerComponent 8 /Filter /DCTDecode /Length {jpeg.Length} >>\nstream\n"));
        output.Write(jpeg);
        Write("\nendstream\nendobj\n");
        Begin();
        Write(F($"5 0 obj\n<< /Length {content.Length} >>\nstream\n{content}endstream\nendobj\n"));
        var xref = output.Position;
        Write(F($"xref\n0 {offsets.Count + 1}\n0000000000 65535 f \n"));
        foreach (var offset in offsets)
        {
            Write(F($"{offset:D10} 00000 n \n"));
        }

        Write(F($"trailer\n<< /Size {offsets.Count + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n"));
        return output.ToArray();
    }

    private static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
