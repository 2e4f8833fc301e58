using Tessera.Core.Iiif;

namespace Tessera.Core.Tests.Iiif;

public class ImageRequestParserTests
{
    [Theory]
    [InlineData("full", "max", "0", "default.jpg")]
    [InlineData("0,10,100,200", "pct:50", "90", "default.png")]
    [InlineData("pct:10,10,80,80", "50,", "22.5", "color.jpg")]
    [InlineData("full", "max", "270", "gray.jpg")]
    [InlineData("125,15,120,140", "90,", "!345", "gray.jpg")]
    [InlineData("full", "max", "0", "bitonal.webp")]
    [InlineData("full", "max", "0", "default.avif")]
    public void The_3_0_spec_examples_parse(string region, string size, string rotation, string qualityAndFormat)
    {
        var request = ImageRequestParser.Parse(ApiVersion.V3, "id1", region, size, rotation, qualityAndFormat).Value;
        Assert.Equal($"{region}/{size}/{rotation}/{qualityAndFormat}", request.ToString());
    }

    [Theory]
    [InlineData("full", "full", "0", "default.jpg")]
    [InlineData("square", "full", "0", "default.jpg")]
    [InlineData("pct:41.6,7.5,40,70", "full", "0", "default.jpg")]
    [InlineData("full", "!225,100", "0", "default.jpg")]
    [InlineData("full", "full", "!180", "bitonal.tif")]
    [InlineData("full", "full", "0", "color.gif")]
    [InlineData("full", "full", "0", "gray.jp2")]
    public void The_2_1_spec_examples_parse(string region, string size, string rotation, string qualityAndFormat)
    {
        var request = ImageRequestParser.Parse(ApiVersion.V2, "id1", region, size, rotation, qualityAndFormat).Value;
        Assert.Equal($"{region}/{size}/{rotation}/{qualityAndFormat}", request.ToString());
    }

    [Theory]
    [InlineData("grey.jpg", "quality")]
    [InlineData("native.jpg", "quality")]
    [InlineData("Default.jpg", "quality")]
    [InlineData(".jpg", "quality")]
    [InlineData("default", "format")]
    [InlineData("default.", "format")]
    [InlineData("default.jpeg", "format")]
    [InlineData("default.JPG", "format")]
    [InlineData("default.svg", "format")]
    [InlineData("default.bmp", "format")]
    [InlineData("default.jpg.png", "quality")]
    [InlineData("", "quality")]
    public void Unknown_qualities_and_formats_are_a_400_naming_the_component(string qualityAndFormat, string parameter)
    {
        foreach (var version in new[] { ApiVersion.V2, ApiVersion.V3 })
        {
            var error = ImageRequestParser.Parse(version, "id", "full", "max", "0", qualityAndFormat).Error;
            Assert.NotNull(error);
            Assert.Equal(400, error.Status);
            Assert.Equal(parameter, error.Parameter);
        }
    }

    [Fact]
    public void The_first_bad_component_is_the_one_reported()
    {
        var error = ImageRequestParser.Parse(ApiVersion.V3, "id", "bad", "bad", "bad", "bad").Error!;
        Assert.Equal("region", error.Parameter);
        error = ImageRequestParser.Parse(ApiVersion.V3, "id", "full", "bad", "bad", "bad").Error!;
        Assert.Equal("size", error.Parameter);
        error = ImageRequestParser.Parse(ApiVersion.V3, "id", "full", "max", "bad", "bad").Error!;
        Assert.Equal("rotation", error.Parameter);
    }

    [Fact]
    public void An_empty_identifier_is_a_400()
    {
        Assert.Equal("identifier", ImageRequestParser.Parse(ApiVersion.V3, "", "full", "max", "0", "default.jpg").Error!.Parameter);
    }

    [Fact]
    public void Random_strings_never_throw_and_random_components_are_400s_like_the_validator_expects()
    {
        // The validator sends random characters from chr(48..122) for one component and expects 400.
        var random = new Random(20240601);
        for (var i = 0; i < 5000; i++)
        {
            var version = i % 2 == 0 ? ApiVersion.V2 : ApiVersion.V3;
            var parts = new[] { "full", version == ApiVersion.V2 ? "full" : "max", "0", "default.jpg" };
            var slot = random.Next(4);
            var length = slot == 3 ? 3 : random.Next(1, 9);
            var garbage = new string(Enumerable.Range(0, length).Select(_ => (char)random.Next(48, 123)).ToArray())
                .Replace('?', '$').Replace('#', '$').Replace('/', '$');
            parts[slot] = slot == 3 ? "default." + garbage : garbage;
            var outcome = ImageRequestParser.Parse(version, "id", parts[0], parts[1], parts[2], parts[3]);
            if (!outcome.IsSuccess)
            {
                Assert.Equal(400, outcome.Error.Status);
            }

            var wild = new string(Enumerable.Range(0, random.Next(0, 20)).Select(_ => (char)random.Next(0, 0x3000)).ToArray());
            _ = ImageRequestParser.Parse(version, "id", wild, wild, wild, wild);
            _ = ImageRequestParser.Parse(version, "id", "pct:" + wild, "^!" + wild, "!" + wild, wild + "." + wild);
        }
    }
}
