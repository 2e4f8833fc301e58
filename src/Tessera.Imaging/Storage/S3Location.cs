namespace Tessera.Imaging.Storage;

/// <summary>
/// A place in an S3-compatible bucket, written <c>s3://bucket[/prefix]</c>: where sources are read from, where the
/// shared cache and batch output are written. The prefix never starts or ends with <c>/</c>, so <see cref="Key"/> joins
/// without doubled slashes; an empty prefix is the whole bucket.
/// </summary>
/// <param name="Bucket">The bucket name (3..63 of lower-case letters, digits, '.', '-'; as S3 names them).</param>
/// <param name="Prefix">The key prefix without leading or trailing '/', or empty for the bucket's top.</param>
public sealed record S3Location(string Bucket, string Prefix)
{
    /// <summary>The URI scheme, with its separator, that marks a location as S3.</summary>
    public const string SchemePrefix = "s3://";

    /// <summary>Whether <paramref name="value"/> is spelt as an S3 location (starts with <c>s3://</c>, any case).</summary>
    public static bool IsS3(string? value) =>
        value is not null && value.StartsWith(SchemePrefix, StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Parses <paramref name="value"/> (<c>s3://bucket</c>, <c>s3://bucket/</c>, <c>s3://bucket/a/b/</c>). On failure
    /// <paramref name="problem"/> names the parameter, what was expected and the value that came.
    /// </summary>
    /// <param name="value">The text to parse.</param>
    /// <param name="parameter">The setting or flag it came in (<c>--root</c>, <c>Cache:S3</c>), for the message.</param>
    /// <param name="location">The location, or null on failure.</param>
    /// <param name="problem">Why it is not a location, or null on success.</param>
    public static bool TryParse(string? value, string parameter, out S3Location? location, out string? problem)
    {
        location = null;
        if (!IsS3(value))
        {
            problem = $"Expected s3://bucket[/prefix] for {parameter} but received \"{value}\"";
            return false;
        }

        var rest = value![SchemePrefix.Length..];
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        var bucket = slash < 0 ? rest : rest[..slash];
        var prefix = slash < 0 ? "" : rest[(slash + 1)..].Trim('/');
        if (BucketProblem(bucket) is { } why)
        {
            problem = $"Expected s3://bucket[/prefix] with a bucket name of {why} for {parameter} but received \"{value}\"";
            return false;
        }

        if (prefix.Contains("//", StringComparison.Ordinal) || prefix.Any(char.IsControl) || prefix.Contains('\\', StringComparison.Ordinal))
        {
            problem = $"Expected a prefix without empty segments, backslashes or control characters for {parameter} but received \"{value}\"";
            return false;
        }

        if (prefix.Split('/').Any(segment => segment is "." or ".."))
        {
            problem = $"Expected a prefix without '.' or '..' segments for {parameter} but received \"{value}\"";
            return false;
        }

        location = new S3Location(bucket, prefix);
        problem = null;
        return true;
    }

    /// <summary>Parses <paramref name="value"/> or throws with the message <see cref="TryParse"/> gives.</summary>
    /// <exception cref="InvalidOptionsException"><paramref name="value"/> is not an S3 location.</exception>
    public static S3Location Parse(string? value, string parameter) =>
        TryParse(value, parameter, out var location, out var problem)
            ? location!
            : throw new InvalidOptionsException(nameof(S3Location), [problem!], parameter);

    /// <summary>
    /// The object key for <paramref name="relative"/> under the prefix: <c>prefix/relative</c>, or <c>relative</c> at the
    /// bucket's top. Leading slashes of <paramref name="relative"/> are dropped so a join never makes an empty segment.
    /// </summary>
    public string Key(string relative)
    {
        ArgumentNullException.ThrowIfNull(relative);
        var tail = relative.TrimStart('/');
        return Prefix.Length == 0 ? tail : tail.Length == 0 ? Prefix + "/" : $"{Prefix}/{tail}";
    }

    /// <summary>The prefix as listings ask for it: empty at the top, else with its trailing '/'.</summary>
    public string ListPrefix => Prefix.Length == 0 ? "" : Prefix + "/";

    /// <summary>
    /// The part of <paramref name="key"/> under this location (the inverse of <see cref="Key"/>), or null when the key is
    /// not under it.
    /// </summary>
    public string? Relative(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var start = ListPrefix;
        return key.StartsWith(start, StringComparison.Ordinal) && key.Length > start.Length ? key[start.Length..] : null;
    }

    /// <summary>A location under this one: <c>s3://bucket/prefix/child</c>.</summary>
    public S3Location Child(string relative) => new(Bucket, Key(relative).TrimEnd('/'));

    /// <summary>The canonical spelling, <c>s3://bucket</c> or <c>s3://bucket/prefix</c>, which <see cref="Parse"/> reads back.</summary>
    public override string ToString() => Prefix.Length == 0 ? SchemePrefix + Bucket : $"{SchemePrefix}{Bucket}/{Prefix}";

    /// <summary>
    /// Why <paramref name="bucket"/> breaks S3's naming rules, as the words after "a bucket name of", or null when it is
    /// good. Dots are allowed (path-style stores use them); upper case is refused as AWS refuses it.
    /// </summary>
    private static string? BucketProblem(string bucket)
    {
        const string rule = "3..63 lower-case letters, digits, '.' or '-', starting and ending with a letter or digit";
        if (bucket.Length is < 3 or > 63)
        {
            return rule;
        }

        foreach (var c in bucket)
        {
            if (!(c is >= 'a' and <= 'z' || c is >= '0' and <= '9' || c is '.' or '-'))
            {
                return rule;
            }
        }

        return char.IsAsciiLetterOrDigit(bucket[0]) && char.IsAsciiLetterOrDigit(bucket[^1]) && !bucket.Contains("..", StringComparison.Ordinal)
            ? null
            : rule;
    }
}
