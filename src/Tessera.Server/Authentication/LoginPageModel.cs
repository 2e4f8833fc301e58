namespace Tessera.Server.Authentication;

/// <summary>What the login page shows.</summary>
/// <param name="ReturnUrl">Where to go after signing in: a local path.</param>
/// <param name="PasswordForm">The antiforgery field of the password form, or null when there is no users file.</param>
/// <param name="OidcName">The identity provider's name for its button, or null when none is configured.</param>
/// <param name="SignedInAs">The name of whoever is signed in already, or null.</param>
/// <param name="Message">A problem to show (wrong name or password), or null.</param>
/// <param name="Name">The name typed before, kept in the form after a failure.</param>
internal sealed record LoginPageModel(string ReturnUrl, (string FieldName, string Token)? PasswordForm, string? OidcName, string? SignedInAs, string? Message = null, string? Name = null);
