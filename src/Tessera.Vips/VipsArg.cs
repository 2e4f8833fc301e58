namespace Tessera.Vips;

/// <summary>
/// One named argument of a libvips operation. Values: <see cref="VipsImage"/>, <see cref="VipsImage"/>[], int, long,
/// double, bool, string (also an enum's nick), double[], int[], byte[] (a blob).
/// </summary>
public readonly record struct VipsArg(string Name, object? Value)
{
    public static implicit operator VipsArg((string Name, object? Value) pair) => new(pair.Name, pair.Value);
}
