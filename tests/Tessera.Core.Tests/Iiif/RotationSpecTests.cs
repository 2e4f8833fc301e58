using Tessera.Core.Iiif;

namespace Tessera.Core.Tests.Iiif;

public class RotationSpecTests
{
    [Theory]
    [InlineData("0", 0, false)]
    [InlineData("90", 90, false)]
    [InlineData("180", 180, false)]
    [InlineData("270", 270, false)]
    [InlineData("22.5", 22.5, false)]
    [InlineData("!0", 0, true)]
    [InlineData("!180", 180, true)]
    [InlineData("!345", 345, true)]
    [InlineData("360", 360, false)]
    [InlineData("0.9", 0.9, false)]
    [InlineData("090", 90, false)]
    public void The_spec_examples_parse(string text, double degrees, bool mirrored)
    {
        Assert.Equal(new RotationSpec(degrees, mirrored), RotationSpec.Parse(text).Value);
    }

    [Theory]
    [InlineData("")]
    [InlineData(null)]
    [InlineData("!")]
    [InlineData("!!90")]
    [InlineData("-90")]
    [InlineData("+90")]
    [InlineData("360.5")]
    [InlineData("361")]
    [InlineData("abc")]
    [InlineData("90!")]
    [InlineData("1e2")]
    [InlineData("NaN")]
    [InlineData("Infinity")]
    [InlineData(" 90")]
    [InlineData("9,0")]
    [InlineData("99999999999999999999999999999999999999")]
    public void Out_of_range_or_malformed_rotations_are_a_400(string? text)
    {
        var outcome = RotationSpec.Parse(text);
        Assert.False(outcome.IsSuccess);
        Assert.Equal(400, outcome.Error.Status);
        Assert.Equal("rotation", outcome.Error.Parameter);
    }

    [Fact]
    public void The_error_message_follows_the_house_template()
    {
        Assert.Equal("Expected 0..360 or !n for rotation but received \"abc\"", RotationSpec.Parse("abc").Error!.Message);
    }

    [Theory]
    [InlineData("360", "0")]
    [InlineData("!360", "!0")]
    [InlineData("90.0", "90")]
    [InlineData("22.50", "22.5")]
    [InlineData(".5", "0.5")]
    public void The_canonical_form_is_an_integer_when_possible_and_360_is_0(string text, string canonical)
    {
        Assert.Equal(canonical, RotationSpec.Parse(text).Value.ToString());
    }
}
