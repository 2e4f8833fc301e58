using System.Runtime.InteropServices;

namespace Tessera.Vips.Interop;

/// <summary>
/// The decoding half of OpenJPEG 2.5 (Debian's <c>libopenjp2-7</c>, the same library libvips' <c>jp2kload</c> uses),
/// called directly. Struct layouts are those of <c>openjpeg.h</c> 2.5 on x86-64/arm64 (checked with offsetof against
/// the 2.5.0 header: opj_image_comp_t 64 bytes, data at 48; opj_image_t 48 bytes, comps at 24; opj_dparameters_t
/// 8252 bytes).
/// </summary>
internal static unsafe partial class OpenJpegNative
{
    public const string Library = "libopenjp2.so.7";

    /// <summary>OPJ_CODEC_J2K: a raw codestream.</summary>
    public const int CodecJ2k = 0;

    /// <summary>OPJ_CODEC_JP2: a JP2 file (boxes around a codestream).</summary>
    public const int CodecJp2 = 2;

    /// <summary>sizeof(opj_dparameters_t) in 2.5 is 8252; a little room is left in case of padding differences.</summary>
    public const int DecoderParametersSize = 8448;

    /// <summary>OPJ_J2K_STREAM_CHUNK_SIZE: the buffer OpenJPEG reads through (1 MiB, its own default).</summary>
    public const nuint StreamChunkSize = 0x100000;

    public const int ColourUnknown = -1;
    public const int ColourUnspecified = 0;
    public const int ColourSrgb = 1;
    public const int ColourGrey = 2;
    public const int ColourSycc = 3;
    public const int ColourEycc = 4;
    public const int ColourCmyk = 5;

    /// <summary>opj_image_comp_t.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct ImageComponent
    {
        public uint Dx;
        public uint Dy;
        public uint W;
        public uint H;
        public uint X0;
        public uint Y0;
        public uint Prec;
        public uint Bpp;
        public uint Sgnd;
        public uint ResnoDecoded;
        public uint Factor;
        public int* Data;
        public ushort Alpha;
    }

    /// <summary>opj_image_t.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct Image
    {
        public uint X0;
        public uint Y0;
        public uint X1;
        public uint Y1;
        public uint NumComps;
        public int ColorSpace;
        public ImageComponent* Comps;
        public byte* IccProfileBuf;
        public uint IccProfileLen;
    }

    /// <summary>
    /// The head of opj_codestream_info_v2_t: tile grid and the default tile's coding parameters. Offsets are explicit:
    /// m_default_tile_info (an opj_tile_info_v2_t, 8-byte aligned for its pointer) starts at 32, after 4 bytes of padding.
    /// </summary>
    [StructLayout(LayoutKind.Explicit, Size = 72)]
    public struct CodestreamInfo
    {
        [FieldOffset(0)]
        public uint Tx0;
        [FieldOffset(4)]
        public uint Ty0;
        [FieldOffset(8)]
        public uint Tdx;
        [FieldOffset(12)]
        public uint Tdy;
        [FieldOffset(16)]
        public uint Tw;
        [FieldOffset(20)]
        public uint Th;
        [FieldOffset(24)]
        public uint NbComps;

        // m_default_tile_info: tileno, csty, prg, numlayers, mct, then tccp_info.
        [FieldOffset(32)]
        public int TileNo;
        [FieldOffset(44)]
        public uint NumLayers;
        [FieldOffset(56)]
        public TileComponentInfo* TccpInfo;
        [FieldOffset(64)]
        public void* TileInfo;
    }

    /// <summary>The head of opj_tccp_info_t (the rest, step sizes and precinct sizes, is not read).</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct TileComponentInfo
    {
        public uint CompNo;
        public uint Csty;
        public uint NumResolutions;
        public uint CblkW;
        public uint CblkH;
    }

    [LibraryImport(Library)]
    public static partial byte* opj_version();

    [LibraryImport(Library)]
    public static partial nint opj_stream_create_default_file_stream(byte* path, int isReadStream);

    [LibraryImport(Library)]
    public static partial void opj_stream_destroy(nint stream);

    [LibraryImport(Library)]
    public static partial nint opj_create_decompress(int format);

    [LibraryImport(Library)]
    public static partial void opj_destroy_codec(nint codec);

    [LibraryImport(Library)]
    public static partial int opj_set_info_handler(nint codec, delegate* unmanaged<byte*, void*, void> handler, void* client);

    [LibraryImport(Library)]
    public static partial int opj_set_warning_handler(nint codec, delegate* unmanaged<byte*, void*, void> handler, void* client);

    [LibraryImport(Library)]
    public static partial int opj_set_error_handler(nint codec, delegate* unmanaged<byte*, void*, void> handler, void* client);

    [LibraryImport(Library)]
    public static partial void opj_set_default_decoder_parameters(void* parameters);

    [LibraryImport(Library)]
    public static partial int opj_setup_decoder(nint codec, void* parameters);

    /// <summary>Since 2.5.0: a truncated codestream is an error instead of a partial image.</summary>
    [LibraryImport(Library)]
    public static partial int opj_decoder_set_strict_mode(nint codec, int strict);

    [LibraryImport(Library)]
    public static partial int opj_codec_set_threads(nint codec, int threads);

    [LibraryImport(Library)]
    public static partial int opj_read_header(nint stream, nint codec, Image** image);

    [LibraryImport(Library)]
    public static partial int opj_set_decoded_resolution_factor(nint codec, uint factor);

    [LibraryImport(Library)]
    public static partial int opj_set_decode_area(nint codec, Image* image, int x0, int y0, int x1, int y1);

    [LibraryImport(Library)]
    public static partial int opj_decode(nint codec, nint stream, Image* image);

    [LibraryImport(Library)]
    public static partial int opj_end_decompress(nint codec, nint stream);

    [LibraryImport(Library)]
    public static partial void opj_image_destroy(Image* image);

    [LibraryImport(Library)]
    public static partial CodestreamInfo* opj_get_cstr_info(nint codec);

    [LibraryImport(Library)]
    public static partial void opj_destroy_cstr_info(CodestreamInfo** info);
}
