using System.Buffers.Binary;
using System.Security.Cryptography;
using Tessera.Imaging.Batch;
using Tessera.Imaging.Colour;
using Tessera.Vips;
using static Tessera.Imaging.Tests.Colour.IccProfileBuilder;

namespace Tessera.Imaging.Tests.Colour;

/// <summary>
/// Which profiles are plain sRGB, decided from colourants and curves: the real profiles installed on Debian (colord-data,
/// icc-profiles-free, Ghostscript), libvips' built-in one, the shapes other writers use built byte by byte, and
/// hostile bytes, which must give null and never throw.
/// </summary>
public sealed class IccProfileTests
{
    private const string Colord = "/usr/share/color/icc/colord/";
    private const string Ghostscript = "/usr/share/color/icc/ghostscript/";
    private const string Free = "/usr/share/color/icc/";

    public static TheoryData<string, bool, IccColourSpace, int> Installed => new()
    {
        { Colord + "sRGB.icc", true, IccColourSpace.Rgb, 4 },                  // para type 3, colourants off by 0.0002
        { Free + "sRGB.icc", true, IccColourSpace.Rgb, 2 },                    // v2, 1024-entry curv, D65 media white
        { Ghostscript + "srgb.icc", true, IccColourSpace.Rgb, 2 },             // v2, 1024-entry curv, D65 media white
        { Ghostscript + "default_rgb.icc", true, IccColourSpace.Rgb, 2 },      // the same profile under Ghostscript's default name
        { Colord + "Gamma6500K.icc", true, IccColourSpace.Rgb, 4 },            // sRGB plus a vcgt calibration table, which only displays use
        { Colord + "AdobeRGB1998.icc", false, IccColourSpace.Rgb, 4 },
        { Free + "compatibleWithAdobeRGB1998.icc", false, IccColourSpace.Rgb, 2 },
        { Ghostscript + "a98.icc", false, IccColourSpace.Rgb, 2 },
        { Colord + "AppleRGB.icc", false, IccColourSpace.Rgb, 4 },
        { Colord + "ECI-RGBv2.icc", false, IccColourSpace.Rgb, 4 },            // L* curve
        { Colord + "ProPhotoRGB.icc", false, IccColourSpace.Rgb, 4 },
        { Colord + "Rec709.icc", false, IccColourSpace.Rgb, 4 },               // sRGB's primaries, BT.709's curve: 0.5 is 0.26 not 0.21 linear
        { Colord + "SwappedRedAndGreen.icc", false, IccColourSpace.Rgb, 4 },   // sRGB's colourants on the wrong channels
        { Free + "CineonLog_M.icc", false, IccColourSpace.Rgb, 2 },          // sRGB's colourants, a log curve
        { Ghostscript + "scrgb.icc", false, IccColourSpace.Rgb, 2 },           // sRGB's colourants, linear curves
        { Ghostscript + "esrgb.icc", false, IccColourSpace.Rgb, 2 },           // e-sRGB: sRGB's colourants, an extended-range curve
        { Ghostscript + "default_gray.icc", false, IccColourSpace.Gray, 2 },
        { Ghostscript + "default_cmyk.icc", false, IccColourSpace.Cmyk, 2 },
        { Ghostscript + "lab.icc", false, IccColourSpace.Lab, 2 },
    };

    [Theory]
    [MemberData(nameof(Installed))]
    public void Installed_profiles_are_recognised_by_what_they_do(string path, bool srgb, IccColourSpace space, int version)
    {
        var bytes = File.ReadAllBytes(path);

        var profile = IccProfile.TryParse(bytes);

        Assert.NotNull(profile);
        Assert.Equal(srgb, profile.IsSrgb);
        Assert.Equal(space, profile.ColourSpace);
        Assert.Equal(version, profile.Version);
        Assert.Equal(bytes, profile.Data.ToArray());
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), profile.Hash);
    }

    [Theory]
    [InlineData(Colord + "sRGB.icc", "sRGB")]
    [InlineData(Colord + "AdobeRGB1998.icc", "Compatible with Adobe RGB (1998)")]
    [InlineData(Free + "sRGB.icc", "sRGB")]
    [InlineData(Free + "compatibleWithAdobeRGB1998.icc", "Compatible with Adobe RGB (1998)")]
    public void The_description_is_read_from_v2_and_v4_tags(string path, string description)
    {
        Assert.Equal(description, IccProfile.TryParse(File.ReadAllBytes(path))?.Description);
    }

    [Fact]
    public void The_profile_libvips_embeds_for_srgb_is_srgb()
    {
        BatchPipeline.ConfigureVips(1);
        using var black = VipsImage.FromPixels(new byte[8 * 8 * 3], 8, 8, 3);
        using var transformed = black.Call("icc_transform", ("input_profile", Colord + "AdobeRGB1998.icc"), ("output_profile", "srgb"));
        var bytes = transformed.GetBlob("icc-profile-data");

        Assert.NotNull(bytes);
        var profile = IccProfile.TryParse(bytes);
        Assert.NotNull(profile);
        Assert.True(profile.IsSrgb);
    }

    public static TheoryData<string, byte[], bool> Built => new()
    {
        { "v4 sRGB, para type 3", Srgb().Build(), true },
        { "v4 sRGB, para type 4 with e = f = 0", Srgb(curve: Para(4, 2.4, 1 / 1.055, 0.055 / 1.055, 1 / 12.92, 0.04045, 0, 0)).Build(), true },
        { "compact sRGB, 26-entry curv", Srgb(curve: Curv(26, SrgbEotf)).Build(), true },
        { "v2 sRGB IEC61966-2.1, 1024-entry curv, D65 white", Srgb(2, Curv(1024, SrgbEotf), D65, "sRGB IEC61966-2.1").Build(), true },
        { "v2 sRGB, 4096-entry curv", Srgb(2, Curv(4096, SrgbEotf)).Build(), true },
        { "sRGB with A2B0 and B2A0 tables beside its matrix", Srgb().Add("A2B0", Para(0, 1)).Add("B2A0", Para(0, 1)).Build(), true },
        { "sRGB named \"Adobe RGB (1998)\"", Srgb(description: "Adobe RGB (1998)").Build(), true },
        { "\"sRGB\" with Adobe RGB primaries", Srgb().Add("rXYZ", Xyz(AdobeRed)).Add("gXYZ", Xyz(AdobeGreen)).Add("bXYZ", Xyz(AdobeBlue)).Build(), false },
        { "sRGB primaries, gamma 2.2", Srgb(curve: Gamma(2.2)).Build(), false },
        { "sRGB primaries, para gamma 2.2", Srgb(curve: Para(0, 2.2)).Build(), false },
        { "sRGB primaries, linear", Srgb(curve: Curv(2, x => x)).Build(), false },
        { "sRGB with red off by 0.005", Srgb().Add("rXYZ", Xyz([0.4411, 0.2225, 0.0139])).Build(), false },
        { "sRGB but green's curve gamma 2.2", Srgb().Add("gTRC", Gamma(2.2)).Build(), false },
        { "sRGB without bTRC", WithoutTag(Srgb(), "bTRC"), false },
        { "sRGB with an Illuminant A white", Srgb(white: [1.0985, 1.0, 0.3558]).Build(), false },
        { "sRGB as an output (printer) class", new IccProfileBuilder { DeviceClass = "prtr" }.Add("wtpt", Xyz(D50)).Build(), false },
        { "sRGB colourants with a Lab PCS", SrgbWith(new IccProfileBuilder { Pcs = "Lab " }), false },
        { "sRGB colourants on a grey profile", SrgbWith(new IccProfileBuilder { ColourSpace = "GRAY" }), false },
    };

    [Theory]
    [MemberData(nameof(Built))]
    public void Profiles_built_as_other_writers_do_are_recognised(string shape, byte[] bytes, bool srgb)
    {
        var profile = IccProfile.TryParse(bytes);

        Assert.True(profile is not null, shape);
        Assert.True(srgb == profile.IsSrgb, shape);
    }

    [Fact]
    public void A_v4_description_is_read_from_mluc()
    {
        Assert.Equal("Display P3?", IccProfile.TryParse(Srgb(4, description: "Display P3?").Build())?.Description);
        Assert.Equal("sRGB IEC61966-2.1", IccProfile.TryParse(Srgb(2, description: "sRGB IEC61966-2.1").Build())?.Description);
    }

    public static TheoryData<string, byte[]> Broken()
    {
        var good = Srgb().Build();
        var data = new TheoryData<string, byte[]>
        {
            { "empty", [] },
            { "header only", good[..128] },
            { "truncated", good[..(good.Length - 10)] },
            { "size field past the data", Patch(good, 0, (uint)good.Length + 4) },
            { "size field below a header", Patch(good, 0, 100) },
            { "no acsp", Patch(good, 36, 0) },
            { "zero tags", Patch(good, 128, 0) },
            { "tag table past the end", Patch(good, 128, 1_000_000) },
            { "tag offset past the end", Patch(good, 132 + 4, (uint)good.Length) },
            { "tag length past the end", Patch(good, 132 + 8, uint.MaxValue) },
            { "tag offset inside the header", Patch(good, 132 + 4, 0) },
            { "colourant of the wrong type", new IccProfileBuilder().Add("rXYZ", Para(0, 1)).Build() },
            { "curve of an unknown type", Srgb().Add("rTRC", Xyz(D50)).Build() },
            { "curv declaring more entries than it has", Srgb().Add("gTRC", Patch(Curv(26, SrgbEotf), 8, 1_000_000)).Build() },
            { "para of an unknown function", Srgb().Add("bTRC", Para(9, 2.4)).Build() },
            { "para shorter than its function", Srgb().Add("bTRC", Para(4, 2.4, 1, 0)).Build() },
            { "desc longer than its tag", Srgb(2).Add("desc", Patch(Desc("sRGB"), 8, 5000)).Build() },
            { "mluc record past its tag", Srgb().Add("desc", Patch(Mluc("sRGB"), 24, 5000)).Build() },
        };
        return data;
    }

    [Theory]
    [MemberData(nameof(Broken))]
    public void Malformed_profiles_give_null_without_throwing(string shape, byte[] bytes)
    {
        Assert.True(IccProfile.TryParse(bytes) is null, shape);
    }

    [Fact]
    public void Random_bytes_never_throw()
    {
        var random = new Random(12);
        var good = Srgb().Build();
        for (var i = 0; i < 20_000; i++)
        {
            var bytes = (byte[])good.Clone();
            for (var flips = random.Next(1, 8); flips > 0; flips--)
            {
                bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
            }

            _ = IccProfile.TryParse(bytes.AsSpan(0, random.Next(bytes.Length + 1)));
        }
    }

    private static byte[] Patch(byte[] bytes, int at, uint value)
    {
        var copy = (byte[])bytes.Clone();
        BinaryPrimitives.WriteUInt32BigEndian(copy.AsSpan(at), value);
        return copy;
    }

    private static byte[] SrgbWith(IccProfileBuilder builder)
    {
        builder.Add("wtpt", Xyz(D50)).Add("rXYZ", Xyz(SrgbRed)).Add("gXYZ", Xyz(SrgbGreen)).Add("bXYZ", Xyz(SrgbBlue));
        var trc = Para(3, 2.4, 1 / 1.055, 0.055 / 1.055, 1 / 12.92, 0.04045);
        return builder.Add("rTRC", trc).Add("gTRC", trc).Add("bTRC", trc).Build();
    }

    private static byte[] WithoutTag(IccProfileBuilder builder, string signature)
    {
        var bytes = builder.Build();
        var count = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(128));
        for (var i = 0; i < count; i++)
        {
            if (System.Text.Encoding.ASCII.GetString(bytes, 132 + (12 * i), 4) == signature)
            {
                // Renamed to a private tag: the profile no longer has it.
                "zzzz"u8.CopyTo(bytes.AsSpan(132 + (12 * i)));
            }
        }

        return bytes;
    }
}
