namespace Tessera.Vips;

/// <summary>A JPEG that TurboJPEG could not decode (damaged, truncated, not the expected size) or an encode that failed.</summary>
public sealed class JpegException : Exception
{
    public JpegException(string message)
        : base(message)
    {
    }

    public JpegException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
