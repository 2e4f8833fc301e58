namespace Tessera.Imaging.Tiff;

/// <summary>
/// The bytes are not a TIFF this reader accepts: not a TIFF at all, truncated, self-referencing, or declaring sizes
/// past what the file or the reader's limits allow. Thrown instead of hanging or allocating on hostile input.
/// </summary>
public sealed class TiffFormatException : Exception
{
    public TiffFormatException()
    {
    }

    public TiffFormatException(string message)
        : base(message)
    {
    }

    public TiffFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
