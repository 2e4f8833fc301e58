using Tessera.Core.Iiif;

namespace Tessera.Core.Tests.Iiif;

public class RegionSpecTests
{
    [Theory]
    [InlineData("full", RegionKind.Full, 0, 0, 0, 0)]
    [InlineData("square", RegionKind.Square, 0, 0, 0, 0)]
    [InlineData("125,15,120,140", RegionKind.Pixels, 125, 15, 120, 140)]
    [InlineData("0,0,1,1", RegionKind.Pixels, 0, 0, 1, 1)]
    [InlineData("pct:41.6,7.5,40,70", RegionKind.Percent, 41.6, 7.5, 40, 70)]
    [InlineData("pct:41.6,7.5,66.6,100", RegionKind.Percent, 41.6, 7.5, 66.6, 100)]
    [InlineData("pct:0.5,.5,5.,10", RegionKind.Percent, 0.5, 0.5, 5, 10)]
    [InlineData("007,0,10,10", RegionKind.Pixels, 7, 0, 10, 10)]
    public void The_spec_examples_parse(string text, RegionKind kind, double x, double y, double w, double h)
    {
        var region = RegionSpec.Parse(text).Value;
        Assert.Equal(new RegionSpec(kind, x, y, w, h), region);
    }

    [Theory]
    [InlineData("")]
    [InlineData(null)]
    [InlineData("Full")]
    [InlineData("fullx")]
    [InlineData("1,2,3")]
    [InlineData("1,2,3,4,5")]
    [InlineData("-1,0,10,10")]
    [InlineData("+1,0,10,10")]
    [InlineData("1.5,0,10,10")]
    [InlineData("1e2,0,10,10")]
    [InlineData(" 1,0,10,10")]
    [InlineData("1,0,10,10 ")]
    [InlineData("1,,10,10")]
    [InlineData("99999999999,0,10,10")]
    [InlineData("pct:1,2,3")]
    [InlineData("pct:-1,2,3,4")]
    [InlineData("pct:1,2,NaN,4")]
    [InlineData("pct:1,2,Infinity,4")]
    [InlineData("pct:1,2,1e2,4")]
    [InlineData("pct:1,2,.,4")]
    [InlineData("pct:1,2,1..2,4")]
    [InlineData("PCT:1,2,3,4")]
    [InlineData("pct:")]
    [InlineData("0,0,0,10")]
    [InlineData("0,0,10,0")]
    [InlineData("pct:0,0,0,10")]
    [InlineData("pct:0,0,10,0.0")]
    public void Malformed_or_empty_regions_are_a_400_naming_the_region(string? text)
    {
        var outcome = RegionSpec.Parse(text);
        Assert.False(outcome.IsSuccess);
        Assert.Equal(400, outcome.Error.Status);
        Assert.Equal("region", outcome.Error.Parameter);
        Assert.Contains("for region but received", outcome.Error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_error_message_says_what_was_expected_and_what_came()
    {
        var error = RegionSpec.Parse("abc").Error!;
        Assert.Equal("Expected full, square, x,y,w,h or pct:x,y,w,h for region but received \"abc\"", error.Message);
    }
}
