using System.Buffers.Binary;

namespace Tessera.Imaging.Tiff;

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
        int at = 2;
        int sof = -1;
        int sos = -1;
        while (sos < 0)
        {
            if (at + 4 > jpeg.Length || jpeg[at] != 0xFF)
            {
                reason = "the stream ends before its scan.";
                return false;
            }

            byte marker = jpeg[at + 1];
            int length = BinaryPrimitives.ReadUInt16BigEndian(jpeg[(at + 2)..]);
            ReadOnlySpan<byte> payload = jpeg.Slice(at + 4, length - 2);
            switch (marker)
            {
                case 0xC4:
                    if (!HuffmanTable.TryParseAll(payload, dc, ac))
                    {
                        reason = "a Huffman table is malformed.";
                        return false;
                    }

                    break;
                case 0xDD when BinaryPrimitives.ReadUInt16BigEndian(payload) != 0:
                    reason = "restart intervals are not re-encoded.";
                    return false;
                case 0xC0 or 0xC1:
                    sof = at;
                    break;
                case 0xDA:
                    sos = at;
                    break;
            }

            at += 2 + length;
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
                            DecodeBlock(ref reader, component, ref readPrediction[c], block);
                            if (keep && !EncodeBlock(writer, component, ref writePrediction[c], block))
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

    private static void DecodeBlock(ref BitReader reader, Component component, ref int prediction, Span<int> block)
    {
        block.Clear();
        int size = component.Dc.Decode(ref reader);
        if (size > 16)
        {
            throw new InvalidDataException($"a DC difference of {size} bits is out of range.");
        }

        prediction += Extend(reader.ReadBits(size), size);
        block[0] = prediction;
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

            block[k++] = Extend(reader.ReadBits(bits), bits);
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
            int code = reader.ReadBits(1);
            int length = 1;
            while (code > _maxCode[length])
            {
                code = (code << 1) | reader.ReadBits(1);
                if (++length > 16)
                {
                    throw new InvalidDataException("a Huffman code is longer than 16 bits.");
                }
            }

            int index = code + _valueOffset[length];
            return index >= 0 && index < _values.Length ? _values[index] : throw new InvalidDataException("a Huffman code is not in its table.");
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

    /// <summary>Reads entropy-coded bits, removing stuffed zero bytes; a marker ends the data.</summary>
    private ref struct BitReader(ReadOnlySpan<byte> data)
    {
        private readonly ReadOnlySpan<byte> _data = data;
        private int _position;
        private int _buffer;
        private int _count;

        public int ReadBits(int n)
        {
            int value = 0;
            for (int i = 0; i < n; i++)
            {
                if (_count == 0)
                {
                    if (_position >= _data.Length || (_data[_position] == 0xFF && (_position + 1 >= _data.Length || _data[_position + 1] != 0)))
                    {
                        throw new InvalidDataException("the scan ends before all its MCUs.");
                    }

                    _buffer = _data[_position];
                    _position += _buffer == 0xFF ? 2 : 1;
                    _count = 8;
                }

                value = (value << 1) | ((_buffer >> --_count) & 1);
            }

            return value;
        }
    }

    /// <summary>Writes entropy-coded bits with 0xFF byte stuffing, padding the last byte with ones.</summary>
    private sealed class BitWriter(int capacity)
    {
        private readonly MemoryStream _output = new(capacity);
        private int _buffer;
        private int _count;

        public void Write(int bits, int n)
        {
            for (int i = n - 1; i >= 0; i--)
            {
                _buffer = (_buffer << 1) | ((bits >> i) & 1);
                if (++_count == 8)
                {
                    Flush();
                }
            }
        }

        public byte[] Finish()
        {
            while (_count != 0)
            {
                Write(1, 1);
            }

            return _output.ToArray();
        }

        private void Flush()
        {
            _output.WriteByte((byte)_buffer);
            if (_buffer == 0xFF)
            {
                _output.WriteByte(0);
            }

            _buffer = 0;
            _count = 0;
        }
    }
}
