namespace Tessera.Imaging.Rendering;

/// <summary>
/// The one place a <see cref="ResampleKernel"/> becomes text and back: the lower-case words settings and flags use
/// (<c>lanczos3</c>, the words Tessera has always accepted), and libvips' nicks, used only where libvips is called.
/// </summary>
public static class ResampleKernels
{
    /// <summary>The kernel used unless configured otherwise.</summary>
    public const ResampleKernel Default = ResampleKernel.Lanczos3;

    /// <summary>The accepted words, for error messages: <c>nearest, linear, cubic, mitchell, lanczos2 or lanczos3</c>.</summary>
    public const string Expected = "nearest, linear, cubic, mitchell, lanczos2 or lanczos3";

    /// <summary>Parses the lower-case word of a kernel (exactly as settings and flags write it).</summary>
    public static bool TryParse(string? text, out ResampleKernel kernel)
    {
        (var known, kernel) = text switch
        {
            "nearest" => (true, ResampleKernel.Nearest),
            "linear" => (true, ResampleKernel.Linear),
            "cubic" => (true, ResampleKernel.Cubic),
            "mitchell" => (true, ResampleKernel.Mitchell),
            "lanczos2" => (true, ResampleKernel.Lanczos2),
            "lanczos3" => (true, ResampleKernel.Lanczos3),
            _ => (false, Default),
        };
        return known;
    }

    /// <summary>The kernel named <paramref name="text"/>.</summary>
    /// <param name="text">The lower-case word.</param>
    /// <param name="name">What the word was given as, for the message (<c>ResampleKernel</c>, <c>--kernel</c>).</param>
    /// <exception cref="ArgumentException">The word is not one of <see cref="Expected"/>.</exception>
    public static ResampleKernel Parse(string? text, string name) =>
        TryParse(text, out var kernel) ? kernel : throw new ArgumentException(Problem(text, name), nameof(text));

    /// <summary>The house message for a word that names no kernel.</summary>
    public static string Problem(string? text, string name) => $"Expected {Expected} for {name} but received \"{text}\"";

    /// <summary>The lower-case word of a kernel, as settings and flags write it.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not a defined kernel.</exception>
    public static string Name(this ResampleKernel kernel) => kernel switch
    {
        ResampleKernel.Nearest => "nearest",
        ResampleKernel.Linear => "linear",
        ResampleKernel.Cubic => "cubic",
        ResampleKernel.Mitchell => "mitchell",
        ResampleKernel.Lanczos2 => "lanczos2",
        ResampleKernel.Lanczos3 => "lanczos3",
        _ => throw new ArgumentOutOfRangeException(nameof(kernel), kernel, $"Expected a defined ResampleKernel but received {(int)kernel}"),
    };

    /// <summary>
    /// libvips' nick of the kernel (its <c>VipsKernel</c> enum), for <c>resize</c>. The words coincide with
    /// <see cref="Name"/> today; this is the libvips contract, that one is Tessera's.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not a defined kernel.</exception>
    public static string VipsNick(this ResampleKernel kernel) => kernel switch
    {
        ResampleKernel.Nearest => "nearest",
        ResampleKernel.Linear => "linear",
        ResampleKernel.Cubic => "cubic",
        ResampleKernel.Mitchell => "mitchell",
        ResampleKernel.Lanczos2 => "lanczos2",
        ResampleKernel.Lanczos3 => "lanczos3",
        _ => throw new ArgumentOutOfRangeException(nameof(kernel), kernel, $"Expected a defined ResampleKernel but received {(int)kernel}"),
    };
}
