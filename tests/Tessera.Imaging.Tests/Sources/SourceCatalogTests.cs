using Tessera.Imaging.Caching;
using Tessera.Imaging.Sources;
using Tessera.Testing;

namespace Tessera.Imaging.Tests.Sources;

/// <summary>Facts bound to one version of a file; a file being written is "try again", a damaged one "could not be read".</summary>
public sealed class SourceCatalogTests : IDisposable
{
    private readonly MasterFixtures _fixtures = new("tessera-catalog-");

    [Fact]
    public void A_damaged_file_that_nothing_writes_is_unreadable_even_just_after_it_was_written()
    {
        File.WriteAllText(Path.Combine(_fixtures.Root, "fake.jpg"), "not a JPEG\n");
        var catalog = new SourceCatalog(new FileSystemSourceResolver(_fixtures.Root));

        Assert.False(catalog.Describe("fake.jpg").TryGetValue(out _, out var error));

        Assert.Equal(500, error.Status);
        Assert.Contains("could not be read", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_file_being_written_while_it_is_read_is_its_new_facts_or_a_503_to_try_again_never_a_500()
    {
        var photo = File.ReadAllBytes(_fixtures.Photo("photo.jpg", 800));
        var path = Path.Combine(_fixtures.Root, "growing.jpg");
        using var stop = new CancellationTokenSource();
        var writer = Task.Factory.StartNew(() =>
        {
            // A copy in place that never ends: truncated, then written a little at a time, over and over.
            while (!stop.IsCancellationRequested)
            {
                using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
                for (var offset = 0; offset < photo.Length / 2 && !stop.IsCancellationRequested; offset += 4096)
                {
                    stream.Write(photo, offset, 4096);
                    stream.Flush();
                    Thread.Sleep(2);
                }
            }
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        var catalog = new SourceCatalog(new FileSystemSourceResolver(_fixtures.Root));
        try
        {
            SpinWait.SpinUntil(() => File.Exists(path));
            for (var i = 0; i < 20; i++)
            {
                // The header may be whole (then its facts are the new version's), else it is "try again".
                if (catalog.Describe("growing.jpg").TryGetValue(out var description, out var error))
                {
                    Assert.Equal(800, description.Info.Width);
                }
                else
                {
                    Assert.True(SourceCatalog.IsChanging(error), error.ToString());
                    Assert.Equal(503, error.Status);
                }
            }
        }
        finally
        {
            await stop.CancelAsync();
            await writer;
        }
    }

    [Fact]
    public void A_handle_is_kept_only_for_the_version_it_opened()
    {
        _fixtures.Photo("photo.jpg", 64);
        var resolver = new FileSystemSourceResolver(_fixtures.Root);
        Assert.True(resolver.Resolve("photo.jpg").TryGetValue(out var before, out _));
        var path = Path.Combine(_fixtures.Root, "photo.jpg");
        File.Copy(path, path + ".new");
        File.Move(path + ".new", path, overwrite: true);
        var files = new OpenFileCache();

        Assert.Throws<IOException>(() => files.Open(before));
        Assert.True(resolver.Resolve("photo.jpg").TryGetValue(out var after, out _));
        Assert.False(files.Open(after).IsInvalid);
    }

    public void Dispose() => _fixtures.Dispose();
}
