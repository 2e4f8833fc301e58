using Tessera.Imaging.Colour;
using Tessera.Imaging.Rendering;
using Tessera.Server.Hosting;

namespace Tessera.Server.Tests.Hosting;

/// <summary>
/// <see cref="TesseraServerOptions.Validate"/>: each rule's message names the option, what was expected and what came;
/// each boundary is tried on both sides; and a server misconfigured in many ways hears of all of them at once.
/// </summary>
public sealed class TesseraServerOptionsTests
{
    /// <summary>Valid options: only Root has no usable default.</summary>
    private static readonly TesseraServerOptions Valid = new() { Root = AppContext.BaseDirectory };

    [Fact]
    public void The_defaults_with_an_existing_root_are_valid()
    {
        Assert.Empty(Valid.Validate());
    }

    [Fact]
    public void The_default_quality_and_kernel_are_the_renderers_so_seeded_tiles_match_served_ones()
    {
        var options = new TesseraServerOptions();

        Assert.Equal(RenderOptions.Default.JpegQuality, options.JpegQuality);
        Assert.Equal(RenderOptions.Default.Kernel.Name(), options.ResampleKernel);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void A_missing_root_is_refused(string root)
    {
        AssertErrors(Valid with { Root = root }, "Expected a folder for Root (--root) but received nothing");
    }

    [Fact]
    public void A_root_that_does_not_exist_is_refused_quoting_it()
    {
        var missing = Path.Combine(AppContext.BaseDirectory, "no-such-folder-" + Guid.NewGuid().ToString("N"));

        AssertErrors(Valid with { Root = missing }, $"Expected an existing folder for Root (--root) but received \"{missing}\"");
    }

    [Fact]
    public void A_root_that_is_a_file_is_refused()
    {
        var file = typeof(TesseraServerOptions).Assembly.Location;

        AssertErrors(Valid with { Root = file }, $"Expected an existing folder for Root (--root) but received \"{file}\"");
    }

    [Theory]
    [InlineData(null, true)]
    [InlineData("https://images.example.org", true)]
    [InlineData("http://localhost:8000/iiif", true)]
    [InlineData("ftp://images.example.org", false)]
    [InlineData("file:///srv/images", false)]
    [InlineData("images.example.org", false)]
    [InlineData("/iiif", false)]
    [InlineData("", false)]
    public void BaseUrl_must_be_an_absolute_http_or_https_url(string? baseUrl, bool valid)
    {
        AssertErrors(Valid with { BaseUrl = baseUrl }, valid ? [] : [$"Expected an absolute http(s) URL for BaseUrl (--base-url) but received \"{baseUrl}\""]);
    }

    [Theory]
    [InlineData(int.MinValue, false)]
    [InlineData(-1, false)]
    [InlineData(0, false)]
    [InlineData(1, true)]
    [InlineData(int.MaxValue, true)]
    public void MaxWidth_and_MaxHeight_must_be_positive(int value, bool valid)
    {
        AssertErrors(Valid with { MaxWidth = value }, valid ? [] : [$"Expected a positive integer for MaxWidth but received {value}"]);
        AssertErrors(Valid with { MaxHeight = value }, valid ? [] : [$"Expected a positive integer for MaxHeight but received {value}"]);
    }

    [Theory]
    [InlineData(long.MinValue, false)]
    [InlineData(0L, false)]
    [InlineData(1L, true)]
    [InlineData(long.MaxValue, true)]
    public void MaxArea_must_be_positive(long value, bool valid)
    {
        AssertErrors(Valid with { MaxArea = value }, valid ? [] : [$"Expected a positive integer for MaxArea but received {value}"]);
    }

    [Theory]
    [InlineData("nearest", true)]
    [InlineData("linear", true)]
    [InlineData("cubic", true)]
    [InlineData("mitchell", true)]
    [InlineData("lanczos2", true)]
    [InlineData("lanczos3", true)]
    [InlineData("Lanczos3", false)]
    [InlineData("bicubic", false)]
    [InlineData("", false)]
    public void ResampleKernel_is_one_of_the_libvips_kernels_by_its_exact_name(string kernel, bool valid)
    {
        AssertErrors(
            Valid with { ResampleKernel = kernel },
            valid ? [] : [$"Expected nearest, linear, cubic, mitchell, lanczos2 or lanczos3 for ResampleKernel but received \"{kernel}\""]);
    }

    [Theory]
    [InlineData("convert", true)]
    [InlineData("embed", true)]
    [InlineData("Embed", false)]
    [InlineData("srgb", false)]
    public void Colour_is_convert_or_embed(string colour, bool valid)
    {
        AssertErrors(Valid with { Colour = colour }, valid ? [] : [$"Expected convert or embed for Colour but received \"{colour}\""]);
        if (valid)
        {
            Assert.Equal(colour, (Valid with { Colour = colour }).PipelineSettings().Render.Colour.Name());
        }
    }

    [Theory]
    [InlineData(-1, false)]
    [InlineData(0, true)]
    [InlineData(31_536_000, true)]
    public void CacheMaxAgeSeconds_may_be_zero_but_not_negative(int seconds, bool valid)
    {
        AssertErrors(Valid with { CacheMaxAgeSeconds = seconds }, valid ? [] : [$"Expected 0 or more for CacheMaxAgeSeconds but received {seconds}"]);
    }

    [Theory]
    [InlineData(-5, false)]
    [InlineData(0, false)]
    [InlineData(1, true)]
    [InlineData(100, true)]
    [InlineData(101, false)]
    public void JpegQuality_is_1_to_100(int quality, bool valid)
    {
        AssertErrors(Valid with { JpegQuality = quality }, valid ? [] : [$"Expected 1..100 for JpegQuality but received {quality}"]);
    }

    [Theory]
    [InlineData(0, 0, true)]
    [InlineData(-1, 2048, false)]
    [InlineData(64, -1, false)]
    [InlineData(-1, -1, false)]
    public void Cache_sizes_may_be_zero_but_not_negative_and_are_reported_together(int memory, int disk, bool valid)
    {
        AssertErrors(
            Valid with { MemoryCacheMegabytes = memory, DiskCacheMegabytes = disk },
            valid ? [] : [$"Expected 0 or more MiB for MemoryCacheMegabytes and DiskCacheMegabytes but received {memory} and {disk}"]);
    }

    [Theory]
    [InlineData(null, true)]
    [InlineData("", false)]
    [InlineData("0123456789abcde", false)]
    [InlineData("0123456789abcdef", true)]
    public void An_AdminToken_has_at_least_16_characters(string? token, bool valid)
    {
        AssertErrors(Valid with { AdminToken = token }, valid ? [] : ["Expected an AdminToken of at least 16 characters (it guards the purge endpoint)"]);
    }

    [Theory]
    [InlineData(null, true)]
    [InlineData(0, false)]
    [InlineData(1, true)]
    [InlineData(9090, true)]
    [InlineData(65535, true)]
    [InlineData(65536, false)]
    public void A_MetricsPort_is_a_TCP_port(int? port, bool valid)
    {
        AssertErrors(Valid with { MetricsPort = port }, valid ? [] : [$"Expected 1..65535 for MetricsPort (--metrics-port) but received {port}"]);
    }

    [Fact]
    public void The_admin_token_is_never_echoed_in_its_error()
    {
        const string Secret = "short-secret";

        Assert.DoesNotContain((Valid with { AdminToken = Secret }).Validate(), e => e.Contains(Secret, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("", "")]
    [InlineData("webp,jpg", "")]
    [InlineData("jpg,png,webp,tif,gif,jp2,avif", "")]
    [InlineData("bmp", "bmp")]
    [InlineData("webp,jpeg,tiff,JPG", "jpeg,tiff,JPG")]
    public void PreferredFormats_are_image_api_extensions_and_each_stranger_is_named(string formats, string refused)
    {
        AssertErrors(
            Valid with { PreferredFormats = formats.Split(',', StringSplitOptions.RemoveEmptyEntries) },
            [.. refused.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(f => $"Expected one of jpg, png, webp, tif, gif, jp2, avif in PreferredFormats but received \"{f}\"")]);
    }

    [Fact]
    public void Every_problem_is_reported_at_once_in_the_order_of_the_options()
    {
        var options = new TesseraServerOptions
        {
            Root = string.Empty,
            BaseUrl = "ftp://x",
            MaxWidth = 0,
            MaxHeight = -1,
            MaxArea = 0,
            ResampleKernel = "sinc",
            CacheMaxAgeSeconds = -1,
            JpegQuality = 101,
            MemoryCacheMegabytes = -1,
            AdminToken = "short",
            PreferredFormats = ["bmp", "svg"],
        };

        AssertErrors(
            options,
            "Expected a folder for Root (--root) but received nothing",
            "Expected an absolute http(s) URL for BaseUrl (--base-url) but received \"ftp://x\"",
            "Expected a positive integer for MaxWidth but received 0",
            "Expected a positive integer for MaxHeight but received -1",
            "Expected a positive integer for MaxArea but received 0",
            "Expected nearest, linear, cubic, mitchell, lanczos2 or lanczos3 for ResampleKernel but received \"sinc\"",
            "Expected 0 or more for CacheMaxAgeSeconds but received -1",
            "Expected 1..100 for JpegQuality but received 101",
            "Expected 0 or more MiB for MemoryCacheMegabytes and DiskCacheMegabytes but received -1 and 2048",
            "Expected an AdminToken of at least 16 characters (it guards the purge endpoint)",
            "Expected one of jpg, png, webp, tif, gif, jp2, avif in PreferredFormats but received \"bmp\"",
            "Expected one of jpg, png, webp, tif, gif, jp2, avif in PreferredFormats but received \"svg\"");
    }

    [Fact]
    public void The_render_budget_settings_are_refused_below_their_ranges_each_by_name()
    {
        AssertErrors(Valid with { RenderTimeoutSeconds = -1 }, "Expected 0 (no limit) or more seconds for RenderTimeoutSeconds but received -1");
        AssertErrors(Valid with { ExpensiveRenderPixels = 0 }, "Expected 1 or more pixels for ExpensiveRenderPixels but received 0");
        AssertErrors(Valid with { RenderQueueLength = -1 }, "Expected 0 or more for RenderQueueLength but received -1");
        AssertErrors(Valid with { ExpensiveRenderQueueLength = -2 }, "Expected 0 or more for ExpensiveRenderQueueLength but received -2");
        Assert.Empty((Valid with { RenderTimeoutSeconds = 0, RenderQueueLength = 0, ExpensiveRenderQueueLength = 0, ExpensiveRenderPixels = 1 }).Validate());
    }

    [Fact]
    public void The_render_budget_reaches_the_pipeline_and_0_seconds_means_no_limit()
    {
        var budget = (Valid with { RenderTimeoutSeconds = 12, RenderQueueLength = 5, ExpensiveRenderQueueLength = 2, ExpensiveRenderPixels = 1000 }).PipelineSettings().Budget;

        Assert.Equal((TimeSpan.FromSeconds(12), 5, 2, 1000L), (budget.Timeout, budget.QueueLength, budget.ExpensiveQueueLength, budget.ExpensivePixels));
        Assert.False((Valid with { RenderTimeoutSeconds = 0 }).PipelineSettings().Budget.HasTimeout);
        Assert.True(Valid.PipelineSettings().Budget.HasTimeout);
    }

    private static void AssertErrors(TesseraServerOptions options, params string[] expected) => Assert.Equal(expected, options.Validate());
}
