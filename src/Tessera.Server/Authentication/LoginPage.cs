using System.Net;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Tessera.Server.Authentication;

/// <summary>Tessera's sign-in pages: plain HTML with the home page's style sheet and header, no script.</summary>
internal static class LoginPage
{
    /// <summary>The login page: the password form (when a users file is configured) and the identity provider's button.</summary>
    public static string Login(HttpContext context, LoginPageModel model)
    {
        var html = Start(context, "Sign in");
        if (model.SignedInAs is { } name)
        {
            html.Append("<p>Signed in as <strong>").Append(Encode(name)).Append("</strong>.</p>");
        }

        if (model.Message is { } message)
        {
            html.Append("<p class=\"problem\" role=\"alert\">").Append(Encode(message)).Append("</p>");
        }

        if (model.PasswordForm is { } form)
        {
            html.Append("<form method=\"post\" action=\"").Append(Root(context)).Append("auth/login\">")
                .Append("<label>Name <input name=\"name\" autocomplete=\"username\" required autofocus value=\"").Append(Encode(model.Name ?? string.Empty)).Append("\"></label>")
                .Append("<label>Password <input name=\"password\" type=\"password\" autocomplete=\"current-password\" required></label>")
                .Append("<input type=\"hidden\" name=\"returnUrl\" value=\"").Append(Encode(model.ReturnUrl)).Append("\">")
                .Append("<input type=\"hidden\" name=\"").Append(Encode(form.FieldName)).Append("\" value=\"").Append(Encode(form.Token)).Append("\">")
                .Append("<button type=\"submit\">Sign in</button></form>");
        }

        if (model.OidcName is { } provider)
        {
            html.Append("<p><a class=\"button\" href=\"").Append(Root(context)).Append("auth/oidc/signin?returnUrl=").Append(Encode(Uri.EscapeDataString(model.ReturnUrl)))
                .Append("\">Sign in with ").Append(Encode(provider)).Append("</a></p>");
        }

        if (model.PasswordForm is null && model.OidcName is null)
        {
            html.Append("<p class=\"empty\">This server has no sign-in configured (no users file, no identity provider).</p>");
        }

        return End(html);
    }

    /// <summary>The page <c>GET /auth/logout</c> shows: one button that posts the sign-out.</summary>
    public static string Logout(HttpContext context, string? name, string returnUrl)
    {
        var html = Start(context, "Sign out");
        html.Append(name is null ? "<p>You are not signed in.</p>" : $"<p>Signed in as <strong>{Encode(name)}</strong>.</p>")
            .Append("<form method=\"post\" action=\"").Append(Root(context)).Append("auth/logout\">")
            .Append("<input type=\"hidden\" name=\"returnUrl\" value=\"").Append(Encode(returnUrl)).Append("\">")
            .Append("<button type=\"submit\">Sign out</button></form>");
        return End(html);
    }

    /// <summary>A page that only says what went wrong (a failed identity provider sign-in, an expired form).</summary>
    public static string Problem(HttpContext context, string title, string message) =>
        End(Start(context, title).Append("<p class=\"problem\" role=\"alert\">").Append(Encode(message)).Append("</p><p><a href=\"").Append(Root(context)).Append("auth/login\">Sign in again</a></p>"));

    private static StringBuilder Start(HttpContext context, string title) =>
        new StringBuilder("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>").Append(Encode(title)).Append(" · Tessera</title>")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
            .Append("<link rel=\"stylesheet\" href=\"").Append(Root(context)).Append("viewer/tessera.css\"></head><body>")
            .Append("<header><h1><a href=\"").Append(Root(context)).Append("\">Tessera</a></h1></header><main class=\"login\"><h2>").Append(Encode(title)).Append("</h2>");

    private static string End(StringBuilder html) => html.Append("</main></body></html>\n").ToString();

    private static string Root(HttpContext context) => Encode((context.Request.PathBase.Value ?? string.Empty) + "/");

    private static string Encode(string value) => WebUtility.HtmlEncode(value);
}
