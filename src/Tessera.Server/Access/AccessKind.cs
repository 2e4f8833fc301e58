namespace Tessera.Server.Access;

/// <summary>What a rule grants (docs/access.md).</summary>
public enum AccessKind
{
    /// <summary>Everyone gets everything (what an identifier no rule matches gets).</summary>
    Public,

    /// <summary>Only authorised users (signed in, and in one of the rule's roles when it names any).</summary>
    Login,

    /// <summary>The public gets at most <see cref="AccessRule.MaxSize"/> pixels on the long side, watermarked if the rule says so; authorised users get everything.</summary>
    Degraded,

    /// <summary>404 on every route for everyone but administrators; never listed.</summary>
    Hidden,
}
