using System.Globalization;
using System.Text;
using Tessera.Vips;

namespace Tessera.Testing;

/// <summary>
/// Sources of several pages and the newer formats, made on demand: PDFs written by hand (any number of pages, any
/// MediaBox, each page a filled square of its own grey so pages can be told apart), a TIFF and a HEIF of several
/// images, JPEG XL, a tiled pyramidal TIFF that OpenSlide reads as a generic slide, and the hostile ones (a PDF page of
/// 200000 pt, a JPEG XL declaring 65535², each cut short). Each method writes one file and returns its path.
/// </summary>
public static class PageFiles
{
    /// <summary>The grey of page <paramref name="page"/> (from 1) in <see cref="Pdf"/>'s pages: 40, 80, 120, ... (mod 256).</summary>
    public static int GreyOf(int page) => (page * 40) % 256;

    /// <summary>
    /// A PDF of <paramref name="pages"/> pages of <paramref name="width"/>×<paramref name="height"/> points, each filled
    /// with <see cref="GreyOf"/> its number (one content stream per page, a flat page tree). Pages in
    /// <paramref name="sizes"/> take their own size (page number → width, height).
    /// </summary>
    public static string Pdf(string folder, string name, int pages, double width = 200, double height = 300, IReadOnlyDictionary<int, (double Width, double Height)>? sizes = null)
    {
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, name);
        using var output = new MemoryStream();
        var offsets = new List<long>();
        void Write(string text) => output.Write(Encoding.ASCII.GetBytes(text));
        void Object(int number, string body)
        {
            while (offsets.Count < number)
            {
                offsets.Add(0);
            }

            offsets[number - 1] = output.Position;
            Write(string.Create(CultureInfo.InvariantCulture, $"{number} 0 obj\n{body}\nendobj\n"));
        }

        Write("%PDF-1.4\n");
        Object(1, "<< /Type /Catalog /Pages 2 0 R >>");
        var kids = new StringBuilder();
        for (var page = 1; page <= pages; page++)
        {
            kids.Append(CultureInfo.InvariantCulture, $"{2 + (2 * page) - 1} 0 R ");
        }

        Object(2, string.Create(CultureInfo.InvariantCulture, $"<< /Type /Pages /Kids [{kids}] /Count {pages} >>"));
        for (var page = 1; page <= pages; page++)
        {
            var (w, h) = sizes is not null && sizes.TryGetValue(page, out var size) ? size : (width, height);
            var grey = GreyOf(page) / 255.0;
            var content = string.Create(CultureInfo.InvariantCulture, $"{grey:0.###} g 0 0 {w} {h} re f\n");
            Object(2 + (2 * page) - 1, string.Create(CultureInfo.InvariantCulture, $"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {w} {h}] /Contents {2 + (2 * page)} 0 R /Resources << >> >>"));
            Object(2 + (2 * page), string.Create(CultureInfo.InvariantCulture, $"<< /Length {content.Length} >>\nstream\n{content}endstream"));
        }

        var xref = output.Position;
        Write(string.Create(CultureInfo.InvariantCulture, $"xref\n0 {offsets.Count + 1}\n0000000000 65535 f \n"));
        foreach (var offset in offsets)
        {
            Write(string.Create(CultureInfo.InvariantCulture, $"{offset:D10} 00000 n \n"));
        }

        Write(string.Create(CultureInfo.InvariantCulture, $"trailer\n<< /Size {offsets.Count + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n"));
        File.WriteAllBytes(path, output.ToArray());
        return path;
    }

    /// <summary>A one-page PDF whose MediaBox is <paramref name="points"/> square (200000 pt is 416667 px a side at 150 dpi: 174 Gpx).</summary>
    public static string HugePagePdf(string folder, string name = "huge-page.pdf", double points = 200_000) => Pdf(folder, name, 1, points, points);

    /// <summary>
    /// <paramref name="pages"/> images of <paramref name="width"/>×<paramref name="height"/>, page n a flat grey of
    /// <see cref="GreyOf"/>(n), as one tall libvips image with <c>page-height</c> set: what multi-page savers take.
    /// </summary>
    public static VipsImage Pages(int pages, int width, int height)
    {
        var strips = new List<VipsImage>();
        try
        {
            for (var page = 1; page <= pages; page++)
            {
                using var black = VipsOperation.Image("black", ("width", width), ("height", height), ("bands", 3));
                strips.Add(black.Call("linear", ("a", new double[] { 1, 1, 1 }), ("b", new double[] { GreyOf(page), GreyOf(page), GreyOf(page) }), ("uchar", true)));
            }

            using var joined = VipsOperation.Image("arrayjoin", ("in", strips.ToArray()), ("across", 1));
            using var srgb = joined.Call("copy", ("interpretation", "srgb"));
            using var memory = srgb.CopyMemory();
            return memory.WithInt("page-height", height);
        }
        finally
        {
            foreach (var strip in strips)
            {
                strip.Dispose();
            }
        }
    }

    /// <summary>A TIFF of <paramref name="pages"/> images in strips (a scan's pages), none a reduced level of another.</summary>
    public static string MultiPageTiff(string folder, string name, int pages, int width = 300, int height = 200)
    {
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, name);
        using var image = Pages(pages, width, height);
        image.SaveToFile("tiffsave", path, ("compression", "deflate"));
        return path;
    }

    /// <summary>A HEIF (HEVC) of <paramref name="pages"/> top-level images.</summary>
    public static string MultiImageHeif(string folder, string name, int pages, int width = 256, int height = 192)
    {
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, name);
        using var image = Pages(pages, width, height);
        image.SaveToFile("heifsave", path, ("Q", 90));
        return path;
    }

    /// <summary>A JPEG XL of the sample photograph, <paramref name="width"/> px wide.</summary>
    public static string Jxl(string folder, string name = "photo.jxl", int width = 640)
    {
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, name);
        using var thumbnail = VipsOperation.Image("thumbnail", ("filename", Samples.PathOf(Samples.Sunset)), ("width", width));
        thumbnail.SaveToFile("jxlsave", path, ("Q", 90), ("effort", 3));
        return path;
    }

    /// <summary>
    /// A bare JPEG XL codestream whose SizeHeader declares <paramref name="side"/>² (not small; height as a 30-bit U32,
    /// ratio 1:1), then a few zero bytes: libjxl would allocate the whole frame (17 GB for 65535²).
    /// </summary>
    public static string JxlBomb(string folder, string name = "jxl-bomb.jxl", uint side = 65535)
    {
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, name);

        // Bits, least significant first: small = 0; selector 3 (30 bits); side - 1 in 30 bits; ratio 1.
        ulong bits = 0;
        var at = 0;
        void Put(ulong value, int count)
        {
            bits |= value << at;
            at += count;
        }

        Put(0, 1);
        Put(3, 2);
        Put(side - 1, 30);
        Put(1, 3);
        var data = new byte[64];
        data[0] = 0xFF;
        data[1] = 0x0A;
        BitConverter.TryWriteBytes(data.AsSpan(2), bits);
        File.WriteAllBytes(path, data);
        return path;
    }

    /// <summary>A tiled pyramidal TIFF of the sample photograph (JPEG tiles of 256 px), named <paramref name="name"/>: OpenSlide reads it as a generic-tiff slide.</summary>
    public static string GenericSlide(string folder, string name = "slide.svs", int width = 2000)
    {
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, name);
        using var thumbnail = VipsOperation.Image("thumbnail", ("filename", Samples.PathOf(Samples.Sunset)), ("width", width));
        thumbnail.SaveToFile("tiffsave", path, ("tile", true), ("pyramid", true), ("tile_width", 256), ("tile_height", 256), ("compression", "jpeg"), ("Q", 85));
        return path;
    }

    /// <summary>
    /// An Aperio-style slide: <see cref="GenericSlide"/>'s pyramid with an ImageDescription starting "Aperio Image
    /// Library" (objective 20×, 0.499 µm a pixel) on its first directory, and a label and a macro (stripped, uncompressed
    /// images whose descriptions' second line names them) appended to the directory chain, as Aperio scanners write
    /// them. OpenSlide reads it as <c>aperio</c> and lists both associated images. With <paramref name="damagedLabel"/>,
    /// the label's strip points past the end of the file (its directory is whole: the slide opens and lists it). Both
    /// associated images are the sample photograph <paramref name="associatedWidth"/> px wide.
    /// </summary>
    public static string AperioSlide(string folder, string name = "aperio.svs", bool damagedLabel = false, int associatedWidth = 120)
    {
        var path = GenericSlide(folder, name);
        var data = new List<byte>(File.ReadAllBytes(path));
        using var thumbnail = VipsOperation.Image("thumbnail", ("filename", Samples.PathOf(Samples.Sunset)), ("width", associatedWidth));
        var label = thumbnail.SaveToBuffer("tiffsave_buffer", ("compression", "none"));

        // The first directory, moved to the end with the description added; then the associated images after the last.
        var first = (long)U32(data, 4);
        var moved = Append(data, Entries(data, first), Encoding.ASCII.GetBytes("Aperio Image Library v10.0.50\r\n2000x1333 [0,0 2000x1333] (256x256) JPEG/RGB Q=85|AppMag = 20|MPP = 0.499\0"), U32(data, (int)first + 2 + (12 * U16(data, (int)first))));
        Put32(data, 4, moved);
        var last = moved;
        for (var next = U32(data, (int)last + 2 + (12 * U16(data, (int)last))); next != 0; next = U32(data, (int)last + 2 + (12 * U16(data, (int)last))))
        {
            last = next;
        }

        foreach (var kind in new[] { "label", "macro" })
        {
            var entries = Entries(label, U32(label, 4));
            var relocated = Relocated(data, label, entries, pastTheEnd: damagedLabel && kind == "label");
            var appended = Append(data, relocated, Encoding.ASCII.GetBytes($"Aperio Image Library v10.0.50\n{kind} {thumbnail.Width}x{thumbnail.Height}\0"), 0);
            Put32(data, (int)last + 2 + (12 * U16(data, (int)last)), appended);
            last = appended;
        }

        File.WriteAllBytes(path, [.. data]);
        return path;
    }

    /// <summary>
    /// A Philips TIFF slide: <see cref="GenericSlide"/>'s pyramid with the Software tag "Philips DP v1.0" and, as its
    /// ImageDescription, the XML OpenSlide reads (a <c>DPUfsImport</c> DataObject: one WSI scanned image with a pixel
    /// spacing of 0.25 µm and one PixelDataRepresentation per level, then a label and a macro image, each a JPEG in
    /// base64, as Philips scanners put them). OpenSlide reads it as <c>philips</c>, with mpp 0.25 and both images.
    /// </summary>
    public static string PhilipsSlide(string folder, string name = "philips.tiff", int associatedWidth = 120)
    {
        var path = GenericSlide(folder, name);
        var data = new List<byte>(File.ReadAllBytes(path));
        var levels = 0;
        for (var at = U32(data, 4); at != 0; at = U32(data, (int)at + 2 + (12 * U16(data, (int)at))))
        {
            levels++;
        }

        using var thumbnail = VipsOperation.Image("thumbnail", ("filename", Samples.PathOf(Samples.Sunset)), ("width", associatedWidth));
        var jpeg = Convert.ToBase64String(thumbnail.SaveToBuffer("jpegsave_buffer", ("Q", 90)));
        static string Attribute(string name, string value) => $"<Attribute Name=\"{name}\" PMSVR=\"IString\">{value}</Attribute>";
        static string Spacing(double mm) => string.Create(CultureInfo.InvariantCulture, $"&quot;{mm}&quot; &quot;{mm}&quot;");
        var representations = string.Concat(Enumerable.Range(0, levels).Select(level =>
            $"<DataObject ObjectType=\"PixelDataRepresentation\">{Attribute("PIIM_PIXEL_DATA_REPRESENTATION_NUMBER", level.ToString(CultureInfo.InvariantCulture))}{Attribute("DICOM_PIXEL_SPACING", Spacing(0.00025 * (1 << level)))}</DataObject>"));
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\" ?>\n<DataObject ObjectType=\"DPUfsImport\">"
            + Attribute("DICOM_MANUFACTURER", "PHILIPS")
            + Attribute("DICOM_SOFTWARE_VERSIONS", "&quot;1.6.6186&quot;")
            + "<Attribute Name=\"PIM_DP_SCANNED_IMAGES\" PMSVR=\"IDataObjectArray\"><Array>"
            + $"<DataObject ObjectType=\"DPScannedImage\">{Attribute("DICOM_PIXEL_SPACING", Spacing(0.00025))}{Attribute("PIM_DP_IMAGE_TYPE", "WSI")}"
            + $"<Attribute Name=\"PIIM_PIXEL_DATA_REPRESENTATION_SEQUENCE\" PMSVR=\"IDataObjectArray\"><Array>{representations}</Array></Attribute></DataObject>"
            + $"<DataObject ObjectType=\"DPScannedImage\">{Attribute("PIM_DP_IMAGE_TYPE", "LABELIMAGE")}{Attribute("PIM_DP_IMAGE_DATA", jpeg)}</DataObject>"
            + $"<DataObject ObjectType=\"DPScannedImage\">{Attribute("PIM_DP_IMAGE_TYPE", "MACROIMAGE")}{Attribute("PIM_DP_IMAGE_DATA", jpeg)}</DataObject>"
            + "</Array></Attribute></DataObject>\0";

        // The first directory, moved to the end with the description and the software added.
        var first = (long)U32(data, 4);
        var moved = Append(data, Entries(data, first), Encoding.ASCII.GetBytes(xml), U32(data, (int)first + 2 + (12 * U16(data, (int)first))), Encoding.ASCII.GetBytes("Philips DP v1.0\0"));
        Put32(data, 4, moved);
        File.WriteAllBytes(path, [.. data]);
        return path;
    }

    /// <summary>
    /// A Leica SCN slide: <see cref="GenericSlide"/>'s pyramid with, as its ImageDescription, the XML OpenSlide reads
    /// (namespace <c>http://www.leica-microsystems.com/scn/2010/10/01</c>): a collection one pixel wider and taller on
    /// each side than its one brightfield image (objective 20, device "Leica SCN400"), whose dimensions name the
    /// pyramid's directories. OpenSlide reads it as <c>leica</c>, the slide the collection's size.
    /// </summary>
    public static string LeicaSlide(string folder, string name = "leica.scn")
    {
        var path = GenericSlide(folder, name);
        var data = new List<byte>(File.ReadAllBytes(path));
        var dimensions = new StringBuilder();
        var ifd = 0;
        for (var at = U32(data, 4); at != 0; at = U32(data, (int)at + 2 + (12 * U16(data, (int)at))), ifd++)
        {
            var entries = Entries(data, at);
            uint Size(ushort tag) => entries.First(e => e.Tag == tag) is var e && e.Type == 3 ? U16(e.Value, 0) : U32(e.Value, 0);
            dimensions.Append(CultureInfo.InvariantCulture, $"<dimension sizeX=\"{Size(256)}\" sizeY=\"{Size(257)}\" r=\"{ifd}\" ifd=\"{ifd}\"/>");
        }

        // 500 clicks (nm) a pixel at full resolution; the image sits one pixel in from the collection's corner.
        const int Clicks = 500;
        using var thumbnail = VipsImage.LoadFile("tiffload", path);
        long width = thumbnail.Width * (long)Clicks, height = thumbnail.Height * (long)Clicks;
        var xml = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<scn xmlns=\"http://www.leica-microsystems.com/scn/2010/10/01\">"
            + string.Create(CultureInfo.InvariantCulture, $"<collection name=\"tessera\" uuid=\"urn:uuid:00000000-0000-0000-0000-000000000001\" sizeX=\"{width + (2 * Clicks)}\" sizeY=\"{height + (2 * Clicks)}\">")
            + "<barcode>TESSERA-1</barcode><image name=\"main\" uuid=\"urn:uuid:00000000-0000-0000-0000-000000000002\">"
            + "<creationDate>2026-12-07T12:00:00.00Z</creationDate><device model=\"Leica SCN400;Leica SCN\" version=\"1.4.0\"/>"
            + string.Create(CultureInfo.InvariantCulture, $"<pixels sizeX=\"{thumbnail.Width}\" sizeY=\"{thumbnail.Height}\">{dimensions}</pixels>")
            + string.Create(CultureInfo.InvariantCulture, $"<view sizeX=\"{width}\" sizeY=\"{height}\" offsetX=\"{Clicks}\" offsetY=\"{Clicks}\" spacingZ=\"0\"/>")
            + "<scanSettings><objectiveSettings><objective>20</objective></objectiveSettings><illuminationSettings>"
            + "<numericalAperture>0.7</numericalAperture><illuminationSource>brightfield</illuminationSource></illuminationSettings></scanSettings>"
            + "</image></collection></scn>\0";

        var first = (long)U32(data, 4);
        var moved = Append(data, Entries(data, first), Encoding.ASCII.GetBytes(xml), U32(data, (int)first + 2 + (12 * U16(data, (int)first))));
        Put32(data, 4, moved);
        File.WriteAllBytes(path, [.. data]);
        return path;
    }

    private static ushort U16(IReadOnlyList<byte> d, int at) => (ushort)(d[at] | (d[at + 1] << 8));

    private static uint U32(IReadOnlyList<byte> d, long at) => (uint)(d[(int)at] | (d[(int)at + 1] << 8) | (d[(int)at + 2] << 16) | (d[(int)at + 3] << 24));

    private static void Put32(List<byte> d, int at, uint value)
    {
        for (var i = 0; i < 4; i++)
        {
            d[at + i] = (byte)(value >> (8 * i));
        }
    }

    /// <summary>A little-endian classic TIFF directory's entries: tag, type, count, the 4 value bytes.</summary>
    private static List<(ushort Tag, ushort Type, uint Count, byte[] Value)> Entries(IReadOnlyList<byte> d, long at)
    {
        var entries = new List<(ushort, ushort, uint, byte[])>();
        for (var i = 0; i < U16(d, (int)at); i++)
        {
            var e = (int)at + 2 + (12 * i);
            entries.Add((U16(d, e), U16(d, e + 2), U32(d, e + 4), [d[e + 8], d[e + 9], d[e + 10], d[e + 11]]));
        }

        return entries;
    }

    private static int TypeSize(ushort type) => type switch { 3 or 8 => 2, 4 or 9 or 11 => 4, 5 or 10 or 12 or 16 => 8, _ => 1 };

    /// <summary>
    /// The entries of a directory of <paramref name="source"/>, every value and strip it points to copied to the end of
    /// <paramref name="data"/>; with <paramref name="pastTheEnd"/>, the strip offsets point 1.75 GB on, past the file's end.
    /// </summary>
    private static List<(ushort Tag, ushort Type, uint Count, byte[] Value)> Relocated(List<byte> data, byte[] source, List<(ushort Tag, ushort Type, uint Count, byte[] Value)> entries, bool pastTheEnd = false)
    {
        uint[] Values((ushort Tag, ushort Type, uint Count, byte[] Value) e)
        {
            var size = TypeSize(e.Type);
            var at = e.Count * size > 4 ? U32(e.Value, 0) : 0;
            IReadOnlyList<byte> from = e.Count * size > 4 ? source : e.Value;
            return [.. Enumerable.Range(0, (int)e.Count).Select(i => size == 2 ? U16(from, (int)at + (2 * i)) : U32(from, at + (4 * i)))];
        }

        var offsets = Values(entries.First(e => e.Tag == 273));
        var counts = Values(entries.First(e => e.Tag == 279));
        var moved = new List<uint>();
        for (var i = 0; i < offsets.Length; i++)
        {
            moved.Add((uint)data.Count + (pastTheEnd ? 0x7000_0000u : 0));
            data.AddRange(source.AsSpan((int)offsets[i], (int)counts[i]).ToArray());
            Pad(data);
        }

        var result = new List<(ushort, ushort, uint, byte[])>();
        foreach (var e in entries.Where(e => e.Tag is not (270 or 273)))
        {
            var size = e.Count * TypeSize(e.Type);
            if (size <= 4)
            {
                result.Add(e);
                continue;
            }

            var at = (uint)data.Count;
            data.AddRange(source.AsSpan((int)U32(e.Value, 0), (int)size).ToArray());
            Pad(data);
            result.Add((e.Tag, e.Type, e.Count, BitConverter.GetBytes(at)));
        }

        var table = (uint)data.Count;
        foreach (var offset in moved)
        {
            data.AddRange(BitConverter.GetBytes(offset));
        }

        result.Add((273, 4, (uint)moved.Count, moved.Count == 1 ? BitConverter.GetBytes(moved[0]) : BitConverter.GetBytes(table)));
        return result;
    }

    /// <summary>
    /// Writes a directory of <paramref name="entries"/> plus an ImageDescription (and a Software tag when
    /// <paramref name="software"/> is given) at the end of <paramref name="data"/>; its offset.
    /// </summary>
    private static uint Append(List<byte> data, List<(ushort Tag, ushort Type, uint Count, byte[] Value)> entries, byte[] description, uint next, byte[]? software = null)
    {
        (ushort, ushort, uint, byte[]) Text(ushort tag, byte[] bytes)
        {
            var at = (uint)data.Count;
            data.AddRange(bytes);
            Pad(data);
            return (tag, 2, (uint)bytes.Length, bytes.Length <= 4 ? [.. bytes, .. new byte[4 - bytes.Length]] : BitConverter.GetBytes(at));
        }

        var added = new List<(ushort Tag, ushort Type, uint Count, byte[] Value)> { Text(270, description) };
        if (software is not null)
        {
            added.Add(Text(305, software));
        }

        var all = entries.Where(e => !added.Any(a => a.Tag == e.Tag)).Concat(added).OrderBy(e => e.Tag).ToList();
        var at = (uint)data.Count;
        data.AddRange(BitConverter.GetBytes((ushort)all.Count));
        foreach (var (tag, type, count, value) in all)
        {
            data.AddRange(BitConverter.GetBytes(tag));
            data.AddRange(BitConverter.GetBytes(type));
            data.AddRange(BitConverter.GetBytes(count));
            data.AddRange(value);
        }

        data.AddRange(BitConverter.GetBytes(next));
        return at;
    }

    private static void Pad(List<byte> data)
    {
        if (data.Count % 2 == 1)
        {
            data.Add(0);
        }
    }

    /// <summary>A copy of <paramref name="source"/> cut to <paramref name="fraction"/> of its length, as <paramref name="name"/> beside it.</summary>
    public static string Truncated(string source, string name, double fraction = 0.5)
    {
        var bytes = File.ReadAllBytes(source);
        var path = Path.Combine(Path.GetDirectoryName(source)!, name);
        File.WriteAllBytes(path, bytes[..(int)(bytes.Length * fraction)]);
        return path;
    }
}
