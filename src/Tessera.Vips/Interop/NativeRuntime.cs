namespace Tessera.Vips.Interop;

/// <summary>The pointer-level calls behind <see cref="VipsRuntime"/>.</summary>
internal static unsafe class NativeRuntime
{
    public static int Init(string programName)
    {
        fixed (byte* name = Utf8.Z(programName))
        {
            return VipsNative.vips_init(name);
        }
    }

    public static void SetBlocked(string operationClass, bool blocked)
    {
        fixed (byte* name = Utf8.Z(operationClass))
        {
            VipsNative.vips_operation_block_set(name, blocked ? 1 : 0);
        }
    }
}
