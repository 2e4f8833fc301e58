using Tessera.Vips;

namespace Tessera.Imaging.Rendering;

/// <summary>
/// The means to stop one render from outside it (the pipeline's watchdog, or the request going away): the
/// managed loops poll <see cref="Token"/> between units of work (strips, tiles); libvips computations are stopped
/// through the images the render made for itself (<see cref="Watch"/>), each killed (<see cref="VipsImage.Kill"/>) so
/// that the next region libvips prepares of it fails. Shared images (an opened level kept for other requests) are never
/// watched: killing them would fail someone else's render.
/// </summary>
public sealed class RenderControl : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly List<VipsImage> _images = [];
    private readonly CancellationTokenRegistration _request;
    private int _reason;

    /// <param name="deadline">When the render must be done, on <see cref="Environment.TickCount64"/>'s clock; <see cref="long.MaxValue"/> for never.</param>
    /// <param name="request">The request's token: cancelled when its client goes away, which stops the render at once.</param>
    public RenderControl(long deadline = long.MaxValue, CancellationToken request = default)
    {
        Deadline = deadline;
        _request = request.UnsafeRegister(static state => ((RenderControl)state!).Stop(RenderStop.Abandoned), this);
    }

    /// <summary>Cancelled once the render is stopped.</summary>
    public CancellationToken Token => _stop.Token;

    /// <summary>When the render must be done (<see cref="Environment.TickCount64"/>), <see cref="long.MaxValue"/> for never.</summary>
    public long Deadline { get; }

    /// <summary>Why the render was stopped, or <see cref="RenderStop.None"/>.</summary>
    public RenderStop Reason => (RenderStop)Volatile.Read(ref _reason);

    public bool IsStopped => Reason != RenderStop.None;

    /// <summary>
    /// Takes <paramref name="image"/> (made by this render alone) as a way to stop it: killed now if the render is already
    /// stopped, else when it is. The caller still owns and disposes the image.
    /// </summary>
    public void Watch(VipsImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        lock (_images)
        {
            _images.Add(image);
        }

        if (IsStopped)
        {
            image.Kill();
        }
    }

    /// <summary>Throws <see cref="OperationCanceledException"/> once the render is stopped: for the managed loops, between units of work.</summary>
    public void ThrowIfStopped() => _stop.Token.ThrowIfCancellationRequested();

    /// <summary>Stops the render for <paramref name="reason"/> (the first reason given is kept): from any thread.</summary>
    public void Stop(RenderStop reason)
    {
        if (reason == RenderStop.None || Interlocked.CompareExchange(ref _reason, (int)reason, (int)RenderStop.None) != (int)RenderStop.None)
        {
            return;
        }

        VipsImage[] images;
        lock (_images)
        {
            images = [.. _images];
        }

        // Kill first, so that a libvips computation under way fails at its next region; then wake the managed loops.
        foreach (var image in images)
        {
            image.Kill();
        }

        try
        {
            _stop.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // Stopped as it ended: nothing to wake.
        }
    }

    public void Dispose()
    {
        _request.Dispose();
        lock (_images)
        {
            _images.Clear();
        }

        _stop.Dispose();
    }
}
