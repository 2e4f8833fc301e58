using Tessera.Core.Planning;
using Tessera.Imaging.Rendering;
using Tessera.Imaging.Sources;

namespace Tessera.Imaging.Pipeline;

/// <summary>The outcome of one image request: what was planned, from which source, and the encoded image.</summary>
public sealed record ImageResult(ImagePlan Plan, SourceDescription Source, RenderedImage Image);
