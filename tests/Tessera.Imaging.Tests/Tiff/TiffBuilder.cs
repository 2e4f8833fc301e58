using System.Buffers.Binary;

namespace Tessera.Imaging.Tests.Tiff;

/// <summary>
/// Writes tiny classic TIFFs tag by tag, in either byte order, to test the reader on layouts vips does not write
/// (big-endian) and on corruption (loops, bad counts). The first IFD starts at offset 8 and its entries are in the
/// order given, so tests can patch bytes at known places.
/// </summary>
internal sealed class TiffBuilder(bool littleEndian)
{
    private readonly List<(ushort Tag, ushort Type, long[] Values)[]> _directories = [];
    private int _loopTo = -1;

    public TiffBuilder Directory(params (ushort Tag, ushort Type, long[] Values)[] entries)
    {
        _directories.Add(entries);
        return this;
    }

    /// <summary>Makes the last directory's next pointer go back to directory <paramref name="index"/>.</summary>
    public TiffBuilder LoopTo(int index)
    {
        _loopTo = index;
        return this;
    }

    /// <summary>Offset of entry <paramref name="entry"/>'s count field in the first directory.</summary>
    public static int CountFieldOffset(int entry) => 8 + 2 + (12 * entry) + 4;

    public byte[] Build()
    {
        var bytes = new List<byte>();
        bytes.AddRange(littleEndian ? "II"u8.ToArray() : "MM"u8.ToArray());
        bytes.AddRange(U16(42));
        bytes.AddRange(U32(8));

        var starts = new List<int>();
        var nextFields = new List<int>();
        foreach (var entries in _directories)
        {
            int start = bytes.Count;
            starts.Add(start);
            int dataAt = start + 2 + (12 * entries.Length) + 4;
            var data = new List<byte>();
            bytes.AddRange(U16((ushort)entries.Length));
            foreach (var (tag, type, values) in entries)
            {
                int size = type switch { 1 or 7 => 1, 3 => 2, _ => 4 };
                byte[] raw = [.. values.SelectMany(v => size switch
                {
                    1 => [(byte)v],
                    2 => U16((ushort)v),
                    _ => U32((uint)v),
                })];
                bytes.AddRange(U16(tag));
                bytes.AddRange(U16(type));
                bytes.AddRange(U32((uint)values.Length));
                if (raw.Length <= 4)
                {
                    bytes.AddRange(raw);
                    bytes.AddRange(new byte[4 - raw.Length]);
                }
                else
                {
                    bytes.AddRange(U32((uint)(dataAt + data.Count)));
                    data.AddRange(raw);
                    if (data.Count % 2 == 1)
                    {
                        data.Add(0);
                    }
                }
            }

            nextFields.Add(bytes.Count);
            bytes.AddRange(U32(0));
            bytes.AddRange(data);
        }

        byte[] result = [.. bytes];
        for (int i = 0; i + 1 < starts.Count; i++)
        {
            Put(result, nextFields[i], (uint)starts[i + 1]);
        }

        if (_loopTo >= 0)
        {
            Put(result, nextFields[^1], (uint)starts[_loopTo]);
        }

        return result;
    }

    private void Put(byte[] target, int at, uint value)
    {
        if (littleEndian)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(target.AsSpan(at), value);
        }
        else
        {
            BinaryPrimitives.WriteUInt32BigEndian(target.AsSpan(at), value);
        }
    }

    private byte[] U16(ushort v)
    {
        var b = new byte[2];
        if (littleEndian)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(b, v);
        }
        else
        {
            BinaryPrimitives.WriteUInt16BigEndian(b, v);
        }

        return b;
    }

    private byte[] U32(uint v)
    {
        var b = new byte[4];
        if (littleEndian)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(b, v);
        }
        else
        {
            BinaryPrimitives.WriteUInt32BigEndian(b, v);
        }

        return b;
    }
}
