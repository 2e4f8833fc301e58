using Tessera.Core.Iiif;

namespace Tessera.Core.Tests.Iiif;

public class SizeSpecTests
{
    [Theory]
    [InlineData("max", SizeKind.Max, 0, 0, 0, false)]
    [InlineData("^max", SizeKind.Max, 0, 0, 0, true)]
    [InlineData("150,", SizeKind.Width, 150, 0, 0, false)]
    [InlineData("^360,", SizeKind.Width, 360, 0, 0, true)]
    [InlineData(",150", SizeKind.Height, 0, 150, 0, false)]
    [InlineData("^,240", SizeKind.Height, 0, 240, 0, true)]
    [InlineData("pct:50", SizeKind.Percent, 0, 0, 50, false)]
    [InlineData("pct:100", SizeKind.Percent, 0, 0, 100, false)]
    [InlineData("pct:0.5", SizeKind.Percent, 0, 0, 0.5, false)]
    [InlineData("^pct:120", SizeKind.Percent, 0, 0, 120, true)]
    [InlineData("225,100", SizeKind.Exact, 225, 100, 0, false)]
    [InlineData("^360,360", SizeKind.Exact, 360, 360, 0, true)]
    [InlineData("!225,100", SizeKind.BestFit, 225, 100, 0, false)]
    [InlineData("^!360,360", SizeKind.BestFit, 360, 360, 0, true)]
    public void Every_3_0_form_parses(string text, SizeKind kind, int w, int h, double pct, bool upscale)
    {
        Assert.Equal(new SizeSpec(kind, w, h, pct, upscale), SizeSpec.Parse(ApiVersion.V3, text).Value);
    }

    [Theory]
    [InlineData("full", SizeKind.Full, 0, 0, 0)]
    [InlineData("max", SizeKind.Max, 0, 0, 0)]
    [InlineData("150,", SizeKind.Width, 150, 0, 0)]
    [InlineData(",150", SizeKind.Height, 0, 150, 0)]
    [InlineData("pct:50", SizeKind.Percent, 0, 0, 50)]
    [InlineData("pct:120", SizeKind.Percent, 0, 0, 120)]
    [InlineData("225,100", SizeKind.Exact, 225, 100, 0)]
    [InlineData("!225,100", SizeKind.BestFit, 225, 100, 0)]
    public void Every_2_1_form_parses(string text, SizeKind kind, int w, int h, double pct)
    {
        Assert.Equal(new SizeSpec(kind, w, h, pct, false), SizeSpec.Parse(ApiVersion.V2, text).Value);
    }

    [Theory]
    [InlineData("full")] // 3.0 replaced full with max
    [InlineData("pct:101")] // "The value of n MUST NOT be greater than 100"
    [InlineData(",^240")] // the spec's example table has this typo; the syntax is ^,h
    [InlineData("^^max")]
    [InlineData("!^10,10")]
    [InlineData("^")]
    [InlineData("^full")]
    [InlineData("!10,")]
    [InlineData("!,10")]
    public void Forms_3_0_does_not_have_are_a_400(string text)
    {
        AssertBadSize(SizeSpec.Parse(ApiVersion.V3, text));
    }

    [Theory]
    [InlineData("^max")]
    [InlineData("^100,")]
    [InlineData("^pct:50")]
    [InlineData("^!10,10")]
    public void The_caret_is_a_400_in_2_1(string text)
    {
        AssertBadSize(SizeSpec.Parse(ApiVersion.V2, text));
    }

    [Theory]
    [InlineData("")]
    [InlineData(null)]
    [InlineData(",")]
    [InlineData("!,")]
    [InlineData("Max")]
    [InlineData("10")]
    [InlineData("10,10,10")]
    [InlineData("-10,")]
    [InlineData("+10,")]
    [InlineData("10.5,")]
    [InlineData("1e3,")]
    [InlineData(" 10,")]
    [InlineData("99999999999,")]
    [InlineData("pct:")]
    [InlineData("pct:-5")]
    [InlineData("pct:NaN")]
    [InlineData("pct:1e2")]
    [InlineData("0,")]
    [InlineData(",0")]
    [InlineData("0,10")]
    [InlineData("!10,0")]
    [InlineData("pct:0")]
    [InlineData("pct:0.0")]
    public void Malformed_and_zero_sizes_are_a_400_in_both_versions(string? text)
    {
        AssertBadSize(SizeSpec.Parse(ApiVersion.V3, text));
        AssertBadSize(SizeSpec.Parse(ApiVersion.V2, text));
    }

    [Fact]
    public void Parsed_sizes_print_back_as_written()
    {
        foreach (var text in new[] { "max", "^max", "150,", "^,240", "pct:50", "^pct:120.5", "225,100", "^!360,360" })
        {
            Assert.Equal(text, SizeSpec.Parse(ApiVersion.V3, text).Value.ToString());
        }
    }

    private static void AssertBadSize(Outcome<SizeSpec> outcome)
    {
        Assert.False(outcome.IsSuccess);
        Assert.Equal(400, outcome.Error.Status);
        Assert.Equal("size", outcome.Error.Parameter);
        Assert.Contains("for size but received", outcome.Error.Message, StringComparison.Ordinal);
    }
}
