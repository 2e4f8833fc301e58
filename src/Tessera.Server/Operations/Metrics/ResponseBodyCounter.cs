using System.IO.Pipelines;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Tessera.Server.Operations.Metrics;

/// <summary>
/// Counts the body bytes a request's answer hands to the server, however it writes them (<c>Response.Body</c>,
/// <c>Response.BodyWriter</c>, <c>SendFileAsync</c>), for answers whose length is not declared up front (JSON written as
/// it is serialised, chunked pages, anything streamed). Installed in place of the server's
/// <see cref="IHttpResponseBodyFeature"/> for the request and taken out again by <see cref="Remove"/>; every call is passed
/// straight through, so buffering, flushing and completion are the server's own.
/// </summary>
/// <remarks>
/// Not installed for the routes whose answers are whole buffers with a <c>Content-Length</c> (see
/// <see cref="RequestCounting"/>): a stored tile, thousands a second, is counted from its declared length and spared
/// these three objects and the extra call on each write.
/// </remarks>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "The counting stream holds nothing of its own: disposing it (as a StreamWriter does) leaves the server's stream, which the server owns, open.")]
internal sealed class ResponseBodyCounter : IHttpResponseBodyFeature
{
    private readonly HttpContext _context;
    private readonly IHttpResponseBodyFeature _inner;
    private readonly CountingStream _stream;
    private readonly CountingWriter _writer;
    private long _bytes;

    private ResponseBodyCounter(HttpContext context, IHttpResponseBodyFeature inner)
    {
        _context = context;
        _inner = inner;
        _stream = new CountingStream(this, inner.Stream);
        _writer = new CountingWriter(this, inner.Writer);
    }

    /// <summary>Body bytes written so far.</summary>
    public long Bytes => _bytes;

    public Stream Stream => _stream;

    public PipeWriter Writer => _writer;

    /// <summary>Puts a counter in front of the request's response body; null when the request has none to count.</summary>
    public static ResponseBodyCounter? Install(HttpContext context)
    {
        if (context.Features.Get<IHttpResponseBodyFeature>() is not { } inner)
        {
            return null;
        }

        var counter = new ResponseBodyCounter(context, inner);
        context.Features.Set<IHttpResponseBodyFeature>(counter);
        return counter;
    }

    /// <summary>Gives the request its own body feature back (what ran after this middleware is done with it).</summary>
    public void Remove()
    {
        if (ReferenceEquals(_context.Features.Get<IHttpResponseBodyFeature>(), this))
        {
            _context.Features.Set(_inner);
        }
    }

    public void DisableBuffering() => _inner.DisableBuffering();

    public Task StartAsync(CancellationToken cancellationToken = default) => _inner.StartAsync(cancellationToken);

    public Task CompleteAsync() => _inner.CompleteAsync();

    public async Task SendFileAsync(string path, long offset, long? count, CancellationToken cancellationToken = default)
    {
        await _inner.SendFileAsync(path, offset, count, cancellationToken).ConfigureAwait(false);
        Add(count ?? new FileInfo(path).Length - offset);
    }

    // A request's writes follow one another (the server allows one write in flight): no interlocking needed.
    private void Add(long bytes) => _bytes += bytes;

    /// <summary>The server's body stream, counting what goes through it.</summary>
    private sealed class CountingStream(ResponseBodyCounter counter, Stream inner) : Stream
    {
        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => inner.CanWrite;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override void Flush() => inner.Flush();

        public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count)
        {
            inner.Write(buffer, offset, count);
            counter.Add(count);
        }

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            inner.Write(buffer);
            counter.Add(buffer.Length);
        }

        public override void WriteByte(byte value)
        {
            inner.WriteByte(value);
            counter.Add(1);
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            await inner.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
            counter.Add(buffer.Length);
        }
    }

    /// <summary>The server's body writer, counting what is advanced or written through it.</summary>
    private sealed class CountingWriter(ResponseBodyCounter counter, PipeWriter inner) : PipeWriter
    {
        public override bool CanGetUnflushedBytes => inner.CanGetUnflushedBytes;

        public override long UnflushedBytes => inner.UnflushedBytes;

        public override void Advance(int bytes)
        {
            inner.Advance(bytes);
            counter.Add(bytes);
        }

        public override Memory<byte> GetMemory(int sizeHint = 0) => inner.GetMemory(sizeHint);

        public override Span<byte> GetSpan(int sizeHint = 0) => inner.GetSpan(sizeHint);

        public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default) => inner.FlushAsync(cancellationToken);

        public override void CancelPendingFlush() => inner.CancelPendingFlush();

        public override void Complete(Exception? exception = null) => inner.Complete(exception);

        public override ValueTask CompleteAsync(Exception? exception = null) => inner.CompleteAsync(exception);

        public override ValueTask<FlushResult> WriteAsync(ReadOnlyMemory<byte> source, CancellationToken cancellationToken = default)
        {
            // The server's own WriteAsync copies and flushes in one step; counted here, not through Advance.
            counter.Add(source.Length);
            return inner.WriteAsync(source, cancellationToken);
        }
    }
}
