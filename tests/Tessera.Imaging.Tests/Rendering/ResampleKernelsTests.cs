using Tessera.Imaging.Rendering;
using Tessera.Vips;

namespace Tessera.Imaging.Tests.Rendering;

public sealed class ResampleKernelsTests
{
    [Theory]
    [InlineData("nearest", ResampleKernel.Nearest)]
    [InlineData("linear", ResampleKernel.Linear)]
    [InlineData("cubic", ResampleKernel.Cubic)]
    [InlineData("mitchell", ResampleKernel.Mitchell)]
    [InlineData("lanczos2", ResampleKernel.Lanczos2)]
    [InlineData("lanczos3", ResampleKernel.Lanczos3)]
    public void The_lower_case_words_of_settings_and_flags_parse_and_name_back(string word, ResampleKernel kernel)
    {
        Assert.True(ResampleKernels.TryParse(word, out var parsed));
        Assert.Equal(kernel, parsed);
        Assert.Equal(word, kernel.Name());
        Assert.Equal(kernel, ResampleKernels.Parse(word, "--kernel"));
    }

    [Theory]
    [InlineData("Lanczos3")]
    [InlineData("lanczos")]
    [InlineData("")]
    [InlineData(null)]
    public void Other_words_are_refused_with_the_house_message(string? word)
    {
        Assert.False(ResampleKernels.TryParse(word, out _));
        var e = Assert.Throws<ArgumentException>(() => ResampleKernels.Parse(word, "--kernel"));
        Assert.StartsWith($"Expected nearest, linear, cubic, mitchell, lanczos2 or lanczos3 for --kernel but received \"{word}\"", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_kernel_has_a_nick_libvips_resize_accepts()
    {
        ImagingRuntime.Start();
        using var image = VipsOperation.Image("black", ("width", 64), ("height", 48), ("bands", 3));
        foreach (var kernel in Enum.GetValues<ResampleKernel>())
        {
            using var resized = image.Resize(0.5, 0.5, kernel.VipsNick());
            Assert.Equal(32, resized.Width);
        }
    }

    [Fact]
    public void The_reducer_computes_every_kernel_but_nearest() =>
        Assert.Equal(
            [ResampleKernel.Linear, ResampleKernel.Cubic, ResampleKernel.Mitchell, ResampleKernel.Lanczos2, ResampleKernel.Lanczos3],
            Enum.GetValues<ResampleKernel>().Where(Reducer.Supports));
}
