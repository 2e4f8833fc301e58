namespace Tessera.Vips.Interop;

/// <summary>One component of an <see cref="OpenJpegHeader"/>: its subsampling, bits and sign.</summary>
internal readonly record struct OpenJpegComponent(int Dx, int Dy, int Precision, bool Signed);
