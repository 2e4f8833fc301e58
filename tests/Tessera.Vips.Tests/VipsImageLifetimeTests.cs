using Tessera.Vips;

namespace Tessera.Vips.Tests;

/// <summary>
/// A disposed image is refused with <see cref="ObjectDisposedException"/> on every path into native code (the
/// native declarations take the handle, whose marshaller refuses a closed one), never handed to libvips as a
/// dangling pointer; images made from it keep their own references.
/// </summary>
public sealed class VipsImageLifetimeTests
{
    public static TheoryData<string> Uses =>
    [
        "Width", "Bands", "Format", "HasAlpha", "PageCount", "HasField", "GetInt", "ToPixels", "WriteTo", "SkipRows",
        "Call", "ExtractArea", "SaveToBuffer", "Share", "CopyMemory", "WithInt", "FromPixelsLike", "ArrayArgument",
    ];

    [Theory]
    [MemberData(nameof(Uses))]
    public void A_disposed_image_used_afterwards_throws_ObjectDisposedException(string use)
    {
        using var live = VipsImage.FromPixels(new byte[8 * 4 * 3], 8, 4, 3);
        var image = VipsImage.FromPixels(new byte[8 * 4 * 3], 8, 4, 3);
        image.Dispose();

        Action act = use switch
        {
            "Width" => () => _ = image.Width,
            "Bands" => () => _ = image.Bands,
            "Format" => () => _ = image.Format,
            "HasAlpha" => () => _ = image.HasAlpha,
            "PageCount" => () => _ = image.PageCount,
            "HasField" => () => image.HasField("orientation"),
            "GetInt" => () => image.GetInt("orientation"),
            "ToPixels" => () => image.ToPixels(),
            "WriteTo" => () => image.WriteTo(new byte[8 * 4 * 3]),
            "SkipRows" => () => image.SkipRows(2),
            "Call" => () => image.Call("invert").Dispose(),
            "ExtractArea" => () => image.ExtractArea(0, 0, 2, 2).Dispose(),
            "SaveToBuffer" => () => image.SaveToBuffer("pngsave_buffer"),
            "Share" => () => image.Share().Dispose(),
            "CopyMemory" => () => image.CopyMemory().Dispose(),
            "WithInt" => () => image.WithInt("orientation", 6).Dispose(),
            "FromPixelsLike" => () => VipsImage.FromPixelsLike(new byte[2 * 2 * 3], 2, 2, image).Dispose(),
            "ArrayArgument" => () => VipsOperation.Image("bandjoin", ("in", new[] { live, image })).Dispose(),
            _ => throw new ArgumentOutOfRangeException(nameof(use), use, "Expected one of the uses listed"),
        };

        Assert.Throws<ObjectDisposedException>(act);
    }

    [Fact]
    public void Disposing_an_image_twice_is_harmless()
    {
        var image = VipsImage.FromPixels(new byte[12], 2, 2, 3);
        image.Dispose();
        image.Dispose();
        Assert.Throws<ObjectDisposedException>(() => image.Height);
    }

    [Fact]
    public void An_image_made_from_a_disposed_one_still_computes()
    {
        byte[] pixels = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];
        var source = VipsImage.FromPixels(pixels, 2, 2, 3);
        using var flipped = source.FlipHorizontal();
        using var shared = source.Share();
        source.Dispose();

        Assert.Equal([4, 5, 6, 1, 2, 3, 10, 11, 12, 7, 8, 9], flipped.ToPixels());
        Assert.Equal(pixels, shared.ToPixels());
    }

    [Fact]
    public void Images_disposed_while_other_threads_read_them_fail_cleanly_or_answer()
    {
        // Whichever comes first, a read on another thread either answers from a live image or is refused: the
        // handle is held for each native call, so libvips never sees a freed image.
        for (var round = 0; round < 200; round++)
        {
            var image = VipsImage.FromPixels(new byte[16 * 16 * 3], 16, 16, 3);
            using var start = new Barrier(2);
            Exception? failure = null;
            var reader = new Thread(() =>
            {
                start.SignalAndWait();
                try
                {
                    for (var i = 0; i < 50; i++)
                    {
                        Assert.Equal(16, image.Width);
                        Assert.Equal(16 * 16 * 3, image.ToPixels().Length);
                    }
                }
                catch (ObjectDisposedException)
                {
                    // Refused after the dispose: what a disposed image must do.
                }
                catch (Exception e)
                {
                    failure = e;
                }
            });
            reader.Start();
            start.SignalAndWait();
            image.Dispose();
            reader.Join();
            Assert.Null(failure);
        }
    }
}
