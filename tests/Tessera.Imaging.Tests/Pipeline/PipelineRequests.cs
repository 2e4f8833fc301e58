using Tessera.Core.Iiif;
using Tessera.Imaging.Pipeline;

namespace Tessera.Imaging.Tests.Pipeline;

/// <summary>IIIF 3.0 requests run through a real pipeline, for tests that look at what comes back.</summary>
internal static class PipelineRequests
{
    /// <summary>The outcome of <c>{identifier}/{region}/{size}/{rotation}/default.{format}</c> (the request must parse).</summary>
    public static Task<Outcome<ImageResult>> Outcome(ImagePipeline pipeline, string identifier, string region, string size, string rotation = "0", string format = "jpg")
    {
        var request = ImageRequestParser.Parse(ApiVersion.V3, identifier, region, size, rotation, $"default.{format}");
        Assert.True(request.TryGetValue(out var parsed, out var error), error?.Message);
        return pipeline.RunAsync(parsed);
    }

    /// <summary>The image of a request that must succeed.</summary>
    public static async Task<ImageResult> Image(ImagePipeline pipeline, string identifier, string region, string size, string rotation = "0", string format = "jpg")
    {
        var outcome = await Outcome(pipeline, identifier, region, size, rotation, format);
        Assert.True(outcome.TryGetValue(out var result, out var error), error?.Message);
        return result;
    }
}
