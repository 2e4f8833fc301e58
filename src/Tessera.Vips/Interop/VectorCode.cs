namespace Tessera.Vips.Interop;

/// <summary>
/// liborc (libvips' vector code generator) keeps its generated code in a shared list that it changes without a lock
/// when programs are compiled (operation build) and freed (the last reference to a pipeline dropped). Under load the
/// benchmark server died in liborc (a segfault in its list handling, and glibc heap corruption). Tessera takes this
/// lock around both, so only one thread at a time compiles or frees vector code.
/// </summary>
internal static class VectorCode
{
    public static readonly Lock Lock = new();
}
