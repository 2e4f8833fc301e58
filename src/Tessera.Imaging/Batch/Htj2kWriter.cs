using System.Buffers.Binary;
using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using Tessera.Vips;

namespace Tessera.Imaging.Batch;

/// <summary>
/// Writes an HTJ2K (JPEG 2000 Part 15, High-Throughput) master: a <c>.jph</c> file whose codestream is tiled and holds
/// resolution levels down to one that fits in a tile, reversible (lossless, 5/3 wavelet) at quality 100 and
/// irreversible (9/7) below it.
/// <para>
/// The codestream comes from OpenJPH's <c>ojph_compress</c> (Debian's <c>openjph-tools</c>), run as a process on a
/// PPM/PGM that libvips streams out: OpenJPH has no C API (C++ only, which P/Invoke cannot call), encodes line by line
/// in bounded memory, and was the fastest of the three encoders measured (docs/performance.md). Grok's C API was the
/// alternative, but <c>grk_compress</c> takes the whole image as 32-bit planes (4 bytes a sample in memory, which a
/// gigapixel master cannot afford) through a parameter struct of some hundred fields mirrored by hand. OpenJPH 0.9
/// writes a bare codestream whatever the file name, so the JPH boxes (signature, <c>ftyp</c> brand <c>jph </c>,
/// <c>jp2h</c> with <c>ihdr</c> and <c>colr</c>, <c>jp2c</c>) are written here around it, as ISO/IEC 15444-15 Annex D
/// describes; OpenJPEG and libvips read the result as any JP2.
/// </para>
/// </summary>
public static class Htj2kWriter
{
    /// <summary>The OpenJPH encoder, looked up on <c>PATH</c>.</summary>
    public const string Encoder = "ojph_compress";

    /// <summary>
    /// The quantisation step OpenJPH uses for a JPEG-like quality: 90 gives 0.01 (45 dB PSNR on the benchmark's
    /// photograph, about the size of a JPEG at Q90), each 15 below doubles it, at most OpenJPH's 0.5. Null at 100:
    /// reversible.
    /// </summary>
    public static double? QuantisationStep(int quality) =>
        quality >= 100 ? null : Math.Min(0.5, 0.01 * Math.Pow(2, (90 - quality) / 15.0));

    /// <summary>Resolution levels below the full image: the fewest after which the image fits in one tile.</summary>
    public static int Decompositions(int width, int height, int tileSize)
    {
        var levels = 0;
        while (((long)Math.Max(width, height) >> levels) > tileSize && levels < 32)
        {
            levels++;
        }

        return Math.Max(1, levels);
    }

    /// <summary>
    /// Writes <paramref name="image"/> (8-bit grey or sRGB, no alpha: see <see cref="Prepare"/>) to
    /// <paramref name="destination"/>; <paramref name="icc"/> is carried in the <c>colr</c> box when given.
    /// </summary>
    /// <exception cref="IOException">The encoder is missing or failed (its message is inside).</exception>
    public static void Write(VipsImage image, string destination, int tileSize, int quality, byte[]? icc = null)
    {
        var grey = image.Bands == 1;
        var pixels = destination + (grey ? ".pgm" : ".ppm");
        var codestream = destination + ".j2c";
        try
        {
            image.SaveToFile("ppmsave", pixels, ("strip", true));
            var arguments = new List<string>
            {
                "-i", pixels, "-o", codestream,
                "-tile_size", $"{{{tileSize},{tileSize}}}",
                "-num_decomps", Decompositions(image.Width, image.Height, tileSize).ToString(CultureInfo.InvariantCulture),
                "-colour_trans", grey ? "false" : "true",
            };
            if (QuantisationStep(quality) is { } step)
            {
                arguments.AddRange(["-reversible", "false", "-qstep", step.ToString("0.######", CultureInfo.InvariantCulture)]);
            }
            else
            {
                arguments.AddRange(["-reversible", "true"]);
            }

            Run(arguments);
            File.Delete(pixels);
            Box(codestream, destination, image.Width, image.Height, image.Bands, icc);
        }
        finally
        {
            File.Delete(pixels);
            File.Delete(codestream);
        }
    }

    /// <summary>
    /// The image as HTJ2K here takes it: 8-bit grey or RGB without alpha. CMYK becomes sRGB; alpha is flattened onto
    /// white (JPH's alpha needs a channel definition box OpenJPH's input cannot carry).
    /// </summary>
    public static VipsImage Prepare(VipsImage image)
    {
        using var colour = image.Interpretation == Interpretation.Cmyk ? image.Colourspace("srgb") : image.Share();
        using var opaque = colour.HasAlpha ? colour.Call("flatten", ("background", new double[] { 255 })) : colour.Share();
        return opaque.Format == BandFormat.UChar ? opaque.Share() : opaque.Cast(BandFormat.UChar);
    }

    private static void Run(List<string> arguments)
    {
        var start = new ProcessStartInfo(Encoder) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new IOException($"Could not start {Encoder}");
        }
        catch (Win32Exception e)
        {
            throw new IOException($"HTJ2K output needs OpenJPH's {Encoder} on PATH (Debian: apt-get install openjph-tools): {e.Message}", e);
        }

        using (process)
        {
            var output = process.StandardOutput.ReadToEndAsync();
            var errors = process.StandardError.ReadToEnd();
            process.WaitForExit();
            _ = output.Result;
            if (process.ExitCode != 0)
            {
                throw new IOException($"{Encoder} failed (exit code {process.ExitCode}): {errors.Trim()}");
            }
        }
    }

    /// <summary>The JPH file: signature, file type, header (image size, colour) and the codestream, streamed.</summary>
    private static void Box(string codestream, string destination, int width, int height, int bands, byte[]? icc)
    {
        using var output = new FileStream(destination, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16);
        Write(output, "jP  ", [0x0D, 0x0A, 0x87, 0x0A]);
        Write(output, "ftyp", [.. "jph "u8, 0, 0, 0, 0, .. "jph "u8]);

        var ihdr = new byte[14];
        BinaryPrimitives.WriteUInt32BigEndian(ihdr, (uint)height);
        BinaryPrimitives.WriteUInt32BigEndian(ihdr.AsSpan(4), (uint)width);
        BinaryPrimitives.WriteUInt16BigEndian(ihdr.AsSpan(8), (ushort)bands);
        ihdr[10] = 7; // 8 bits, unsigned (bit depth minus one)
        ihdr[11] = 7; // compression type: JPEG 2000
        byte[] colr = icc is { Length: > 0 }
            ? [2, 0, 0, .. icc]
            : [1, 0, 0, 0, 0, 0, bands == 1 ? (byte)17 : (byte)16]; // enumerated: 16 sRGB, 17 greyscale
        using (var header = new MemoryStream())
        {
            Write(header, "ihdr", ihdr);
            Write(header, "colr", colr);
            Write(output, "jp2h", header.ToArray());
        }

        using var input = new FileStream(codestream, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        var length = input.Length + 8;
        Span<byte> head = stackalloc byte[16];
        if (length <= uint.MaxValue)
        {
            BinaryPrimitives.WriteUInt32BigEndian(head, (uint)length);
            "jp2c"u8.CopyTo(head[4..]);
            output.Write(head[..8]);
        }
        else
        {
            // XLBox: length 1, then the 8-byte length of the whole box.
            BinaryPrimitives.WriteUInt32BigEndian(head, 1);
            "jp2c"u8.CopyTo(head[4..]);
            BinaryPrimitives.WriteUInt64BigEndian(head[8..], (ulong)(input.Length + 16));
            output.Write(head);
        }

        input.CopyTo(output);
    }

    private static void Write(Stream stream, string type, ReadOnlySpan<byte> payload)
    {
        Span<byte> head = stackalloc byte[8];
        BinaryPrimitives.WriteUInt32BigEndian(head, (uint)(payload.Length + 8));
        System.Text.Encoding.ASCII.GetBytes(type, head[4..]);
        stream.Write(head);
        stream.Write(payload);
    }
}
