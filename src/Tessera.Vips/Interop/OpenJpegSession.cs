using System.Runtime.InteropServices;

namespace Tessera.Vips.Interop;

/// <summary>
/// One use of OpenJPEG on one file: a stream, a codec and the header read from it, then at most one decode. A codec
/// cannot be reused: after opj_decode of a tiled image, opj_set_decode_area refuses ("Need to decode the main header
/// before begin to decode the remaining codestream"; only a single-tile image may decode again), so each region takes
/// a fresh session. Opening one costs about 0.15 ms of CPU (main header only), about 1% of decoding one 512 px tile.
/// </summary>
internal sealed unsafe class OpenJpegSession : IDisposable
{
    private readonly Messages _messages = new();
    private GCHandle _client;
    private OpenJpegStreamHandle? _stream;
    private OpenJpegCodecHandle? _codec;
    private OpenJpegImageHandle? _image;

    private OpenJpegSession()
    {
    }

    /// <summary>The image as its header describes it; after <see cref="Decode"/>, the decoded area with its pixels.</summary>
    private OpenJpegNative.Image* Image => _image!.Image;

    /// <summary>What the main header says.</summary>
    public OpenJpegHeader Header { get; private set; } = null!;

    /// <summary>Opens <paramref name="path"/> and reads its main header.</summary>
    /// <exception cref="Jpeg2000Exception">Not a JPEG 2000 file, or its header is damaged.</exception>
    /// <param name="path">The file.</param>
    /// <param name="threads">OpenJPEG's decoding threads.</param>
    /// <param name="expected">
    /// When given, the version of the file the caller checked: the file is opened once, that open file is compared with
    /// it (a file replaced since, or written, is refused), and OpenJPEG reads that very open file (through
    /// <c>/proc/self/fd</c>), never whatever the path names by then.
    /// </param>
    public static OpenJpegSession Open(string path, int threads, FileStatus? expected = null)
    {
        Microsoft.Win32.SafeHandles.SafeFileHandle? checkedFile = null;
        try
        {
            var reading = path;
            if (expected is { } version)
            {
                checkedFile = NativeFile.TryOpenRead(path, out var error) ?? throw new Jpeg2000Exception($"Could not open {path} for reading ({error})");
                if (!FileStatus.Of(checkedFile).SameVersionAs(version))
                {
                    throw new Jpeg2000Exception($"{path} was replaced or written since it was checked");
                }

                reading = $"/proc/self/fd/{checkedFile.DangerousGetHandle()}";
            }

            var format = SniffFormat(reading, path);
            var session = new OpenJpegSession();
            try
            {
                session.OpenCore(reading, path, format, threads);
                return session;
            }
            catch
            {
                session.Dispose();
                throw;
            }
        }
        finally
        {
            // OpenJPEG opened the file for itself in OpenCore (its own descriptor to the same file).
            checkedFile?.Dispose();
        }
    }

    /// <summary>
    /// Decodes the full-resolution area [x0, x1) × [y0, y1) at 1 / 2^<paramref name="reduction"/> of full size into
    /// <see cref="Image"/>. Any error OpenJPEG reports, or any warning while decoding, fails the call: a damaged
    /// codestream must not become pixels.
    /// </summary>
    /// <exception cref="Jpeg2000Exception">The codestream is damaged or truncated.</exception>
    public void Decode(int reduction, int x0, int y0, int x1, int y1)
    {
        var codec = _codec!.Pointer;
        _messages.Decoding = true;
        if (OpenJpegNative.opj_set_decoded_resolution_factor(codec, (uint)reduction) == 0)
        {
            throw Failure($"OpenJPEG refused reduction {reduction}");
        }

        if (OpenJpegNative.opj_set_decode_area(codec, Image, x0, y0, x1, y1) == 0)
        {
            throw Failure($"OpenJPEG refused the decode area {x0},{y0}-{x1},{y1}");
        }

        if (OpenJpegNative.opj_decode(codec, _stream!.Pointer, Image) == 0 || OpenJpegNative.opj_end_decompress(codec, _stream.Pointer) == 0)
        {
            throw Failure("The JPEG 2000 codestream could not be decoded");
        }

        if (_messages.Any)
        {
            throw Failure("The JPEG 2000 codestream is damaged");
        }
    }

    /// <summary>
    /// Interleaves the decoded components into 8-bit pixels, rows <paramref name="pitch"/> bytes apart, as libvips shows
    /// them: precision above 8 bits shifted down to the top 8 (jp2kload left-justifies to 16 bits, and 16 to 8 bits takes
    /// the high byte), below 8 bits shifted up (jp2kload's left-justify).
    /// </summary>
    public void CopyTo(Span<byte> destination, int pitch)
    {
        var image = Image;
        var bands = (int)image->NumComps;
        var width = (int)image->Comps[0].W;
        var height = (int)image->Comps[0].H;
        var precision = (int)image->Comps[0].Prec;
        int down = Math.Max(0, precision - 8), up = Math.Max(0, 8 - precision);
        var planes = stackalloc int*[bands];
        for (var band = 0; band < bands; band++)
        {
            planes[band] = image->Comps[band].Data;
        }

        fixed (byte* target = destination)
        {
            for (var y = 0; y < height; y++)
            {
                var row = target + ((long)y * pitch);
                var offset = (long)y * width;
                for (var band = 0; band < bands; band++)
                {
                    var source = planes[band] + offset;
                    var q = row + band;
                    for (var x = 0; x < width; x++, q += bands)
                    {
                        *q = (byte)Math.Clamp((source[x] >> down) << up, 0, 255);
                    }
                }
            }
        }
    }

    public void Dispose()
    {
        _image?.Dispose();
        _codec?.Dispose();
        _stream?.Dispose();
        if (_client.IsAllocated)
        {
            _client.Free();
        }
    }

    private void OpenCore(string reading, string path, int format, int threads)
    {
        fixed (byte* name = Utf8.Z(reading))
        {
            _stream = new OpenJpegStreamHandle(OpenJpegNative.opj_stream_create_default_file_stream(name, 1));
        }

        if (_stream.IsInvalid)
        {
            throw new Jpeg2000Exception($"Could not open {path} for reading");
        }

        _codec = new OpenJpegCodecHandle(OpenJpegNative.opj_create_decompress(format));
        if (_codec.IsInvalid)
        {
            throw new Jpeg2000Exception("OpenJPEG could not create a decoder (out of memory)");
        }

        // The messages of this session go to this session's own collector, never to a process-wide buffer.
        _client = GCHandle.Alloc(_messages);
        var client = (void*)GCHandle.ToIntPtr(_client);
        var codec = _codec.Pointer;
        if (OpenJpegNative.opj_set_info_handler(codec, &Ignore, client) == 0
            || OpenJpegNative.opj_set_warning_handler(codec, &OnWarning, client) == 0
            || OpenJpegNative.opj_set_error_handler(codec, &OnError, client) == 0)
        {
            throw new Jpeg2000Exception("OpenJPEG refused the message handlers");
        }

        var parameters = stackalloc byte[OpenJpegNative.DecoderParametersSize];
        new Span<byte>(parameters, OpenJpegNative.DecoderParametersSize).Clear();
        OpenJpegNative.opj_set_default_decoder_parameters(parameters);
        if (OpenJpegNative.opj_setup_decoder(codec, parameters) == 0)
        {
            throw Failure("OpenJPEG could not set up the decoder");
        }

        if (OpenJpegNative.opj_decoder_set_strict_mode(codec, 1) == 0)
        {
            throw Failure("OpenJPEG refused strict mode");
        }

        // Without a thread count OpenJPEG decodes on the calling thread; with one, it starts a pool of its own per codec.
        if (threads > 1 && OpenJpegNative.opj_codec_set_threads(codec, threads) == 0)
        {
            throw Failure($"OpenJPEG refused {threads} threads");
        }

        OpenJpegNative.Image* image = null;
        var read = OpenJpegNative.opj_read_header(_stream.Pointer, codec, &image);
        if (image != null)
        {
            _image = new OpenJpegImageHandle(image);
        }

        if (read == 0 || image == null || _messages.HasErrors)
        {
            throw Failure("Not a readable JPEG 2000 header");
        }

        int resolutions = 0, tileWidth = 0, tileHeight = 0, across = 0, down = 0;
        var info = OpenJpegNative.opj_get_cstr_info(codec);
        if (info != null)
        {
            tileWidth = (int)info->Tdx;
            tileHeight = (int)info->Tdy;
            across = (int)info->Tw;
            down = (int)info->Th;
            resolutions = info->TccpInfo == null ? 0 : (int)info->TccpInfo->NumResolutions;
            OpenJpegNative.opj_destroy_cstr_info(&info);
        }

        var components = new OpenJpegComponent[image->NumComps];
        for (var i = 0; i < components.Length; i++)
        {
            var component = image->Comps[i];
            components[i] = new OpenJpegComponent((int)component.Dx, (int)component.Dy, (int)component.Prec, component.Sgnd != 0);
        }

        var icc = image->IccProfileBuf != null && image->IccProfileLen > 0
            ? new ReadOnlySpan<byte>(image->IccProfileBuf, checked((int)image->IccProfileLen)).ToArray()
            : null;
        Header = new OpenJpegHeader(
            (int)image->X0, (int)image->Y0, checked((int)(image->X1 - image->X0)), checked((int)(image->Y1 - image->Y0)),
            components, image->ColorSpace, icc, resolutions, tileWidth, tileHeight, across, down);
    }

    /// <summary>
    /// Checks that the decode gave every component <paramref name="width"/> × <paramref name="height"/> samples at
    /// the header's precision (a codestream may contradict its own header).
    /// </summary>
    /// <exception cref="Jpeg2000Exception">It did not.</exception>
    public void CheckDecoded(int width, int height)
    {
        var image = Image;
        if (image->NumComps != Header.Components.Count)
        {
            throw new Jpeg2000Exception($"OpenJPEG decoded {image->NumComps} components where the header has {Header.Components.Count}");
        }

        for (var i = 0; i < image->NumComps; i++)
        {
            var component = image->Comps[i];
            if (component.Data == null || component.W != width || component.H != height || component.Prec != Header.Components[i].Precision || component.Dx != 1 || component.Dy != 1)
            {
                throw new Jpeg2000Exception($"OpenJPEG decoded component {i} as {component.W}x{component.H} of {component.Prec} bits where {width}x{height} of {Header.Components[i].Precision} bits was asked for");
            }
        }
    }

    private Jpeg2000Exception Failure(string message)
    {
        var native = _messages.Text();
        return new Jpeg2000Exception(native.Length == 0 ? message : $"{message}: {native}");
    }

    /// <summary>OPJ_CODEC_JP2 or OPJ_CODEC_J2K from the first bytes, as jp2kload decides.</summary>
    private static int SniffFormat(string reading, string path)
    {
        Span<byte> head = stackalloc byte[12];
        int length;
        try
        {
            using var file = File.OpenHandle(reading);
            length = RandomAccess.Read(file, head, 0);
        }
        catch (IOException e)
        {
            throw new Jpeg2000Exception($"Could not read {path}: {e.Message}", e);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new Jpeg2000Exception($"Could not read {path}: {e.Message}", e);
        }

        head = head[..length];
        // The JP2 signature box (RFC 3745) or, in old files, its last four bytes; a J2K codestream starts SOC SIZ.
        if (head.SequenceEqual((ReadOnlySpan<byte>)[0, 0, 0, 0x0C, 0x6A, 0x50, 0x20, 0x20, 0x0D, 0x0A, 0x87, 0x0A]) || head.StartsWith((ReadOnlySpan<byte>)[0x0D, 0x0A, 0x87, 0x0A]))
        {
            return OpenJpegNative.CodecJp2;
        }

        if (head.StartsWith((ReadOnlySpan<byte>)[0xFF, 0x4F, 0xFF, 0x51]))
        {
            return OpenJpegNative.CodecJ2k;
        }

        throw new Jpeg2000Exception($"Expected a JP2 file or J2K codestream in {path} but its first bytes are {Convert.ToHexString(head)}");
    }

    [UnmanagedCallersOnly]
    private static void Ignore(byte* message, void* client)
    {
    }

    [UnmanagedCallersOnly]
    private static void OnWarning(byte* message, void* client) => Collect(message, client, error: false);

    [UnmanagedCallersOnly]
    private static void OnError(byte* message, void* client) => Collect(message, client, error: true);

    private static void Collect(byte* message, void* client, bool error)
    {
        try
        {
            if (GCHandle.FromIntPtr((nint)client).Target is Messages messages)
            {
                messages.Add(Utf8.FromNative((nint)message)?.Trim() ?? string.Empty, error);
            }
        }
        catch (Exception)
        {
            // Nothing may cross back into native code; a lost message still leaves the call's return value.
        }
    }

    /// <summary>What OpenJPEG said during one session (with codec threads, possibly from several threads).</summary>
    private sealed class Messages
    {
        private readonly List<string> _lines = [];
        private bool _errors;
        private bool _decodingWarnings;

        /// <summary>Set once the header is read: warnings from then on are about pixels, and fail the decode.</summary>
        public bool Decoding { get; set; }

        public bool HasErrors
        {
            get
            {
                lock (_lines)
                {
                    return _errors;
                }
            }
        }

        public bool Any
        {
            get
            {
                lock (_lines)
                {
                    return _errors || _decodingWarnings;
                }
            }
        }

        public void Add(string line, bool error)
        {
            lock (_lines)
            {
                _errors |= error;
                _decodingWarnings |= !error && Decoding;
                if (_lines.Count < 8)
                {
                    _lines.Add(line);
                }
            }
        }

        public string Text()
        {
            lock (_lines)
            {
                return string.Join("; ", _lines);
            }
        }
    }
}
