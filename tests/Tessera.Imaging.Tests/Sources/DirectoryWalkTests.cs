using System.Diagnostics;
using Tessera.Imaging.Sources;

namespace Tessera.Imaging.Tests.Sources;

/// <summary>
/// Listings of careless and hostile layouts: links to <c>.</c>, loops of links, links out of the root, deep trees and
/// crowded folders. Each answers at once with what is inside the root, each folder listed once, and says what it left
/// out. The files are empty: a listing goes by names and never opens them.
/// </summary>
public sealed class DirectoryWalkTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("tessera-listing-").FullName;
    private readonly string _outside = Directory.CreateTempSubdirectory("tessera-listing-outside-").FullName;

    private void Touch(string relative)
    {
        var path = Path.Combine(_root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, []);
    }

    private void Link(string relative, string target) => File.CreateSymbolicLink(Path.Combine(_root, relative), target);

    private SourceListing List(ListingLimits? limits = null, CancellationToken cancellationToken = default)
    {
        var resolver = new FileSystemSourceResolver(_root) { Listing = limits ?? ListingLimits.Default };
        var clock = Stopwatch.StartNew();
        var listing = resolver.List(cancellationToken);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"The listing took {clock.Elapsed}");
        return listing;
    }

    [Fact]
    public void Two_links_to_the_folder_itself_add_nothing_and_are_reported()
    {
        Touch("a.jpg");
        Touch("sub/b.jpg");
        Link("x", ".");
        Link("y", ".");
        Link("sub/up", "..");

        var listing = List();

        Assert.Equal(["a.jpg", "sub/b.jpg"], listing);
        Assert.Null(listing.Truncated);
        Assert.Contains(listing.Skipped, s => s.StartsWith("x: ", StringComparison.Ordinal));
        Assert.Contains(listing.Skipped, s => s.StartsWith("y: ", StringComparison.Ordinal));
        Assert.Contains(listing.Skipped, s => s.StartsWith("sub/up: ", StringComparison.Ordinal));
    }

    [Fact]
    public void A_loop_of_links_and_links_to_themselves_are_skipped_not_thrown()
    {
        Touch("book/page-1.jpg");
        Link("book/a", "b");
        Link("book/b", "a");
        Link("book/self.jpg", "self.jpg");
        Link("me", "me");

        var listing = List();

        Assert.Equal(["book/page-1.jpg"], listing);
        Assert.Null(listing.Truncated);
        foreach (var name in new[] { "book/a", "book/b", "book/self.jpg", "me" })
        {
            Assert.Contains($"{name}: a loop of symbolic links", listing.Skipped);
        }
    }

    [Fact]
    public void Links_out_of_the_root_are_not_followed_however_they_are_spelt()
    {
        Touch("inside.jpg");
        File.WriteAllBytes(Path.Combine(_outside, "secret.jpg"), []);
        Directory.CreateDirectory(Path.Combine(_outside, "dir"));
        File.WriteAllBytes(Path.Combine(_outside, "dir", "hidden.jpg"), []);
        Link("dir_out", _outside);
        Link("via_dir.jpg", "dir_out/secret.jpg");
        Link("relative_out", Path.Combine("..", Path.GetFileName(_outside), "dir"));
        Link("file_out.jpg", Path.Combine(_outside, "secret.jpg"));

        var listing = List();

        Assert.Equal(["inside.jpg"], listing);
        Assert.Contains("dir_out: a link out of the root", listing.Skipped);
        Assert.Contains("via_dir.jpg: a link out of the root", listing.Skipped);
        Assert.Contains("relative_out: a link out of the root", listing.Skipped);
        Assert.Contains("file_out.jpg: a link out of the root", listing.Skipped);
    }

    [Fact]
    public void Links_inside_the_root_are_followed_and_a_folder_is_listed_under_its_own_path_first()
    {
        Touch("sub/b.jpg");
        Touch("shelf/c.jpg");
        Link("alias", "sub");
        Link("shelf/pointer.jpg", "../sub/b.jpg");
        Link("shortcut", Path.Combine(_root, "sub", "..", "shelf"));

        var listing = List();

        Assert.Equal(["shelf/c.jpg", "shelf/pointer.jpg", "sub/b.jpg"], listing);
        Assert.Contains("alias: a link to a folder already listed (a loop or an alias)", listing.Skipped);
    }

    [Fact]
    public void A_link_into_a_hidden_folder_is_followed_once()
    {
        Touch(".store/kept.jpg");
        Link("public", ".store");
        Link("again", ".store");

        var listing = List();

        Assert.Equal(["again/kept.jpg"], listing);
        Assert.Contains("public: a link to a folder already listed (a loop or an alias)", listing.Skipped);
    }

    [Fact]
    public void Folders_past_the_depth_bound_are_not_listed_and_the_listing_says_so()
    {
        var folder = string.Empty;
        for (var level = 0; level <= 40; level++)
        {
            Touch(folder + $"level-{level}.jpg");
            folder += $"d{level}/";
        }

        var listing = List(new ListingLimits { MaxDepth = 5 });

        Assert.Equal(6, listing.Count);
        Assert.Contains("d0/d1/d2/d3/d4/level-5.jpg", listing);
        Assert.Contains("ListingMaxDepth", listing.Truncated, StringComparison.Ordinal);
        Assert.Null(List(new ListingLimits { MaxDepth = 41 }).Truncated);
        Assert.Equal(41, List(new ListingLimits { MaxDepth = 41 }).Count);
    }

    [Fact]
    public void A_listing_stops_at_the_entry_bound_with_what_it_found()
    {
        for (var i = 0; i < 500; i++)
        {
            Touch($"crowd/{i}.jpg");
        }

        var cut = List(new ListingLimits { MaxEntries = 100 });
        var whole = List(new ListingLimits { MaxEntries = 501 });

        Assert.InRange(cut.Count, 90, 99);
        Assert.Contains("ListingMaxEntries", cut.Truncated, StringComparison.Ordinal);
        Assert.Equal(500, whole.Count);
        Assert.Null(whole.Truncated);
    }

    [Fact]
    public void A_cancelled_listing_stops_and_says_so()
    {
        Touch("a.jpg");
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        var listing = List(cancellationToken: cancelled.Token);

        Assert.Empty(listing);
        Assert.Equal("the listing was cancelled", listing.Truncated);
    }

    [Fact]
    public void A_listing_stops_at_the_time_bound()
    {
        for (var i = 0; i < 50; i++)
        {
            Touch($"f{i}/{i}.jpg");
        }

        var listing = List(new ListingLimits { MaxDuration = TimeSpan.FromTicks(1) });

        Assert.True(listing.Count < 50);
        Assert.Contains("ListingMaxSeconds", listing.Truncated, StringComparison.Ordinal);
    }

    [Fact]
    public void Only_image_names_that_are_identifiers_are_listed_in_natural_order()
    {
        Touch("page-10.jpg");
        Touch("page-2.TIF");
        Touch("notes.txt");
        Touch(".hidden.jpg");
        Touch("back\\slash.jpg");

        Assert.Equal(["page-2.TIF", "page-10.jpg"], List());
    }

    [Theory]
    [InlineData(-1, 1, 1, "ListingMaxDepth")]
    [InlineData(1, 0, 1, "ListingMaxEntries")]
    [InlineData(1, 1, 0, "ListingMaxSeconds")]
    public void Invalid_limits_name_the_setting(int depth, int entries, int seconds, string setting)
    {
        var problems = new ListingLimits { MaxDepth = depth, MaxEntries = entries, MaxDuration = TimeSpan.FromSeconds(seconds) }.Validate();

        Assert.Contains(setting, Assert.Single(problems), StringComparison.Ordinal);
    }

    [Fact]
    public void A_folder_mounted_twice_inside_the_root_is_listed_once()
    {
        Touch("scans/page-1.jpg");
        Directory.CreateDirectory(Path.Combine(_root, "again"));
        // A bind mount gives the same folder a second real path: only its device and inode say it is the same.
        if (!Run("mount", ["--bind", Path.Combine(_root, "scans"), Path.Combine(_root, "again")], out var error))
        {
            Assert.Skip($"A bind mount is not permitted here ({error}); this test needs root, as in CI");
        }

        try
        {
            var listing = List();

            Assert.Single(listing, id => id.EndsWith("page-1.jpg", StringComparison.Ordinal));
            Assert.Contains(listing.Skipped, s => s.Contains("already listed", StringComparison.Ordinal));
        }
        finally
        {
            Run("umount", [Path.Combine(_root, "again")], out _);
        }
    }

    private static bool Run(string command, string[] arguments, out string error)
    {
        using var process = Process.Start(new ProcessStartInfo(command, arguments) { RedirectStandardError = true, UseShellExecute = false })!;
        error = process.StandardError.ReadToEnd().Trim();
        process.WaitForExit();
        return process.ExitCode == 0;
    }

    public void Dispose()
    {
        Directory.Delete(_root, recursive: true);
        Directory.Delete(_outside, recursive: true);
    }
}
