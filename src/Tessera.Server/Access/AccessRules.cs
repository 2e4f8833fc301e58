using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Tessera.Core.Planning;
using Tessera.Imaging.Rendering;

namespace Tessera.Server.Access;

/// <summary>
/// The rules of an access file (<c>--access FILE</c>, setting <c>Access</c>; <c>samples/access.json</c> is annotated):
/// <c>{"adminRole": "admin", "rules": [{"match": "restricted/*", "access": "login"}, ...]}</c>. Loaded once at start; a
/// file with a mistake is refused whole, naming the line and the reason, so the server never starts on half a policy.
/// </summary>
public sealed class AccessRules
{
    private static readonly string[] RuleKeys = ["match", "access", "roles", "maxSize", "watermark", "profile", "label", "heading", "note", "redact"];
    private static readonly string[] WatermarkKeys = ["text", "image", "position", "opacity", "size"];

    public AccessRules(IReadOnlyList<AccessRule> rules, string adminRole = "admin")
    {
        ArgumentNullException.ThrowIfNull(rules);
        Rules = rules;
        AdminRole = adminRole;
        HasRedactions = rules.Any(r => r.Redact.Count > 0);
    }

    /// <summary>Whether any rule redacts: else the pipeline is given no redaction lookup, and asks nothing per request.</summary>
    public bool HasRedactions { get; }

    /// <summary>The redaction boxes of <paramref name="identifier"/>: those of the rule that decides it (everyone's, administrators' too).</summary>
    public IReadOnlyList<RedactionBox> RedactionsOf(string identifier) => Find(identifier).Redact;

    public IReadOnlyList<AccessRule> Rules { get; }

    /// <summary>The role whose members see hidden images and pass every rule.</summary>
    public string AdminRole { get; }

    /// <summary>The first rule matching <paramref name="identifier"/>, or <see cref="AccessRule.PublicDefault"/>.</summary>
    public AccessRule Find(string identifier) => Rules.FirstOrDefault(r => r.Pattern.IsMatch(identifier)) ?? AccessRule.PublicDefault;

    /// <summary>
    /// The rule of a Presentation object (a folder, or one image at the root): the first rule that matches the object
    /// itself or anything directly inside it.
    /// </summary>
    public AccessRule FindObject(string objectId) =>
        Rules.FirstOrDefault(r => r.Pattern.IsMatch(objectId) || r.Pattern.IsMatch(objectId + "/\u0001")) ?? AccessRule.PublicDefault;

    /// <summary>Reads and checks a rules file; the problem names the file, the line and the reason.</summary>
    public static (AccessRules? Rules, string? Problem) Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return (null, $"Expected a readable rules file for Access (--access) but \"{path}\" could not be read: {e.Message}");
        }

        var (rules, problem) = Parse(bytes);
        return problem is null ? (rules, null) : (null, $"Access rules file \"{path}\": {problem}");
    }

    /// <summary>Parses the JSON text of a rules file (comments and trailing commas allowed).</summary>
    public static (AccessRules? Rules, string? Problem) Parse(byte[] json)
    {
        ArgumentNullException.ThrowIfNull(json);
        var documentOptions = new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(json, documentOptions: documentOptions);
        }
        catch (JsonException e)
        {
            return (null, $"line {(e.LineNumber ?? 0) + 1}: Expected JSON but it does not parse: {e.Message}");
        }

        if (root is not JsonObject top || top["rules"] is not JsonArray array)
        {
            return (null, "line 1: Expected an object with a \"rules\" array but received something else");
        }

        var lines = RuleLines(json, documentOptions);
        var adminRole = "admin";
        foreach (var (key, value) in top)
        {
            if (key == "adminRole")
            {
                if (value is not JsonValue v || !v.TryGetValue<string>(out var role) || role.Length == 0)
                {
                    return (null, "line 1: Expected a role name for adminRole but received " + (value?.ToJsonString() ?? "null"));
                }

                adminRole = role;
            }
            else if (key != "rules")
            {
                return (null, $"line 1: Expected the keys rules and adminRole but received \"{key}\"");
            }
        }

        var rules = new List<AccessRule>();
        for (var i = 0; i < array.Count; i++)
        {
            var line = i < lines.Count ? lines[i] : 0;
            var (rule, problem) = ParseRule(array[i], line);
            if (problem is not null)
            {
                return (null, $"line {line}: rule {i + 1}: {problem}");
            }

            rules.Add(rule!);
        }

        return (new AccessRules(rules, adminRole), null);
    }

    private static (AccessRule? Rule, string? Problem) ParseRule(JsonNode? node, int line)
    {
        if (node is not JsonObject rule)
        {
            return (null, "Expected an object {\"match\": ..., \"access\": ...} but received " + (node?.ToJsonString() ?? "null"));
        }

        if (rule.Select(p => p.Key).FirstOrDefault(k => !RuleKeys.Contains(k)) is { } unknown)
        {
            return (null, $"Expected only the keys {string.Join(", ", RuleKeys)} but received \"{unknown}\"");
        }

        if (Text(rule, "match") is not { Length: > 0 } match || match.StartsWith('/'))
        {
            return (null, "Expected a glob over identifiers for match (e.g. \"restricted/*\", no leading /) but received " + Shown(rule["match"]));
        }

        var access = Text(rule, "access") switch
        {
            "public" => AccessKind.Public,
            "login" => AccessKind.Login,
            "degraded" => AccessKind.Degraded,
            "hidden" => AccessKind.Hidden,
            _ => (AccessKind?)null,
        };
        if (access is not { } kind)
        {
            return (null, "Expected public, login, degraded or hidden for access but received " + Shown(rule["access"]));
        }

        var roles = new List<string>();
        if (rule["roles"] is { } rolesNode)
        {
            if (rolesNode is not JsonArray rolesArray || rolesArray.Any(r => r is not JsonValue v || !v.TryGetValue<string>(out var s) || s.Length == 0))
            {
                return (null, "Expected an array of role names for roles but received " + Shown(rolesNode));
            }

            roles.AddRange(rolesArray.Select(r => r!.GetValue<string>()));
        }

        var maxSize = 0;
        if (kind == AccessKind.Degraded)
        {
            if (rule["maxSize"] is not JsonValue size || !size.TryGetValue<int>(out maxSize) || maxSize < 1)
            {
                return (null, "Expected a positive number of pixels for maxSize (degraded access) but received " + Shown(rule["maxSize"]));
            }
        }
        else if (rule["maxSize"] is not null || rule["watermark"] is not null)
        {
            return (null, $"Expected maxSize and watermark only with access degraded but received them with {Text(rule, "access")}");
        }

        Watermark? watermark = null;
        if (rule["watermark"] is { } markNode)
        {
            var (mark, problem) = ParseWatermark(markNode);
            if (problem is not null)
            {
                return (null, problem);
            }

            watermark = mark;
        }

        var profile = Text(rule, "profile") switch
        {
            null or "active" => AccessServiceProfile.Active,
            "kiosk" => AccessServiceProfile.Kiosk,
            "external" => AccessServiceProfile.External,
            _ => (AccessServiceProfile?)null,
        };
        if (profile is null)
        {
            return (null, "Expected active, kiosk or external for profile but received " + Shown(rule["profile"]));
        }

        var redact = new List<RedactionBox>();
        if (rule["redact"] is { } redactNode)
        {
            var (boxes, problem) = ParseRedact(redactNode);
            if (problem is not null)
            {
                return (null, problem);
            }

            redact.AddRange(boxes!);
        }

        var defaults = AccessRule.PublicDefault;
        return (new AccessRule
        {
            Match = match,
            Access = kind,
            Roles = roles,
            MaxSize = maxSize,
            Watermark = watermark,
            Profile = profile.Value,
            Label = Text(rule, "label") ?? defaults.Label,
            Heading = Text(rule, "heading") ?? defaults.Heading,
            Note = Text(rule, "note") ?? defaults.Note,
            Redact = redact,
            Line = line,
        }, null);
    }

    /// <summary>
    /// <c>redact</c>: an array of boxes, each <c>[x, y, w, h]</c> in full-resolution pixels or a IIIF region string,
    /// <c>"x,y,w,h"</c> or <c>"pct:x,y,w,h"</c> (percent of the image's width and height).
    /// </summary>
    private static (List<RedactionBox>? Boxes, string? Problem) ParseRedact(JsonNode node)
    {
        const string Expected = "Expected redact to be an array of boxes, each [x, y, w, h] in full-resolution pixels or \"x,y,w,h\" or \"pct:x,y,w,h\" (x, y at least 0, w, h more than 0),";
        if (node is not JsonArray array)
        {
            return (null, $"{Expected} but received {Shown(node)}");
        }

        var boxes = new List<RedactionBox>();
        for (var i = 0; i < array.Count; i++)
        {
            RedactionBox? box = null;
            var entry = array[i];
            if (entry is JsonArray numbers && numbers.Count == 4 && numbers.All(n => n is JsonValue v && v.TryGetValue<double>(out _)))
            {
                var n = numbers.Select(v => v!.GetValue<double>()).ToArray();
                box = new RedactionBox(false, n[0], n[1], n[2], n[3]);
            }
            else if (entry is JsonValue text && text.TryGetValue<string>(out var region)
                && Core.Iiif.RegionSpec.Parse(region).TryGetValue(out var spec, out _) && spec.Kind is Core.Iiif.RegionKind.Pixels or Core.Iiif.RegionKind.Percent)
            {
                box = new RedactionBox(spec.Kind == Core.Iiif.RegionKind.Percent, spec.X, spec.Y, spec.Width, spec.Height);
            }

            if (box is null || box.X < 0 || box.Y < 0 || box.Width <= 0 || box.Height <= 0 || !double.IsFinite(box.X + box.Y + box.Width + box.Height))
            {
                return (null, $"{Expected} but box {i + 1} is {Shown(entry)}");
            }

            boxes.Add(box);
        }

        return (boxes, null);
    }

    private static (Watermark? Mark, string? Problem) ParseWatermark(JsonNode node)
    {
        if (node is not JsonObject mark)
        {
            return (null, "Expected an object {\"text\": ...} or {\"image\": ...} for watermark but received " + Shown(node));
        }

        if (mark.Select(p => p.Key).FirstOrDefault(k => !WatermarkKeys.Contains(k)) is { } unknown)
        {
            return (null, $"Expected only the keys {string.Join(", ", WatermarkKeys)} in watermark but received \"{unknown}\"");
        }

        var text = Text(mark, "text");
        var image = Text(mark, "image");
        if ((text is { Length: > 0 }) == (image is { Length: > 0 }))
        {
            return (null, "Expected either text or image (a file) in watermark but received " + (text is null && image is null ? "neither" : "both"));
        }

        if (image is not null && !File.Exists(image))
        {
            return (null, $"Expected an existing image file for watermark.image but received \"{image}\"");
        }

        var position = Text(mark, "position") switch
        {
            null or "bottom-right" => WatermarkPosition.BottomRight,
            "bottom-left" => WatermarkPosition.BottomLeft,
            "top-right" => WatermarkPosition.TopRight,
            "top-left" => WatermarkPosition.TopLeft,
            "centre" or "center" => WatermarkPosition.Centre,
            _ => (WatermarkPosition?)null,
        };
        if (position is null)
        {
            return (null, "Expected bottom-right, bottom-left, top-right, top-left or centre for watermark.position but received " + Shown(mark["position"]));
        }

        var opacity = 0.6;
        if (mark["opacity"] is { } o && (o is not JsonValue ov || !ov.TryGetValue(out opacity) || opacity is < 0 or > 1))
        {
            return (null, "Expected 0..1 for watermark.opacity but received " + Shown(o));
        }

        var size = 0.3;
        if (mark["size"] is { } s && (s is not JsonValue sv || !sv.TryGetValue(out size) || size is <= 0 or > 1))
        {
            return (null, "Expected more than 0 and at most 1 (a fraction of the output's width) for watermark.size but received " + Shown(s));
        }

        return (new Watermark { Text = text, ImagePath = image is null ? null : Path.GetFullPath(image), Position = position.Value, Opacity = opacity, Size = size }, null);
    }

    /// <summary>The line each object of the <c>rules</c> array starts on (objects at depth 2 of the document).</summary>
    private static List<int> RuleLines(byte[] json, JsonDocumentOptions options)
    {
        var lines = new List<int>();
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = options.AllowTrailingCommas });
        string? property = null;
        var inRules = false;
        while (reader.Read())
        {
            if (reader.CurrentDepth == 1 && reader.TokenType == JsonTokenType.PropertyName)
            {
                property = reader.GetString();
            }
            else if (reader.CurrentDepth == 1 && reader.TokenType == JsonTokenType.StartArray)
            {
                inRules = property == "rules";
            }
            else if (inRules && reader.CurrentDepth == 2 && reader.TokenType is JsonTokenType.StartObject or JsonTokenType.String or JsonTokenType.Number or JsonTokenType.StartArray or JsonTokenType.True or JsonTokenType.False or JsonTokenType.Null)
            {
                lines.Add(1 + json.AsSpan(0, (int)reader.TokenStartIndex).Count((byte)'\n'));
            }
        }

        return lines;
    }

    private static string? Text(JsonObject node, string key) =>
        node[key] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    private static string Shown(JsonNode? node) => node is null ? "nothing" : node.ToJsonString();

    /// <inheritdoc/>
    public override string ToString() =>
        string.Join("\n", Rules.Select(r => string.Create(CultureInfo.InvariantCulture, $"{r.Match} {r.Access}")));
}
