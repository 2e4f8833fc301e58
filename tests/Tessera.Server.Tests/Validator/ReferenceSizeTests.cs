using System.Globalization;
using Tessera.Server.Tests.Fixtures;

namespace Tessera.Server.Tests.Validator;

/// <summary>
/// Output dimensions against the IIIF reference implementation (zimeon/iiif, <c>iiif/manipulator.py</c>
/// <c>region_to_apply</c> and <c>size_to_apply</c>), reimplemented here in a few lines: seeded random valid requests on the
/// validator's image and on odd-sized images must give exactly the reference's width and height.
/// </summary>
public sealed class ReferenceSizeTests(ServerFixture server)
{
    /// <summary>Python's <c>int(v + 0.5)</c> for v ≥ 0.</summary>
    private static int Half(double value) => (int)Math.Floor(value + 0.5);

    /// <summary><c>region_to_apply</c>: the (w, h) of the region.</summary>
    private static (int W, int H) Region(string region, int width, int height)
    {
        if (region == "full")
        {
            return (width, height);
        }

        if (region == "square")
        {
            var side = Math.Min(width, height);
            return (side, side);
        }

        var pct = region.StartsWith("pct:", StringComparison.Ordinal);
        var v = region[(pct ? 4 : 0)..].Split(',').Select(s => double.Parse(s, CultureInfo.InvariantCulture)).ToArray();
        var (x, y, w, h) = pct
            ? (Half(v[0] / 100.0 * width), Half(v[1] / 100.0 * height), Half(v[2] / 100.0 * width), Half(v[3] / 100.0 * height))
            : ((int)v[0], (int)v[1], (int)v[2], (int)v[3]);
        return (x + w > width ? width - x : w, y + h > height ? height - y : h);
    }

    /// <summary><c>size_to_apply</c> on a region of (width, height); null when the reference answers 400.</summary>
    private static (int W, int H)? Size(string size, int width, int height, bool v3)
    {
        var caret = size.StartsWith('^');
        var s = caret ? size[1..] : size;
        int w, h;
        if (s is "full" or "max")
        {
            (w, h) = (width, height);
        }
        else if (s.StartsWith("pct:", StringComparison.Ordinal))
        {
            var p = double.Parse(s[4..], CultureInfo.InvariantCulture);
            (w, h) = (Half(width * p / 100.0), Half(height * p / 100.0));
        }
        else if (s.StartsWith('!'))
        {
            var m = s[1..].Split(',').Select(int.Parse).ToArray();
            var frac = Math.Min((double)m[0] / width, (double)m[1] / height);
            (w, h) = (Half(width * frac), Half(height * frac));
        }
        else
        {
            var parts = s.Split(',');
            if (parts[0].Length == 0)
            {
                h = int.Parse(parts[1], CultureInfo.InvariantCulture);
                w = Half((double)width * h / height);
            }
            else if (parts[1].Length == 0)
            {
                w = int.Parse(parts[0], CultureInfo.InvariantCulture);
                h = Half((double)height * w / width);
            }
            else
            {
                (w, h) = (int.Parse(parts[0], CultureInfo.InvariantCulture), int.Parse(parts[1], CultureInfo.InvariantCulture));
            }
        }

        if (w == 0 || h == 0 || ((w > width || h > height) && v3 && !caret))
        {
            return null;
        }

        return (w, h);
    }

    private static string RandomRegion(Random random, int width, int height)
    {
        switch (random.Next(5))
        {
            case 0:
                return random.Next(2) == 0 ? "full" : "square";
            case 1 or 2:
                var x = random.Next(width);
                var y = random.Next(height);
                return $"{x},{y},{random.Next(1, width + 50)},{random.Next(1, height + 50)}";
            default:
                var px = Math.Round(random.NextDouble() * 90, random.Next(3));
                var py = Math.Round(random.NextDouble() * 90, random.Next(3));
                var pw = Math.Round(1 + (random.NextDouble() * (100 - px)), random.Next(3));
                var ph = Math.Round(1 + (random.NextDouble() * (100 - py)), random.Next(3));
                return FormattableString.Invariant($"pct:{px},{py},{pw},{ph}");
        }
    }

    private static string RandomSize(Random random, int width, int height, bool v3)
    {
        var caret = v3 && random.Next(4) == 0 ? "^" : "";
        var limit = caret.Length > 0 ? 2 : 1;
        var w = random.Next(1, (width * limit) + 1);
        var h = random.Next(1, (height * limit) + 1);
        return random.Next(6) switch
        {
            // ^max is left out: the reference gives the region's size (no limits configured), Tessera upscales to its
            // advertised limits as 3.0 §4.2 says (see ValidatorTests.size_up_caret_max).
            0 => v3 ? "max" : (random.Next(2) == 0 ? "full" : "max"),
            1 => $"{caret}{w},",
            2 => $"{caret},{h}",
            3 => $"{caret}{w},{h}",
            4 => $"{caret}!{w},{h}",
            _ => FormattableString.Invariant($"{caret}pct:{Math.Round(1 + (random.NextDouble() * 99 * limit), random.Next(3))}"),
        };
    }

    public static TheoryData<string, int> Images()
    {
        var data = new TheoryData<string, int>();
        foreach (var version in new[] { "2.0", "3.0" })
        {
            data.Add(version, -1);
            for (var i = 0; i < ValidatorImages.OddSizes.Length; i++)
            {
                data.Add(version, i);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Images))]
    public async Task Random_valid_requests_have_the_reference_implementations_dimensions(string version, int odd)
    {
        var v = new ValidatorHttp(server, version);
        var v3 = !v.IsV2;
        var (name, width, height) = odd < 0
            ? (ValidatorImages.Identifier, 1000, 1000)
            : (ValidatorImages.OddName(ValidatorImages.OddSizes[odd]), ValidatorImages.OddSizes[odd].Width, ValidatorImages.OddSizes[odd].Height);
        var random = new Random(31337 + odd);
        var checkedCount = 0;
        var failures = new List<string>();
        for (var attempt = 0; checkedCount < 40 && attempt < 400; attempt++)
        {
            var region = RandomRegion(random, width, height);
            var (rw, rh) = Region(region, width, height);
            if (rw <= 0 || rh <= 0)
            {
                continue;
            }

            var size = RandomSize(random, rw, rh, v3);
            if (Size(size, rw, rh, v3) is not { } expected)
            {
                continue;
            }

            checkedCount++;
            var target = $"{v.Prefix}/{name}/{region}/{size}/0/default.png";
            var response = await v.SendAsync(target);
            if (response.Status != 200)
            {
                failures.Add($"{target}: {response.Status} {response.Text}, reference {expected.W}x{expected.H}");
                continue;
            }

            using var image = Tessera.Vips.VipsImage.NewFromBuffer(response.Body);
            if ((image.Width, image.Height) != expected)
            {
                failures.Add($"{target}: {image.Width}x{image.Height}, reference {expected.W}x{expected.H}");
            }
        }

        Assert.True(checkedCount >= 30, $"only {checkedCount} requests checked");
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }
}
