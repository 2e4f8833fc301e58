namespace Tessera.Vips;

/// <summary>
/// A colour transform that could not be built: the profile is damaged, of another colour space than the pixels it is
/// meant for, or LittleCMS is missing. Callers that can fall back (to libvips' own <c>icc_transform</c>) catch it.
/// </summary>
public sealed class ColourTransformException : Exception
{
    public ColourTransformException(string message)
        : base(message)
    {
    }

    public ColourTransformException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
