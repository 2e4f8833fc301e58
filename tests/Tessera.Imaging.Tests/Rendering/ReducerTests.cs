using Tessera.Imaging.Rendering;
using Tessera.Testing;
using Tessera.Vips;

namespace Tessera.Imaging.Tests.Rendering;

public sealed class ReducerTests
{
    private static readonly ResampleKernel[] KernelNames = [ResampleKernel.Linear, ResampleKernel.Cubic, ResampleKernel.Mitchell, ResampleKernel.Lanczos2, ResampleKernel.Lanczos3];

    public static TheoryData<ResampleKernel> Kernels => [.. KernelNames];

    [Fact]
    public void Vector_passes_give_exactly_the_scalar_passes_results()
    {
        Assert.SkipUnless(System.Runtime.Intrinsics.X86.Ssse3.IsSupported, "the vector passes need SSSE3");
        var random = new Random(20261121);
        for (var round = 0; round < 300; round++)
        {
            var bands = random.Next(1, 5);
            var sw = random.Next(1, 90);
            var sh = random.Next(1, 90);
            var dw = random.Next(1, sw + 1);
            var dh = random.Next(1, sh + 1);
            var kernel = KernelNames[random.Next(KernelNames.Length)];
            var source = Noise(random, sw * sh * bands);

            var hWeights = Reducer.Weights.For(sw, dw, kernel);
            var scalarH = new byte[(dw * sh * bands) + Reducer.Padding];
            var vectorH = new byte[(dw * sh * bands) + Reducer.Padding];
            Reducer.HorizontalScalar(source, sw, sh, bands, scalarH, dw, hWeights);
            Reducer.HorizontalSsse3(source, sw, sh, bands, vectorH, dw, hWeights);
            Assert.Equal(scalarH.AsSpan(0, dw * sh * bands).ToArray(), vectorH.AsSpan(0, dw * sh * bands).ToArray());
            if (System.Runtime.Intrinsics.X86.Avx2.IsSupported)
            {
                var wideH = new byte[(dw * sh * bands) + Reducer.Padding];
                Reducer.HorizontalAvx2(source, sw, sh, bands, wideH, dw, hWeights);
                Assert.Equal(scalarH.AsSpan(0, dw * sh * bands).ToArray(), wideH.AsSpan(0, dw * sh * bands).ToArray());
            }

            // The vertical pass reads its source in place (rows a stride apart, nothing past the last pixel).
            var vWeights = Reducer.Weights.For(sh, dh, kernel);
            var rowBytes = sw * bands;
            var stride = rowBytes + random.Next(0, 20);
            var windowed = Noise(random, ((sh - 1) * stride) + rowBytes).AsSpan(0, ((sh - 1) * stride) + rowBytes).ToArray();
            var scalarV = new byte[(sw * dh * bands) + Reducer.Padding];
            Reducer.VerticalScalar(windowed, stride, rowBytes, 0, sh, scalarV, 0, dh, vWeights);
            if (rowBytes >= 16)
            {
                var vectorV = new byte[sw * dh * bands];
                Reducer.VerticalSse2(windowed, stride, rowBytes, 0, sh, vectorV, 0, dh, vWeights);
                Assert.Equal(scalarV.AsSpan(0, sw * dh * bands).ToArray(), vectorV);
            }

            if (System.Runtime.Intrinsics.X86.Avx2.IsSupported && rowBytes >= 32)
            {
                var wideV = new byte[sw * dh * bands];
                Reducer.VerticalAvx2(windowed, stride, rowBytes, 0, sh, wideV, 0, dh, vWeights);
                Assert.Equal(scalarV.AsSpan(0, sw * dh * bands).ToArray(), wideV);
            }
        }
    }

    [Fact]
    public void Vector_passes_refuse_buffers_and_weights_their_unchecked_loads_would_overrun()
    {
        Assert.SkipUnless(System.Runtime.Intrinsics.X86.Ssse3.IsSupported, "the vector passes need SSSE3");
        const int bands = 3, sw = 40, sh = 30, dw = 17, dh = 11, rowBytes = sw * bands;
        var vertical = Reducer.Weights.For(sh, dh, ResampleKernel.Lanczos3);
        var horizontal = Reducer.Weights.For(sw, dw, ResampleKernel.Lanczos3);
        var packed = new byte[sw * sh * bands];
        var shortSource = new byte[(sw * sh * bands) - 1];
        var padded = new byte[(sw * sh * bands) + Reducer.Padding];
        var rows = new byte[rowBytes * dh];
        var target = new byte[(dw * sh * bands) + Reducer.Padding];

        Reducer.VerticalSse2(packed, rowBytes, rowBytes, 0, sh, rows, 0, dh, vertical);
        Reducer.HorizontalSsse3(padded, sw, sh, bands, target, dw, horizontal);

        // A source a byte short of its last row, a band starting below the first row read, a target a row short,
        // weights for another size: each would have sent the unchecked loads or stores past a buffer.
        Assert.Throws<ArgumentException>(() => Reducer.VerticalSse2(shortSource, rowBytes, rowBytes, 0, sh, rows, 0, dh, vertical));
        Assert.Throws<ArgumentException>(() => Reducer.VerticalSse2(packed, rowBytes, rowBytes, 5, sh, rows, 0, dh, vertical));
        Assert.Throws<ArgumentException>(() => Reducer.VerticalSse2(packed, rowBytes, rowBytes, 0, sh, new byte[rowBytes * (dh - 1)], 0, dh, vertical));
        Assert.Throws<ArgumentException>(() => Reducer.VerticalSse2(packed, rowBytes, rowBytes, 0, sh, rows, 0, dh, Reducer.Weights.For(sh + 9, dh, ResampleKernel.Lanczos3)));
        Assert.Throws<ArgumentException>(() => Reducer.HorizontalSsse3(packed, sw, sh, bands, target, dw, horizontal));
        Assert.Throws<ArgumentException>(() => Reducer.HorizontalSsse3(padded, sw, sh, bands, target, dw, Reducer.Weights.For(sw + 8, dw, ResampleKernel.Lanczos3)));
        if (System.Runtime.Intrinsics.X86.Avx2.IsSupported)
        {
            Assert.Throws<ArgumentException>(() => Reducer.VerticalAvx2(shortSource, rowBytes, rowBytes, 0, sh, rows, 0, dh, vertical));
            Assert.Throws<ArgumentException>(() => Reducer.HorizontalAvx2(packed, sw, sh, bands, target, dw, horizontal));
            Assert.Throws<ArgumentException>(() => Reducer.HorizontalAvx2(padded, sw, sh, bands, new byte[dw * (sh - 1) * bands], dw, horizontal));
        }
    }

    [Fact]
    public void A_window_of_a_larger_buffer_reduces_like_the_same_pixels_packed()
    {
        var random = new Random(7);
        const int bands = 3, outerWidth = 500, outerHeight = 400, left = 37, top = 51, width = 333, height = 301;
        var outer = Noise(random, outerWidth * outerHeight * bands).AsSpan(0, outerWidth * outerHeight * bands).ToArray();
        var packed = new byte[width * height * bands];
        for (var y = 0; y < height; y++)
        {
            outer.AsSpan((((top + y) * outerWidth) + left) * bands, width * bands).CopyTo(packed.AsSpan(y * width * bands));
        }

        // A window that ends at the very end of its buffer: nothing past its last pixel may be needed.
        var window = outer.AsSpan((((top * outerWidth) + left) * bands)..(((top + height - 1) * outerWidth * bands) + ((left + width) * bands)));
        foreach (var (tw, th) in new[] { (200, 150), (333, 120), (150, 301) })
        {
            var expected = new byte[(tw * th * bands) + Reducer.Padding];
            var actual = new byte[(tw * th * bands) + Reducer.Padding];
            Reducer.Reduce(packed, width, height, bands, expected, tw, th, ResampleKernel.Lanczos3, new byte[Reducer.ScratchBytes(width, th, bands)]);
            Reducer.Reduce(window, width, height, outerWidth * bands, bands, actual, tw, th, ResampleKernel.Lanczos3, new byte[Reducer.ScratchBytes(width, th, bands)]);
            Assert.Equal(expected, actual);
        }
    }

    [Fact]
    public void Fed_in_bands_a_reduction_makes_the_same_rows_as_in_one_go()
    {
        // Bands of random heights, each starting where the reduction still needs rows (with the rows kept from the
        // band before, as the JPEG tile path keeps them), in a buffer with a wider stride.
        var random = new Random(11);
        for (var round = 0; round < 200; round++)
        {
            var bands = random.Next(1, 5);
            var sw = random.Next(1, 120);
            var sh = random.Next(1, 300);
            var tw = random.Next(Math.Max(1, sw / 4), sw + 1);
            var th = random.Next(Math.Max(1, sh / 4), sh + 1);
            var kernel = KernelNames[random.Next(KernelNames.Length)];
            var stride = (sw * bands) + random.Next(0, 9);
            var source = Noise(random, sh * stride).AsSpan(0, sh * stride).ToArray();
            var expected = new byte[(tw * th * bands) + Reducer.Padding];
            Reducer.Reduce(source, sw, sh, stride, bands, expected, tw, th, kernel, new byte[Reducer.ScratchBytes(sw, th, bands)]);

            var reduction = new BandedReduction(sw, sh, bands, tw, th, kernel);
            var actual = new byte[(tw * th * bands) + Reducer.Padding];
            var scratch = new byte[Reducer.ScratchBytes(sw, th, bands)];

            // As the renderers do: each strip goes below the rows KeepNeeded kept at the top of the band buffer.
            const int largestStrip = 70;
            var band = new byte[stride * (largestStrip + reduction.RowsPerTargetRow)];
            int bandTop = 0, bandRows = 0, made = 0;
            for (var next = 0; next < sh;)
            {
                var rows = Math.Min(sh - next, random.Next(1, largestStrip + 1));
                var kept = reduction.KeepNeeded(band, stride, bandTop, bandRows);
                Assert.True(kept < reduction.RowsPerTargetRow);
                source.AsSpan(next * stride, rows * stride).CopyTo(band.AsSpan(kept * stride));
                (bandTop, bandRows) = (next - kept, kept + rows);
                made += reduction.Feed(band, bandTop, bandRows, stride, actual, scratch);
                next += rows;
            }

            Assert.True(reduction.IsComplete);
            Assert.Equal(th, made);
            Assert.Equal(expected.AsSpan(0, tw * th * bands).ToArray(), actual.AsSpan(0, tw * th * bands).ToArray());
        }
    }

    [Fact]
    public void A_band_that_leaves_out_rows_still_needed_is_refused()
    {
        var reduction = new BandedReduction(40, 100, 3, 20, 50, ResampleKernel.Lanczos3);
        var band = new byte[40 * 3 * 30];
        var target = new byte[(20 * 50 * 3) + Reducer.Padding];
        var scratch = new byte[Reducer.ScratchBytes(40, 50, 3)];
        Assert.True(reduction.Feed(band, 0, 30, 40 * 3, target, scratch) > 0);
        Assert.False(reduction.IsComplete);
        Assert.Throws<InvalidOperationException>(() => reduction.Feed(band, 30, 30, 40 * 3, target, scratch));
        Assert.Throws<ArgumentException>(() => reduction.Feed(band, reduction.FirstRowNeeded, 31, 40 * 3, target, scratch));
    }

    [Theory]
    [MemberData(nameof(Kernels))]
    public void A_flat_image_stays_exactly_flat(ResampleKernel kernel)
    {
        var source = new byte[(301 * 207 * 3) + Reducer.Padding];
        for (var i = 0; i < 301 * 207 * 3; i++)
        {
            source[i] = (byte)(i % 3 == 0 ? 200 : i % 3 == 1 ? 17 : 255);
        }

        var target = new byte[(100 * 150 * 3) + Reducer.Padding];
        Reducer.Reduce(source, 301, 207, 3, target, 100, 150, kernel, new byte[Reducer.ScratchBytes(301, 150, 3)]);
        for (var i = 0; i < 100 * 150 * 3; i++)
        {
            Assert.Equal(source[i % 3], target[i]);
        }
    }

    [Theory]
    [InlineData(ResampleKernel.Lanczos3, 1000, 667, 3)]
    [InlineData(ResampleKernel.Lanczos3, 731, 1000, 3)]
    [InlineData(ResampleKernel.Lanczos3, 400, 400, 1)]
    [InlineData(ResampleKernel.Linear, 640, 427, 4)]
    [InlineData(ResampleKernel.Cubic, 999, 700, 3)]
    public void A_photograph_reduces_to_what_libvips_resize_gives(ResampleKernel kernel, int width, int height, int bands)
    {
        // The sample photo at 1500 px wide; reduced by libvips and by the reducer, which should be the same picture.
        using var loaded = VipsImage.NewFromFile(Samples.PathOf(Samples.Kleiber));
        using var resized = loaded.Resize(1500.0 / loaded.Width, 1200.0 / loaded.Height);
        using var photo = bands switch
        {
            1 => resized.Colourspace("b-w"),
            4 => resized.Call("bandjoin_const", ("c", new double[] { 255 })),
            _ => resized.Call("copy"),
        };
        var source = new byte[(1500 * 1200 * bands) + Reducer.Padding];
        photo.WriteTo(source);
        var target = new byte[(width * height * bands) + Reducer.Padding];
        Reducer.Reduce(source, 1500, 1200, bands, target, width, height, kernel, new byte[Reducer.ScratchBytes(1500, height, bands)]);

        using var expected = photo.Resize((double)width / 1500, (double)height / 1200, kernel.VipsNick());
        Assert.Equal((width, height), (expected.Width, expected.Height));
        var reference = expected.ToPixels();
        var sum = 0L;
        var large = 0;
        for (var i = 0; i < reference.Length; i++)
        {
            var d = Math.Abs(reference[i] - target[i]);
            sum += d;
            large += d > 24 ? 1 : 0;
        }

        var mean = (double)sum / reference.Length;
        Assert.True(mean < 0.5, $"mean difference to libvips {mean:F3}");
        Assert.True(large < reference.Length / 1000, $"{large} of {reference.Length} values differ by more than 24");
    }

    [Fact]
    public void Too_small_buffers_and_enlargements_are_refused()
    {
        var scratch = new byte[Reducer.ScratchBytes(10, 5, 3)];
        Assert.Throws<ArgumentException>(() => Reducer.Reduce(new byte[(10 * 10 * 3) - 1], 10, 10, 3, new byte[200], 5, 5, ResampleKernel.Lanczos3, scratch));
        Assert.Throws<ArgumentOutOfRangeException>(() => Reducer.Reduce(new byte[10 * 10 * 3], 10, 10, 29, 3, new byte[200], 5, 5, ResampleKernel.Lanczos3, scratch));
        Assert.Throws<ArgumentException>(() => Reducer.Reduce(new byte[(10 * 10 * 3) + 32], 10, 10, 3, new byte[5 * 5 * 3], 5, 5, ResampleKernel.Lanczos3, scratch));
        Assert.Throws<ArgumentException>(() => Reducer.Reduce(new byte[(10 * 10 * 3) + 32], 10, 10, 3, new byte[2000], 20, 5, ResampleKernel.Lanczos3, scratch));
        Assert.Throws<ArgumentException>(() => Reducer.Reduce(new byte[(10 * 10 * 3) + 32], 10, 10, 3, new byte[2000], 5, 5, ResampleKernel.Nearest, scratch));
        Assert.Throws<ArgumentOutOfRangeException>(() => Reducer.Reduce(new byte[(10 * 10 * 5) + 32], 10, 10, 5, new byte[2000], 5, 5, ResampleKernel.Lanczos3, scratch));
    }

    [Fact]
    public void The_pool_reuses_buffers_and_holds_a_bounded_number_of_bytes()
    {
        using var pool = new PixelBufferPool(maxHeldBytes: 8 << 20);
        var a = pool.Rent(3_000_000);
        Assert.True(a.Length >= 3_000_000);
        a.Span.Fill(7);
        pool.Return(a);
        Assert.Same(a, pool.Rent(2_500_000));

        var held = Enumerable.Range(0, 6).Select(_ => pool.Rent(2_000_000)).ToList();
        held.ForEach(pool.Return);
        Assert.InRange(pool.HeldBytes, 1, 8 << 20);

        // Too large to hold: freed on return, not kept.
        var huge = pool.Rent(16 << 20);
        pool.Return(huge);
        Assert.Throws<ObjectDisposedException>(() => huge.Span.Length);
        Assert.InRange(pool.HeldBytes, 1, 8 << 20);
    }

    private static byte[] Noise(Random random, int length)
    {
        var data = new byte[length + Reducer.Padding];
        random.NextBytes(data);
        return data;
    }
}
