using Tessera.Imaging.Processing;

namespace Tessera.Imaging.Tests.Processing;

public sealed class InstructionSetTests
{
    [Fact]
    public void Reads_go_iiif_instructions_with_their_defaults_and_extensions()
    {
        var set = InstructionSet.Parse("""
            {
              "o": {"size": "full", "format": "", "rotation": "-1" },
              "b": {"size": "!2048,1536", "format": "jpg" },
              "d": {"size": "full", "quality": "dither", "region": "-1,-1,320,320", "format": "jpg" }
            }
            """);

        Assert.Equal(["o", "b", "d"], set.Keys);
        Assert.True(set["o"].KeepsSourceFormat);
        Assert.True(set["o"].KeepsStoredOrientation);
        Assert.Equal(new Instruction("full", "!2048,1536", "0", "default", "jpg"), set["b"]);
        Assert.True(set["d"].IsDither);
        Assert.Equal((320, 320), set["d"].SmartCrop);
        Assert.Null(set["b"].SmartCrop);
    }

    [Theory]
    [InlineData("[]", "JSON object")]
    [InlineData("{\"a\": 1}", "object for instruction \"a\"")]
    [InlineData("{\"a\": {\"size\": 5}}", "string for \"size\"")]
    [InlineData("{\"a\": {\"colour\": \"red\"}}", "received \"colour\"")]
    [InlineData("{\"a\": {\"region\": \"-1,-1,0,5\"}}", "-1,-1,w,h")]
    [InlineData("{", "not JSON")]
    public void Refuses_malformed_instructions_saying_what_was_expected(string json, string message)
    {
        var error = Assert.Throws<FormatException>(() => InstructionSet.Parse(json));
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }
}
