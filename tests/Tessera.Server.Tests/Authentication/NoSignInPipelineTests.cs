using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Tessera.Server.Authentication;
using Tessera.Server.Hosting;

namespace Tessera.Server.Tests.Authentication;

/// <summary>
/// A server where nobody can sign in runs no authentication for any request (WebApplication would add the middleware
/// by itself, since authentication's services are registered); one with a users file authenticates every request.
/// Seen through a counting scheme made the default for authenticating: the middleware asks it once per request.
/// </summary>
public sealed class NoSignInPipelineTests
{
    [Theory]
    [InlineData(false, 0)]
    [InlineData(true, 4)]
    public async Task Requests_are_authenticated_only_when_someone_can_sign_in(bool users, int expected)
    {
        var root = Directory.CreateTempSubdirectory("tessera-nosignin-").FullName;
        try
        {
            var usersFile = Path.Combine(root, "users.json");
            if (users)
            {
                UsersFile.Write(usersFile, [new TesseraUser("alice", [], UsersFile.HashPassword("a password"))]);
            }

            var counter = new CountingScheme.Counter();
            var options = new TesseraServerOptions { Root = root, Cache = CacheMode.None, Users = users ? usersFile : null };
            await using var app = TesseraServer.Build(options, ["http://127.0.0.1:0"], builder =>
            {
                builder.Services.AddSingleton(counter);
                builder.Services.AddAuthentication(o => o.DefaultAuthenticateScheme = CountingScheme.Name)
                    .AddScheme<AuthenticationSchemeOptions, CountingScheme>(CountingScheme.Name, null);
            });
            await app.StartAsync(TestContext.Current.CancellationToken);
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            using var client = new HttpClient { BaseAddress = new Uri(address) };
            foreach (var path in new[] { "/", "/healthz", "/iiif/3/missing.jpg/info.json", "/iiif/3/missing.jpg/full/max/0/default.jpg" })
            {
                using var response = await client.GetAsync(path, TestContext.Current.CancellationToken);
            }

            await app.StopAsync(TestContext.Current.CancellationToken);
            Assert.Equal(expected, counter.Count);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private sealed class CountingScheme(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, CountingScheme.Counter counter)
        : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
    {
        public const string Name = "counting";

        protected override Task<AuthenticateResult> HandleAuthenticateAsync()
        {
            Interlocked.Increment(ref counter.Count);
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        public sealed class Counter
        {
#pragma warning disable CA1051 // A test's counter, incremented by reference.
            public int Count;
#pragma warning restore CA1051
        }
    }
}
