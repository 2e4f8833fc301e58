using System.Buffers.Binary;

namespace Tessera.Imaging.Jpeg;

/// <summary>
/// Crops a baseline JPEG to fewer MCU columns and rows without a DCT: Huffman-decodes the quantised coefficients of
/// the MCUs kept, then Huffman-encodes them again with the stream's own tables. Needed at the right edge of a TIFF,
/// where a narrower frame width changes how many MCUs a decoder expects per row, so the stored rows would be misread.
/// Pixels are unchanged: the coefficients are the same, only the DC predictions across the cut are recomputed.
/// </summary>
internal static class JpegEntropyCropper
{
    /// <summary>
    /// Re-encodes <paramref name="jpeg"/> (whose frame header already holds the cropped size) from the stored
    /// <paramref name="storedWidth"/> x <paramref name="storedHeight"/> MCU layout to the cropped one.
    /// </summary>
    public static bool TryCrop(ReadOnlySpan<byte> jpeg, int storedWidth, int storedHeight, out byte[] cropped, out string reason)
    {
        cropped = [];
        var dc = new HuffmanTable?[4];
        var ac = new HuffmanTable?[4];
        int sof = -1;
        int sos = -1;
        if (jpeg.Length < 2 || jpeg[0] != 0xFF || jpeg[1] != JpegMarkers.Soi)
        {
            reason = "the stream does not start with SOI.";
            return false;
        }

        // Offsets below count from the stream's start; the walk starts after SOI.
        var segments = new JpegSegmentReader(jpeg[2..]);
        while (sos < 0 && segments.MoveNext())
        {
            var segment = segments.Current;
            var payload = segment.Payload;
            switch (segment.Marker)
            {
                case JpegMarkers.Dht:
                    if (!HuffmanTable.TryParseAll(payload, dc, ac))
                    {
                        reason = "a Huffman table is malformed.";
                        return false;
                    }

                    break;
                case JpegMarkers.Dri when payload.Length < 2 || BinaryPrimitives.ReadUInt16BigEndian(payload) != 0:
                    reason = "restart intervals are not re-encoded.";
                    return false;
                case JpegMarkers.Sof0 or JpegMarkers.Sof1:
                    sof = 2 + segment.Offset;
                    break;
                case JpegMarkers.Sos:
                    sos = 2 + segment.Offset;
                    break;
            }
        }

        if (sos < 0)
        {
            reason = segments.Error ?? "the stream ends before its scan.";
            return false;
        }

        if (sof < 0 || BinaryPrimitives.ReadUInt16BigEndian(jpeg[(sof + 2)..]) < 8)
        {
            reason = "the stream has no baseline or extended frame header before its scan.";
            return false;
        }

        ReadOnlySpan<byte> frame = jpeg[(sof + 4)..];
        int height = BinaryPrimitives.ReadUInt16BigEndian(frame[1..]);
        int width = BinaryPrimitives.ReadUInt16BigEndian(frame[3..]);
        int componentCount = frame[5];
        ReadOnlySpan<byte> scan = jpeg[(sos + 4)..];
        if (scan[0] != componentCount)
        {
            reason = "only single interleaved scans are re-encoded.";
            return false;
        }

        var components = new Component[componentCount];
        int maxH = 1, maxV = 1;
        for (int c = 0; c < componentCount; c++)
        {
            byte id = frame[6 + (3 * c)];
            int h = frame[7 + (3 * c)] >> 4;
            int v = frame[7 + (3 * c)] & 15;
            int tables = scan[2 + (2 * c)];
            if (scan[1 + (2 * c)] != id || h is < 1 or > 4 || v is < 1 or > 4)
            {
                reason = "the scan's components do not match the frame's.";
                return false;
            }

            HuffmanTable? dcTable = dc[(tables >> 4) & 3];
            HuffmanTable? acTable = ac[tables & 3];
            if (dcTable is null || acTable is null)
            {
                reason = "the scan refers to a Huffman table that is not defined.";
                return false;
            }

            components[c] = new Component(componentCount == 1 ? 1 : h, componentCount == 1 ? 1 : v, dcTable, acTable);
            maxH = Math.Max(maxH, components[c].H);
            maxV = Math.Max(maxV, components[c].V);
        }

        int mcuWidth = 8 * maxH, mcuHeight = 8 * maxV;
        int storedAcross = (storedWidth + mcuWidth - 1) / mcuWidth;
        int keptAcross = (width + mcuWidth - 1) / mcuWidth;
        int keptDown = (height + mcuHeight - 1) / mcuHeight;
        if (keptDown > (storedHeight + mcuHeight - 1) / mcuHeight || keptAcross > storedAcross)
        {
            reason = "the crop is larger than the stored frame.";
            return false;
        }

        int scanEnd = sos + 2 + BinaryPrimitives.ReadUInt16BigEndian(jpeg[(sos + 2)..]);
        var reader = new BitReader(jpeg[scanEnd..]);
        var writer = new BitWriter(jpeg.Length);
        var readPrediction = new int[componentCount];
        var writePrediction = new int[componentCount];
        Span<int> block = new int[64];
        try
        {
            for (int row = 0; row < keptDown; row++)
            {
                for (int col = 0; col < storedAcross; col++)
                {
                    bool keep = col < keptAcross;
                    for (int c = 0; c < componentCount; c++)
                    {
                        Component component = components[c];
                        for (int b = 0; b < component.H * component.V; b++)
                        {
                            if (!keep)
                            {
                                DecodeBlock(ref reader, component, ref readPrediction[c], []);
                                continue;
                            }

                            DecodeBlock(ref reader, component, ref readPrediction[c], block);
                            if (!EncodeBlock(writer, component, ref writePrediction[c], block))
                            {
                                reason = "the stream's Huffman tables lack a code the cropped data needs.";
                                return false;
                            }
                        }
                    }
                }
            }
        }
        catch (InvalidDataException e)
        {
            reason = e.Message;
            return false;
        }

        byte[] entropy = writer.Finish();
        cropped = new byte[scanEnd + entropy.Length + 2];
        jpeg[..scanEnd].CopyTo(cropped);
        entropy.CopyTo(cropped.AsSpan(scanEnd));
        cropped[^2] = 0xFF;
        cropped[^1] = 0xD9;
        reason = string.Empty;
        return true;
    }

    /// <summary>
    /// Decodes one block into <paramref name="block"/>; with an empty <paramref name="block"/> only walks past it (a
    /// dropped block: its DC difference still moves the predictor, its coefficients are not kept).
    /// </summary>
    private static void DecodeBlock(ref BitReader reader, Component component, ref int prediction, Span<int> block)
    {
        var keep = !block.IsEmpty;
        block.Clear();
        int size = component.Dc.Decode(ref reader);
        if (size > 16)
        {
            throw new InvalidDataException($"a DC difference of {size} bits is out of range.");
        }

        prediction += Extend(reader.ReadBits(size), size);
        if (keep)
        {
            block[0] = prediction;
        }

        for (int k = 1; k < 64;)
        {
            int symbol = component.Ac.Decode(ref reader);
            int run = symbol >> 4, bits = symbol & 15;
            if (bits == 0)
            {
                if (run != 15)
                {
                    break; // end of block
                }

                k += 16;
                continue;
            }

            k += run;
            if (k > 63)
            {
                throw new InvalidDataException("a block has more than 64 coefficients.");
            }

            int value = reader.ReadBits(bits);
            if (keep)
            {
                block[k] = Extend(value, bits);
            }

            k++;
        }
    }

    private static bool EncodeBlock(BitWriter writer, Component component, ref int prediction, ReadOnlySpan<int> block)
    {
        int diff = block[0] - prediction;
        prediction = block[0];
        int size = Category(diff);
        if (!component.Dc.TryEncode(writer, size))
        {
            return false;
        }

        writer.Write(Magnitude(diff, size), size);
        int run = 0;
        for (int k = 1; k < 64; k++)
        {
            int value = block[k];
            if (value == 0)
            {
                run++;
                continue;
            }

            for (; run > 15; run -= 16)
            {
                if (!component.Ac.TryEncode(writer, 0xF0))
                {
                    return false;
                }
            }

            size = Category(value);
            if (!component.Ac.TryEncode(writer, (run << 4) | size))
            {
                return false;
            }

            writer.Write(Magnitude(value, size), size);
            run = 0;
        }

        return run == 0 || component.Ac.TryEncode(writer, 0x00);
    }

    private static int Extend(int bits, int size) => size == 0 ? 0 : bits < (1 << (size - 1)) ? bits - (1 << size) + 1 : bits;

    private static int Category(int value) => 64 - (int)long.LeadingZeroCount(Math.Abs((long)value));

    private static int Magnitude(int value, int size) => value >= 0 ? value : value + (1 << size) - 1;

    private readonly record struct Component(int H, int V, HuffmanTable Dc, HuffmanTable Ac);

    /// <summary>One DHT table, for decoding (JPEG spec F.2.2.3) and encoding (C.2).</summary>
    private sealed class HuffmanTable
    {
        private readonly int[] _maxCode = new int[18];
        private readonly int[] _valueOffset = new int[18];
        private readonly byte[] _values;
        private readonly int[] _code = new int[256];
        private readonly int[] _codeLength = new int[256];

        // Entry for each 9-bit prefix: (code length << 8) | symbol, or 0 when the code is longer than 9 bits.
        private const int LookupBits = 9;
        private readonly int[] _lookup = new int[1 << LookupBits];

        private HuffmanTable(ReadOnlySpan<byte> counts, ReadOnlySpan<byte> values)
        {
            _values = values.ToArray();
            int code = 0, k = 0;
            for (int length = 1; length <= 16; length++)
            {
                _valueOffset[length] = k - code;
                for (int i = 0; i < counts[length - 1]; i++, k++)
                {
                    _code[values[k]] = code++;
                    _codeLength[values[k]] = length;
                }

                _maxCode[length] = counts[length - 1] == 0 ? -1 : code - 1;
                code <<= 1;
            }

            _maxCode[17] = int.MaxValue;
            for (int symbol = 0; symbol < 256; symbol++)
            {
                int length = _codeLength[symbol];
                if (length is > 0 and <= LookupBits)
                {
                    int first = _code[symbol] << (LookupBits - length);
                    for (int fill = 0; fill < 1 << (LookupBits - length); fill++)
                    {
                        _lookup[first + fill] = (length << 8) | symbol;
                    }
                }
            }
        }

        public static bool TryParseAll(ReadOnlySpan<byte> payload, HuffmanTable?[] dc, HuffmanTable?[] ac)
        {
            while (payload.Length >= 17)
            {
                int tableClass = payload[0] >> 4, id = payload[0] & 15;
                ReadOnlySpan<byte> counts = payload.Slice(1, 16);
                int total = 0;
                foreach (byte n in counts)
                {
                    total += n;
                }

                if (tableClass > 1 || id > 3 || total > 256 || payload.Length < 17 + total)
                {
                    return false;
                }

                var table = new HuffmanTable(counts, payload.Slice(17, total));
                (tableClass == 0 ? dc : ac)[id] = table;
                payload = payload[(17 + total)..];
            }

            return payload.IsEmpty;
        }

        public int Decode(ref BitReader reader)
        {
            // Most codes are short: one table look-up on the next 9 bits, else the canonical walk (F.2.2.3) from 10.
            int peek = reader.Peek(LookupBits);
            int entry = _lookup[peek];
            if (entry != 0)
            {
                reader.Skip(entry >> 8);
                return entry & 0xFF;
            }

            for (int length = LookupBits + 1; length <= 16; length++)
            {
                int code = reader.Peek(length);
                if (code <= _maxCode[length])
                {
                    reader.Skip(length);
                    int index = code + _valueOffset[length];
                    return index >= 0 && index < _values.Length ? _values[index] : throw new InvalidDataException("a Huffman code is not in its table.");
                }
            }

            throw new InvalidDataException("a Huffman code is longer than 16 bits.");
        }

        public bool TryEncode(BitWriter writer, int symbol)
        {
            if (_codeLength[symbol] == 0)
            {
                return false;
            }

            writer.Write(_code[symbol], _codeLength[symbol]);
            return true;
        }
    }

    /// <summary>
    /// Reads entropy-coded bits, removing stuffed zero bytes; a marker ends the data. Bits sit left-aligned in a 64-bit
    /// window refilled a byte at a time; past the end it is fed zeros, and consuming any of those is an error.
    /// </summary>
    private ref struct BitReader(ReadOnlySpan<byte> data)
    {
        private readonly ReadOnlySpan<byte> _data = data;
        private int _position;
        private ulong _window;
        private int _count;
        private int _padding;

        public int Peek(int n)
        {
            if (_count < n)
            {
                Fill();
            }

            return (int)(_window >> (64 - n));
        }

        public void Skip(int n)
        {
            _window <<= n;
            _count -= n;
            if (_count < _padding)
            {
                throw new InvalidDataException("the scan ends before all its MCUs.");
            }
        }

        public int ReadBits(int n)
        {
            if (n == 0)
            {
                return 0;
            }

            int value = Peek(n);
            Skip(n);
            return value;
        }

        private void Fill()
        {
            while (_count <= 56)
            {
                ulong next = 0;
                if (_position < _data.Length && !(_data[_position] == 0xFF && (_position + 1 >= _data.Length || _data[_position + 1] != 0)))
                {
                    next = _data[_position];
                    _position += next == 0xFF ? 2 : 1;
                }
                else
                {
                    _padding += 8;
                }

                _window |= next << (56 - _count);
                _count += 8;
            }
        }
    }

    /// <summary>Writes entropy-coded bits with 0xFF byte stuffing, padding the last byte with ones.</summary>
    private sealed class BitWriter(int capacity)
    {
        private byte[] _output = new byte[Math.Max(64, capacity)];
        private int _length;
        private ulong _buffer;
        private int _count;

        public void Write(int bits, int n)
        {
            if (n == 0)
            {
                return;
            }

            _buffer = (_buffer << n) | ((ulong)bits & ((1UL << n) - 1));
            _count += n;
            while (_count >= 8)
            {
                _count -= 8;
                Put((byte)(_buffer >> _count));
            }
        }

        public byte[] Finish()
        {
            if (_count != 0)
            {
                Write((1 << (8 - _count)) - 1, 8 - _count);
            }

            return _output.AsSpan(0, _length).ToArray();
        }

        private void Put(byte value)
        {
            if (_length + 2 > _output.Length)
            {
                Array.Resize(ref _output, _output.Length * 2);
            }

            _output[_length++] = value;
            if (value == 0xFF)
            {
                _output[_length++] = 0;
            }
        }
    }
}
