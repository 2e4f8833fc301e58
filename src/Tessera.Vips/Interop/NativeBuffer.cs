using System.Buffers;
using System.Runtime.InteropServices;

namespace Tessera.Vips;

/// <summary>
/// Pixel memory outside the managed heap: large buffers that are freed the moment they are disposed, instead of
/// waiting on the large-object heap for a full collection (which, under load, held a server's memory well above
/// what it used). Dispose it (no finalizer: a span may still point into it, CA2015).
/// </summary>
public sealed unsafe class NativeBuffer : MemoryManager<byte>
{
    private byte* _pointer;

    /// <exception cref="OutOfMemoryException">The allocation failed.</exception>
    public NativeBuffer(int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(length);
        _pointer = (byte*)NativeMemory.Alloc((nuint)length);
        Length = length;
    }

    public int Length { get; }

    public Span<byte> Span => GetSpan();

    public override Span<byte> GetSpan() =>
        _pointer == null ? throw new ObjectDisposedException(nameof(NativeBuffer)) : new Span<byte>(_pointer, Length);

    public override MemoryHandle Pin(int elementIndex = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(elementIndex);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(elementIndex, Length);
        return _pointer == null ? throw new ObjectDisposedException(nameof(NativeBuffer)) : new MemoryHandle(_pointer + elementIndex);
    }

    public override void Unpin()
    {
        // Native memory never moves.
    }

    /// <summary>Frees the memory; spans taken from the buffer must no longer be used.</summary>
    public void Dispose() => ((IDisposable)this).Dispose();

    protected override void Dispose(bool disposing)
    {
        if (_pointer != null)
        {
            NativeMemory.Free(_pointer);
            _pointer = null;
        }
    }
}
