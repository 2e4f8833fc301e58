namespace Tessera.Core.Iiif;

/// <summary>The IIIF Image API versions Tessera speaks. Both are served side by side.</summary>
public enum ApiVersion
{
    /// <summary>Image API 2.1 (https://iiif.io/api/image/2.1/).</summary>
    V2 = 2,

    /// <summary>Image API 3.0 (https://iiif.io/api/image/3.0/).</summary>
    V3 = 3,
}
