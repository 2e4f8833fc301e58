using System.Globalization;
using System.Text;

namespace Tessera.Core.Presentation;

/// <summary>
/// Reads descriptive metadata from a CSV file (RFC 4180: comma separated, double quotes around fields that hold
/// commas, quotes or line breaks, <c>""</c> for a quote). The first row names the columns:
/// <list type="bullet">
/// <item><c>identifier</c> (required): the object's id, a folder path or a lone image's identifier;</item>
/// <item><c>label</c>, <c>summary</c>, <c>rights</c>, <c>requiredStatement</c>, <c>navDate</c>: those properties;</item>
/// <item>any other column: a <c>metadata</c> entry whose label is the column's name (empty cells are left out).</item>
/// </list>
/// Every problem is collected, with its row number, rather than stopping at the first.
/// </summary>
public static class MetadataCsv
{
    private static readonly string[] Known = ["identifier", "label", "summary", "rights", "requiredStatement", "navDate"];

    /// <summary>The metadata per object id, or the list of problems found.</summary>
    public static (IReadOnlyDictionary<string, DescriptiveMetadata> Rows, IReadOnlyList<string> Errors) Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var rows = new Dictionary<string, DescriptiveMetadata>(StringComparer.Ordinal);
        var errors = new List<string>();
        var records = ReadRecords(text, errors);
        if (records.Count == 0)
        {
            errors.Add("Expected a header row naming the columns (identifier, label, ...) but the CSV is empty");
            return (rows, errors);
        }

        var header = records[0].Select(h => h.Trim()).ToArray();
        var column = header
            .Select((name, index) => (name, index))
            .Where(c => Known.Contains(c.name, StringComparer.OrdinalIgnoreCase))
            .GroupBy(c => Known.First(k => k.Equals(c.name, StringComparison.OrdinalIgnoreCase)))
            .ToDictionary(g => g.Key, g => g.First().index, StringComparer.Ordinal);
        if (!column.ContainsKey("identifier"))
        {
            errors.Add($"Expected an \"identifier\" column in the CSV header but received \"{string.Join(",", header)}\"");
            return (rows, errors);
        }

        for (var r = 1; r < records.Count; r++)
        {
            var record = records[r];
            if (record.All(string.IsNullOrWhiteSpace))
            {
                continue;
            }

            var line = r + 1;
            string? Cell(string name) => column.TryGetValue(name, out var i) && i < record.Length && !string.IsNullOrWhiteSpace(record[i]) ? record[i].Trim() : null;

            var identifier = Cell("identifier");
            if (identifier is null)
            {
                errors.Add($"Row {line}: expected an identifier but the cell is empty");
                continue;
            }

            identifier = identifier.Trim('/');
            if (rows.ContainsKey(identifier))
            {
                errors.Add($"Row {line}: identifier \"{identifier}\" already appears in an earlier row");
                continue;
            }

            var rights = Cell("rights");
            if (rights is not null && !TryRights(rights, out rights))
            {
                errors.Add($"Row {line}: expected a http://creativecommons.org/licenses/..., http://creativecommons.org/publicdomain/... or http://rightsstatements.org/vocab/... URI for rights but received \"{Cell("rights")}\"");
            }

            var navDate = Cell("navDate");
            if (navDate is not null && !TryNavDate(navDate, out navDate))
            {
                errors.Add($"Row {line}: expected a date for navDate (1850, 1850-03, 1850-03-04 or an ISO 8601 date-time) but received \"{Cell("navDate")}\"");
            }

            var metadata = new List<KeyValuePair<string, string>>();
            for (var i = 0; i < header.Length && i < record.Length; i++)
            {
                if (!column.ContainsValue(i) && header[i].Length > 0 && !string.IsNullOrWhiteSpace(record[i]))
                {
                    metadata.Add(new(header[i], record[i].Trim()));
                }
            }

            rows[identifier] = new DescriptiveMetadata(Cell("label"), Cell("summary"), metadata, rights, Cell("requiredStatement"), navDate);
        }

        return (rows, errors);
    }

    /// <summary>
    /// Presentation 3.0 §3.3.1 <c>rights</c>: "MUST be either a valid Creative Commons license URI, an item in the
    /// RightsStatements.org vocabulary, or a URI defined as an extension". The published schema wants the http forms,
    /// so https URIs of those two vocabularies are written as http.
    /// </summary>
    public static bool TryRights(string value, out string? rights)
    {
        ArgumentNullException.ThrowIfNull(value);
        rights = value.StartsWith("https://", StringComparison.OrdinalIgnoreCase) ? "http://" + value[8..] : value;
        var ok = rights.StartsWith("http://creativecommons.org/licenses/", StringComparison.Ordinal)
            || rights.StartsWith("http://creativecommons.org/publicdomain/", StringComparison.Ordinal)
            || rights.StartsWith("http://rightsstatements.org/vocab/", StringComparison.Ordinal);
        ok = ok && Uri.TryCreate(rights, UriKind.Absolute, out _) && !rights.Any(char.IsWhiteSpace);
        if (!ok)
        {
            rights = null;
        }

        return ok;
    }

    /// <summary>
    /// §3.3.1 <c>navDate</c>: "an XSD dateTime literal. The value MUST have a timezone". A bare year, year-month or date
    /// is taken as its first instant in UTC.
    /// </summary>
    public static bool TryNavDate(string value, out string? navDate)
    {
        ArgumentNullException.ThrowIfNull(value);
        navDate = null;
        string[] partial = ["yyyy", "yyyy-MM", "yyyy-MM-dd"];
        if (DateTime.TryParseExact(value, partial, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var date)
            || (value.Contains('T', StringComparison.Ordinal)
                && DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var offset)
                && (date = offset.UtcDateTime) != default))
        {
            navDate = date.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
            return true;
        }

        return false;
    }

    private static List<string[]> ReadRecords(string text, List<string> errors)
    {
        var records = new List<string[]>();
        var fields = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        var line = 1;
        var i = text.Length > 0 && text[0] == '\uFEFF' ? 1 : 0;
        for (; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    line += c == '\n' ? 1 : 0;
                    field.Append(c);
                }
            }
            else if (c == '"' && field.Length == 0)
            {
                quoted = true;
            }
            else if (c == ',')
            {
                fields.Add(field.ToString());
                field.Clear();
            }
            else if (c is '\n' or '\r')
            {
                if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
                {
                    i++;
                }

                fields.Add(field.ToString());
                field.Clear();
                records.Add([.. fields]);
                fields.Clear();
                line++;
            }
            else
            {
                field.Append(c);
            }
        }

        if (quoted)
        {
            errors.Add($"Line {line}: expected a closing double quote but the CSV ended inside a quoted field");
        }

        if (field.Length > 0 || fields.Count > 0)
        {
            fields.Add(field.ToString());
            records.Add([.. fields]);
        }

        return records;
    }
}
