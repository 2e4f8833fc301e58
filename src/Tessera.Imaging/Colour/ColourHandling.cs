namespace Tessera.Imaging.Colour;

/// <summary>How one render treats its source's colours (chosen by <see cref="Rendering.RenderPathChooser"/> from the profile and the <see cref="ColourPolicy"/>).</summary>
public enum ColourHandling
{
    /// <summary>The stored pixels are sRGB (no profile, or an sRGB one): sent as they are.</summary>
    AsStored,

    /// <summary>The stored pixels are sent with the source's profile attached (<see cref="ColourPolicy.Embed"/>).</summary>
    Embed,

    /// <summary>The pixels go through the cached LittleCMS transform of the source's profile to sRGB (<see cref="ColourPolicy.Convert"/>).</summary>
    Transform,

    /// <summary>libvips converts (CMYK, 16-bit, a profile the fast paths cannot take).</summary>
    Libvips,
}
