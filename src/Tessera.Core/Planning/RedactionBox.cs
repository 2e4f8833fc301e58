using System.Globalization;

namespace Tessera.Core.Planning;

/// <summary>
/// A rectangle of an image to black out before any scaling (privacy: a name on a document), as an access rule gives it:
/// full-resolution pixels (<c>[x, y, w, h]</c> or <c>"x,y,w,h"</c>) or percentages of the image
/// (<c>"pct:x,y,w,h"</c>, the IIIF region syntax), in displayed (EXIF-oriented) coordinates like a IIIF region.
/// </summary>
/// <param name="Percent">Whether the numbers are percentages of the image's width and height.</param>
/// <param name="X">Left edge.</param>
/// <param name="Y">Top edge.</param>
/// <param name="Width">Width, more than 0.</param>
/// <param name="Height">Height, more than 0.</param>
public sealed record RedactionBox(bool Percent, double X, double Y, double Width, double Height)
{
    /// <summary>
    /// The box in the pixels of a <paramref name="imageWidth"/> × <paramref name="imageHeight"/> image, clipped to it;
    /// null when it lies outside. A percentage box covers every pixel it touches (edges rounded outwards), never fewer:
    /// a pixel half inside still shows half of what it hides.
    /// </summary>
    public PixelRect? Resolve(int imageWidth, int imageHeight)
    {
        double left = X, top = Y, right = X + Width, bottom = Y + Height;
        if (Percent)
        {
            (left, right) = (left / 100 * imageWidth, right / 100 * imageWidth);
            (top, bottom) = (top / 100 * imageHeight, bottom / 100 * imageHeight);
        }

        var x0 = (int)Math.Clamp(Math.Floor(left), 0, imageWidth);
        var y0 = (int)Math.Clamp(Math.Floor(top), 0, imageHeight);
        var x1 = (int)Math.Clamp(Math.Ceiling(right), 0, imageWidth);
        var y1 = (int)Math.Clamp(Math.Ceiling(bottom), 0, imageHeight);
        return x1 > x0 && y1 > y0 ? new PixelRect(x0, y0, x1 - x0, y1 - y0) : null;
    }

    /// <summary>As written in a rules file: <c>x,y,w,h</c> or <c>pct:x,y,w,h</c>.</summary>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{(Percent ? "pct:" : "")}{X},{Y},{Width},{Height}");
}
