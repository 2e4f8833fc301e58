namespace Tessera.Vips;

/// <summary>A libvips failure, carrying the text of libvips' error buffer at the time it happened.</summary>
public sealed class VipsException : Exception
{
    public VipsException(string message)
        : base(message)
    {
    }

    public VipsException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public VipsException(string message, string nativeMessage)
        : base(string.IsNullOrWhiteSpace(nativeMessage) ? message : $"{message}: {nativeMessage.Trim()}")
    {
        NativeMessage = nativeMessage.Trim();
    }

    /// <summary>What libvips said (its error buffer), possibly empty.</summary>
    public string NativeMessage { get; } = string.Empty;
}
