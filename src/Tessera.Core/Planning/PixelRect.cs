namespace Tessera.Core.Planning;

/// <summary>A rectangle of pixels: <c>x,y</c> of the top-left corner, then width and height.</summary>
public readonly record struct PixelRect(int X, int Y, int Width, int Height)
{
    public int Right => X + Width;

    public int Bottom => Y + Height;

    public override string ToString() => $"{X},{Y},{Width},{Height}";
}
