namespace Tessera.Vips;

/// <summary>
/// A JPEG 2000 file that OpenJPEG could not read (damaged, truncated, not JPEG 2000, changed since it was opened), with
/// the text OpenJPEG reported for that call.
/// </summary>
public sealed class Jpeg2000Exception : Exception
{
    public Jpeg2000Exception(string message)
        : base(message)
    {
    }

    public Jpeg2000Exception(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
