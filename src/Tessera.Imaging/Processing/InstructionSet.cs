using System.Text.Json;

namespace Tessera.Imaging.Processing;

/// <summary>
/// go-iiif's iiif-process instructions file: a JSON object of labels to <see cref="Instruction"/>s, e.g.
/// <c>{"o": {"size": "full", "format": "", "rotation": "-1"}, "b": {"size": "!1024,1024", "format": "jpg"}}</c>.
/// </summary>
public static class InstructionSet
{
    /// <exception cref="FormatException">Not a JSON object of objects, or a value is not a string.</exception>
    public static IReadOnlyDictionary<string, Instruction> Parse(string json)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw new FormatException($"Expected a JSON object of instructions but the file is not JSON: {e.Message}", e);
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new FormatException($"Expected a JSON object of labels to instructions but received a {document.RootElement.ValueKind}");
            }

            var set = new Dictionary<string, Instruction>(StringComparer.Ordinal);
            foreach (var label in document.RootElement.EnumerateObject())
            {
                if (label.Value.ValueKind != JsonValueKind.Object)
                {
                    throw new FormatException($"Expected an object for instruction \"{label.Name}\" but received a {label.Value.ValueKind}");
                }

                var instruction = new Instruction();
                foreach (var field in label.Value.EnumerateObject())
                {
                    var value = field.Value.ValueKind == JsonValueKind.String
                        ? field.Value.GetString()!
                        : throw new FormatException($"Expected a string for \"{field.Name}\" of instruction \"{label.Name}\" but received {field.Value.GetRawText()}");
                    instruction = field.Name switch
                    {
                        "region" => instruction with { Region = value.Length == 0 ? "full" : value },
                        "size" => instruction with { Size = value.Length == 0 ? "full" : value },
                        "rotation" => instruction with { Rotation = value.Length == 0 ? "0" : value },
                        "quality" => instruction with { Quality = value.Length == 0 ? "default" : value },
                        "format" => instruction with { Format = value },
                        _ => throw new FormatException($"Expected region, size, rotation, quality or format in instruction \"{label.Name}\" but received \"{field.Name}\""),
                    };
                }

                _ = instruction.SmartCrop; // validates the -1,-1,w,h form early
                set[label.Name] = instruction;
            }

            return set;
        }
    }
}
