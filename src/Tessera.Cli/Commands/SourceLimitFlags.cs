using System.CommandLine;
using Tessera.Imaging.Sources;

namespace Tessera.Cli.Commands;

/// <summary>
/// The source limit flags of <c>seed</c> and <c>process</c>, with the server's defaults and names (a refusal's message
/// names the flag): a master over a limit is reported with the reason and the batch goes on.
/// </summary>
internal sealed class SourceLimitFlags
{
    public Option<long> MaxSourcePixels { get; } = new("--max-source-pixels")
    {
        Description = "Most pixels a source may declare; one over it is reported and the rest go on.",
        DefaultValueFactory = _ => SourceLimits.Default.MaxSourcePixels,
    };

    public Option<int> MaxDecodeMegabytes { get; } = new("--max-decode-megabytes")
    {
        Description = "Most MiB a source's decoder may need at once by its header (a progressive JPEG, interlaced PNG or GIF is decoded whole).",
        DefaultValueFactory = _ => SourceLimits.Default.MaxDecodeMegabytes,
    };

    public Option<long> MaxStreamedPixels { get; } = new("--max-streamed-pixels")
    {
        Description = "Most pixels one image may decode from a sequential source (baseline JPEG, PNG, strip TIFF: every row down to the region's bottom).",
        DefaultValueFactory = _ => SourceLimits.Default.MaxStreamedPixels,
    };

    /// <summary>Adds the three flags to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        command.Options.Add(MaxSourcePixels);
        command.Options.Add(MaxDecodeMegabytes);
        command.Options.Add(MaxStreamedPixels);
    }

    /// <summary>The limits the flags give (validated by the options record that carries them).</summary>
    public SourceLimits Read(ParseResult result) => new()
    {
        MaxSourcePixels = result.GetValue(MaxSourcePixels),
        MaxDecodeMegabytes = result.GetValue(MaxDecodeMegabytes),
        MaxStreamedPixels = result.GetValue(MaxStreamedPixels),
    };
}
