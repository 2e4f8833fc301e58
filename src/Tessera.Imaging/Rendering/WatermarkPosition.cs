namespace Tessera.Imaging.Rendering;

/// <summary>Where a <see cref="Watermark"/> sits on the output, with a margin of 2% of its width.</summary>
public enum WatermarkPosition
{
    BottomRight,
    BottomLeft,
    TopRight,
    TopLeft,
    Centre,
}
