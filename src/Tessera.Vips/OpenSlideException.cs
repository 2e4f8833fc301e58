namespace Tessera.Vips;

/// <summary>
/// A slide that OpenSlide could not read (no vendor recognised, damaged, an associated image missing or unreadable),
/// with the text OpenSlide recorded for that call.
/// </summary>
public sealed class OpenSlideException : Exception
{
    public OpenSlideException(string message)
        : base(message)
    {
    }

    public OpenSlideException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
