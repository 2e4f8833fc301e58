using Tessera.Imaging.Storage;

namespace Tessera.Imaging.Tests.Storage;

public sealed class S3LocationTests
{
    [Theory]
    [InlineData("s3://masters", "masters", "", "s3://masters")]
    [InlineData("s3://masters/", "masters", "", "s3://masters")]
    [InlineData("S3://masters/a/b/", "masters", "a/b", "s3://masters/a/b")]
    [InlineData("s3://my.bucket-1/prefix", "my.bucket-1", "prefix", "s3://my.bucket-1/prefix")]
    public void A_location_parses_to_bucket_and_prefix_and_formats_back(string value, string bucket, string prefix, string canonical)
    {
        var location = S3Location.Parse(value, "--root");
        Assert.Equal(bucket, location.Bucket);
        Assert.Equal(prefix, location.Prefix);
        Assert.Equal(canonical, location.ToString());
        Assert.Equal(location, S3Location.Parse(location.ToString(), "--root"));
    }

    [Theory]
    [InlineData("/srv/images", "Expected s3://bucket[/prefix] for --root but received \"/srv/images\"")]
    [InlineData("s3://", "Expected s3://bucket[/prefix] with a bucket name of 3..63 lower-case letters, digits, '.' or '-', starting and ending with a letter or digit for --root but received \"s3://\"")]
    [InlineData("s3://Masters", "with a bucket name of 3..63")]
    [InlineData("s3://-masters", "with a bucket name of 3..63")]
    [InlineData("s3://ab", "with a bucket name of 3..63")]
    [InlineData("s3://masters/a//b", "Expected a prefix without empty segments, backslashes or control characters for --root but received \"s3://masters/a//b\"")]
    [InlineData("s3://masters/../b", "Expected a prefix without '.' or '..' segments for --root but received \"s3://masters/../b\"")]
    public void A_malformed_location_is_refused_with_a_message_naming_the_value(string value, string expected)
    {
        Assert.False(S3Location.TryParse(value, "--root", out var location, out var problem));
        Assert.Null(location);
        Assert.Contains(expected, problem, StringComparison.Ordinal);
        var thrown = Assert.Throws<InvalidOptionsException>(() => S3Location.Parse(value, "--root"));
        Assert.Equal([problem!], thrown.Problems);
    }

    [Theory]
    [InlineData("", "a.tif", "a.tif")]
    [InlineData("", "/a.tif", "a.tif")]
    [InlineData("pre/fix", "maps/a b.tif", "pre/fix/maps/a b.tif")]
    [InlineData("pre", "", "pre/")]
    public void Keys_join_the_prefix_and_the_relative_name_with_one_slash(string prefix, string relative, string key)
    {
        var location = new S3Location("masters", prefix);
        Assert.Equal(key, location.Key(relative));
        if (relative.Length > 0)
        {
            Assert.Equal(relative.TrimStart('/'), location.Relative(key));
        }
    }

    [Fact]
    public void A_key_outside_the_prefix_has_no_relative_name()
    {
        var location = new S3Location("masters", "pre");
        Assert.Null(location.Relative("prefix/a.tif"));
        Assert.Null(location.Relative("pre/"));
        Assert.Equal("s3://masters/pre/sub", location.Child("sub/").ToString());
    }
}
