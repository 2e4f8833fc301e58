using Amazon.Runtime;
using Tessera.Imaging.Storage;

namespace Tessera.Imaging.Tests.Storage;

public sealed class S3ClientFactoryTests
{
    private static Func<string, string?> Env(params (string Name, string Value)[] variables) =>
        name => variables.FirstOrDefault(v => v.Name == name).Value;

    [Fact]
    public void The_endpoint_comes_from_the_settings_then_the_s3_variable_then_the_general_one()
    {
        var both = Env(("AWS_ENDPOINT_URL_S3", "http://s3.local:9000"), ("AWS_ENDPOINT_URL", "http://all.local:9000"));
        Assert.StartsWith("http://s3.local:9000", S3ClientFactory.CreateConfig(S3Settings.Default, both).ServiceURL, StringComparison.Ordinal);
        Assert.StartsWith("http://all.local:9000", S3ClientFactory.CreateConfig(S3Settings.Default, Env(("AWS_ENDPOINT_URL", "http://all.local:9000"))).ServiceURL, StringComparison.Ordinal);
        var set = S3Settings.Default with { ServiceUrl = "http://mine.local:1" };
        Assert.StartsWith("http://mine.local:1", S3ClientFactory.CreateConfig(set, both).ServiceURL, StringComparison.Ordinal);
    }

    [Fact]
    public void A_custom_endpoint_without_a_region_signs_for_us_east_1_and_the_settings_carry_through()
    {
        var settings = new S3Settings { ServiceUrl = "http://127.0.0.1:9000", ForcePathStyle = true, TimeoutSeconds = 7, MaxRetries = 2 };
        var config = S3ClientFactory.CreateConfig(settings, Env());
        Assert.Equal("us-east-1", config.AuthenticationRegion);
        Assert.True(config.ForcePathStyle);
        Assert.Equal(TimeSpan.FromSeconds(7), config.Timeout);
        Assert.Equal(2, config.MaxErrorRetry);
        Assert.Equal(RequestChecksumCalculation.WHEN_REQUIRED, config.RequestChecksumCalculation);
        Assert.Equal("eu-west-3", S3ClientFactory.CreateConfig(settings, Env(("AWS_REGION", "eu-west-3"))).AuthenticationRegion);
    }

    [Fact]
    public void Bad_settings_are_refused_all_at_once_naming_each_key()
    {
        var settings = new S3Settings { ServiceUrl = "ftp://x", TimeoutSeconds = 0, MaxRetries = -1 };
        var thrown = Assert.Throws<InvalidOptionsException>(() => S3ClientFactory.Create(settings));
        Assert.Equal(
            [
                "Expected an absolute http:// or https:// URL for S3:ServiceUrl but received \"ftp://x\"",
                "Expected more than 0 and at most 3600 for S3:TimeoutSeconds but received 0",
                "Expected 0..20 for S3:MaxRetries but received -1",
            ],
            thrown.Problems);
    }

    [Fact]
    public void The_environment_sets_path_style_for_the_commands()
    {
        Assert.True(S3Settings.FromEnvironment(Env(("Tessera__S3__ForcePathStyle", "true"))).ForcePathStyle);
        Assert.False(S3Settings.FromEnvironment(Env()).ForcePathStyle);
        var thrown = Assert.Throws<InvalidOptionsException>(() => S3Settings.FromEnvironment(Env(("Tessera__S3__ForcePathStyle", "yes"))));
        Assert.Equal(["Expected true or false for Tessera__S3__ForcePathStyle but received \"yes\""], thrown.Problems);
    }
}
