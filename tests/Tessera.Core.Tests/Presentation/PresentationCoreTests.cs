using Tessera.Core.Presentation;

namespace Tessera.Core.Tests.Presentation;

public sealed class PresentationCoreTests
{
    [Fact]
    public void Folders_are_objects_and_images_directly_under_the_root_are_objects_of_their_own()
    {
        // Reversed ordinal order, to show the given order (natural order in the server and CLI) is the one used.
        var objects = ObjectGrouping.Group(["b/p-2.jpg", "a.jpg", "b/p-10.jpg", "c/d/x.jpg", "c/y.jpg"], Comparer<string>.Create((x, y) => string.CompareOrdinal(y, x)));

        Assert.Equal(["c/d", "c", "b", "a.jpg"], objects.Select(o => o.Id));
        Assert.Equal(["b/p-2.jpg", "b/p-10.jpg"], objects[2].Images);
        Assert.Equal(("a", false), (objects[3].Label, objects[3].IsFolder));
        Assert.Equal(("d", true), (objects[0].Label, objects[0].IsFolder));
    }

    [Theory]
    [InlineData("maps/atlas", "https://x.org/iiif/presentation/maps/atlas/manifest.json")]
    [InlineData("a b#1.jpg", "https://x.org/iiif/presentation/a%20b%231.jpg/manifest.json")]
    public void Manifest_urls_keep_folder_slashes_and_encode_each_segment(string id, string expected) =>
        Assert.Equal(expected, new PresentationUrls("https://x.org/").Manifest(id));

    [Theory]
    [InlineData("1850", "1850-01-01T00:00:00Z")]
    [InlineData("1850-03", "1850-03-01T00:00:00Z")]
    [InlineData("1850-03-04", "1850-03-04T00:00:00Z")]
    [InlineData("2001-02-03T04:05:06+01:00", "2001-02-03T03:05:06Z")]
    public void Nav_dates_become_utc_date_times(string value, string expected)
    {
        Assert.True(MetadataCsv.TryNavDate(value, out var navDate));
        Assert.Equal(expected, navDate);
    }

    [Theory]
    [InlineData("http://creativecommons.org/licenses/by/4.0/", true)]
    [InlineData("https://rightsstatements.org/vocab/InC/1.0/", true)]
    [InlineData("https://example.org/licence", false)]
    [InlineData("all rights reserved", false)]
    public void Rights_must_be_creative_commons_or_rightsstatements(string value, bool ok) =>
        Assert.Equal(ok, MetadataCsv.TryRights(value, out _));

    [Fact]
    public void Csv_fields_may_hold_quotes_commas_and_line_breaks_and_every_other_column_is_metadata()
    {
        var (rows, errors) = MetadataCsv.Parse("\uFEFFIdentifier,Label,Note,Empty\r\nbook,\"A \"\"good\"\", long\nbook\",\"x, y\",\r\n");

        Assert.Empty(errors);
        var book = rows["book"];
        Assert.Equal("A \"good\", long\nbook", book.Label);
        Assert.Equal([new KeyValuePair<string, string>("Note", "x, y")], book.Metadata);
    }

    [Fact]
    public void Csv_problems_are_all_collected_with_their_rows()
    {
        var (_, errors) = MetadataCsv.Parse("identifier,navDate\na,soon\na,\n,1850\n");

        Assert.Equal(3, errors.Count);
        Assert.Contains(errors, e => e.StartsWith("Row 2", StringComparison.Ordinal) && e.Contains("navDate", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Row 3", StringComparison.Ordinal) && e.Contains("already", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Row 4", StringComparison.Ordinal));
        Assert.Single(MetadataCsv.Parse("label\nx\n").Errors);
    }
}
