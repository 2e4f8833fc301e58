namespace Tessera.Core.Iiif;

/// <summary>The forms of the size parameter (Image API 3.0 §4.2, 2.1 §4.2).</summary>
public enum SizeKind
{
    /// <summary>2.1 only, <c>full</c>: "The image or region is not scaled, and is returned at its full size."</summary>
    Full,

    /// <summary><c>max</c> (and 3.0's <c>^max</c>): the largest size available, within the server's limits.</summary>
    Max,

    /// <summary><c>w,</c>: "scaled so that the width of the returned image is exactly equal to w".</summary>
    Width,

    /// <summary><c>,h</c>: "scaled so that the height of the returned image is exactly equal to h".</summary>
    Height,

    /// <summary><c>pct:n</c>: "scaled to n percent of the width and height of the extracted region".</summary>
    Percent,

    /// <summary><c>w,h</c>: "The width and height of the returned image are exactly w and h" (may distort).</summary>
    Exact,

    /// <summary><c>!w,h</c>: "not greater than w and h, while maintaining the aspect ratio".</summary>
    BestFit,
}
