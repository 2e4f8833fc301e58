namespace Tessera.Core.Iiif;

/// <summary>The forms of the region parameter (Image API 3.0 §4.1; identical in 2.1 §4.1).</summary>
public enum RegionKind
{
    /// <summary><c>full</c>: "The full image is returned, without any cropping."</summary>
    Full,

    /// <summary><c>square</c>: "width and height are both equal to the length of the shorter dimension of the full image".</summary>
    Square,

    /// <summary><c>x,y,w,h</c> in pixels of the full image.</summary>
    Pixels,

    /// <summary><c>pct:x,y,w,h</c>: percentages of the full image's reported dimensions.</summary>
    Percent,
}
