using Tessera.Vips.Interop;

namespace Tessera.Vips;

/// <summary>
/// Calls any libvips operation by name with named arguments, the generic way (no C varargs). About 23 µs for a
/// trivial operation.
/// </summary>
public static class VipsOperation
{
    /// <summary>Runs <paramref name="name"/> and returns its <c>out</c> image.</summary>
    public static VipsImage Image(string name, params ReadOnlySpan<VipsArg> inputs) =>
        (VipsImage)Run(name, inputs, ["out"])[0]!;

    /// <summary>Runs <paramref name="name"/> with <paramref name="inputs"/> and returns the outputs named, in order.</summary>
    /// <exception cref="VipsException">The operation does not exist, an argument is unknown or of the wrong kind, or it failed.</exception>
    public static object?[] Run(string name, ReadOnlySpan<VipsArg> inputs, ReadOnlySpan<string> outputs) =>
        NativeOperation.Run(name, inputs, outputs);
}
