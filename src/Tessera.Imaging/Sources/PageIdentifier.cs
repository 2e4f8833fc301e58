using System.Globalization;
using Tessera.Core.Iiif;

namespace Tessera.Imaging.Sources;

/// <summary>
/// An identifier split into the source it names and the page of it: <c>{id};{n}</c>, n counted from 1 as Cantaloupe
/// does (<c>%3B</c> is the same once the path is decoded), <c>{id}</c> alone being page 1. A multi-page source is a
/// PDF, a TIFF holding several images (each with its own reduced levels), a HEIF with several images, or a whole slide
/// whose associated images (label, macro, thumbnail, ...) follow the slide as pages 2, 3, .... Resolved here and only
/// here, so every cache keyed by the identifier keys by page.
/// </summary>
/// <param name="Identifier">The identifier as asked for, suffix included (what info.json's id repeats).</param>
/// <param name="Base">The source's own identifier, without the suffix.</param>
/// <param name="Number">The page, from 1.</param>
/// <param name="Suffixed">Whether a <c>;n</c> suffix was given (<c>{id}</c> alone and <c>{id};1</c> name the same page).</param>
public sealed record PageIdentifier(string Identifier, string Base, int Number, bool Suffixed)
{
    /// <summary>The page's index from 0, as libvips' <c>page</c> option counts.</summary>
    public int Index => Number - 1;

    /// <summary>The identifier of page <paramref name="number"/> of <paramref name="identifier"/> (page 1 stays unsuffixed).</summary>
    public static string Of(string identifier, int number) =>
        number == 1 ? identifier : string.Create(CultureInfo.InvariantCulture, $"{identifier};{number}");

    /// <summary>
    /// The page <paramref name="identifier"/> names, or 400 for a suffix that is not a page number (<c>;0</c>,
    /// <c>;-1</c>, <c>;abc</c>). Text after the last <c>;</c> that holds a <c>.</c> or a <c>/</c> is part of a file
    /// name (<c>a;b.jpg</c>), not a suffix; a page past the end is the catalog's to refuse (it knows the count).
    /// </summary>
    public static Outcome<PageIdentifier> Parse(string identifier)
    {
        ArgumentNullException.ThrowIfNull(identifier);
        var at = identifier.LastIndexOf(';');
        if (at < 0)
        {
            return new PageIdentifier(identifier, identifier, 1, false);
        }

        var suffix = identifier[(at + 1)..];
        if (suffix.Contains('.', StringComparison.Ordinal) || suffix.Contains('/', StringComparison.Ordinal))
        {
            return new PageIdentifier(identifier, identifier, 1, false);
        }

        if (at == 0 || !int.TryParse(suffix, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number < 1)
        {
            return IiifError.BadRequest("identifier", $"Expected a page number from 1 after \";\" in the identifier but received \"{suffix}\" in \"{identifier}\"");
        }

        return new PageIdentifier(identifier, identifier[..at], number, true);
    }
}
