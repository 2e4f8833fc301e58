using Tessera.Core.Planning;

namespace Tessera.Core.Tests.Planning;

public sealed class ServerLimitsTests
{
    [Fact]
    public void The_defaults_are_valid() => Assert.Empty(ServerLimits.Default.Validate());

    [Fact]
    public void Every_limit_that_is_not_positive_is_reported() =>
        Assert.Equal(
            [
                "Expected a positive integer for MaxWidth but received 0",
                "Expected a positive integer for MaxHeight but received -5",
                "Expected a positive integer for MaxArea but received 0",
            ],
            new ServerLimits(0, -5, 0).Validate());

    [Fact]
    public void One_pixel_limits_are_valid() => Assert.Empty(new ServerLimits(1, 1, 1).Validate());
}
