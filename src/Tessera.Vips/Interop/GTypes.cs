namespace Tessera.Vips.Interop;

/// <summary>GLib's fundamental type ids (<c>G_TYPE_MAKE_FUNDAMENTAL(n)</c> = n &lt;&lt; 2), fixed by its ABI.</summary>
internal static class GTypes
{
    public const nuint Boolean = 5 << 2;
    public const nuint Int = 6 << 2;
    public const nuint UInt = 7 << 2;
    public const nuint Long = 8 << 2;
    public const nuint Int64 = 10 << 2;
    public const nuint UInt64 = 11 << 2;
    public const nuint Enum = 12 << 2;
    public const nuint Flags = 13 << 2;
    public const nuint Float = 14 << 2;
    public const nuint Double = 15 << 2;
    public const nuint String = 16 << 2;
    public const nuint Boxed = 18 << 2;
    public const nuint Object = 20 << 2;
}
