namespace Tessera.Vips.Interop;

/// <summary>A libvips object the binding made and passes as an operation's argument (a <c>VipsSource</c>); not owned by this wrapper.</summary>
internal sealed record NativeObject(nint Handle);
