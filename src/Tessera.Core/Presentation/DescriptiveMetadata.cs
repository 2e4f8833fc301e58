namespace Tessera.Core.Presentation;

/// <summary>
/// Descriptive properties of one object, from a CSV row (Presentation 3.0 §3.1). Every value is optional; absent ones
/// leave the generated defaults (the label from the file name) in place.
/// </summary>
/// <param name="Label">Replaces the label taken from the folder or file name.</param>
/// <param name="Summary">A short textual summary.</param>
/// <param name="Metadata">Label/value pairs shown to people, in column order.</param>
/// <param name="Rights">A Creative Commons or RightsStatements.org URI.</param>
/// <param name="RequiredStatement">Text that must be shown with the object (label "Attribution").</param>
/// <param name="NavDate">An ISO 8601 date-time in UTC, e.g. <c>1850-01-01T00:00:00Z</c>.</param>
public sealed record DescriptiveMetadata(
    string? Label = null,
    string? Summary = null,
    IReadOnlyList<KeyValuePair<string, string>>? Metadata = null,
    string? Rights = null,
    string? RequiredStatement = null,
    string? NavDate = null);
