using System.Net;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Tessera.Server.Tests.Viewer;

/// <summary>
/// A stand-in for Tessera's login page (another branch builds the real one at <c>/auth/login?returnUrl=...</c>): a cookie
/// scheme and a form whose button signs <see cref="UserName"/> in and returns to <c>returnUrl</c>. It exists only in
/// these tests; after the merge, <see cref="AddScheme"/> and <see cref="MapPage"/> give way to the real registration and
/// the tests click the real page's submit button (the only selector they use is <see cref="SubmitSelector"/>).
/// </summary>
internal static class TestLogin
{
    public const string UserName = "reader";

    public const string SubmitSelector = "form button[type=submit]";

    /// <summary>For <c>TesseraServer.Build</c>'s configure hook.</summary>
    public static void AddScheme(WebApplicationBuilder builder) =>
        builder.Services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme)
            .AddCookie(cookie => cookie.LoginPath = "/auth/login");

    public static void MapPage(IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/auth/login", (HttpContext context) =>
        {
            var returnUrl = WebUtility.HtmlEncode(context.Request.Query["returnUrl"].ToString());
            return Results.Content(
                $"<!doctype html><html><head><title>Log in</title></head><body><form method=\"post\" action=\"/auth/login?returnUrl={returnUrl}\">" +
                "<button type=\"submit\">Log in as reader</button></form></body></html>",
                "text/html; charset=utf-8");
        });
        endpoints.MapPost("/auth/login", async (HttpContext context) =>
        {
            var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, UserName)], CookieAuthenticationDefaults.AuthenticationScheme);
            await context.SignInAsync(new ClaimsPrincipal(identity));
            var returnUrl = context.Request.Query["returnUrl"].ToString();
            return Results.Redirect(returnUrl.StartsWith('/') && !returnUrl.StartsWith("//", StringComparison.Ordinal) ? returnUrl : "/");
        }).DisableAntiforgery();
    }
}
