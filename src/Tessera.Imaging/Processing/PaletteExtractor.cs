namespace Tessera.Imaging.Processing;

/// <summary>
/// The dominant colours of an image: k-means in CIE Lab over the pixels of a small rendition (a few thousand pixels
/// describe a photograph's colours as well as millions), seeded deterministically (k-means++ with a fixed seed) so the
/// same image always gives the same palette. Colours are ordered by how many pixels they stand for.
/// </summary>
public static class PaletteExtractor
{
    private const int Iterations = 12;

    /// <summary>The <paramref name="count"/> dominant colours of interleaved 8-bit RGB pixels.</summary>
    public static IReadOnlyList<PaletteColour> Extract(ReadOnlySpan<byte> rgb, int count = 5)
    {
        var n = rgb.Length / 3;
        if (n == 0)
        {
            return [];
        }

        var pixels = new Lab[n];
        var colours = new (byte R, byte G, byte B)[n];
        for (var i = 0; i < n; i++)
        {
            colours[i] = (rgb[i * 3], rgb[(i * 3) + 1], rgb[(i * 3) + 2]);
            pixels[i] = Lab.FromSrgb(colours[i].R, colours[i].G, colours[i].B);
        }

        var centres = Seed(pixels, Math.Min(count, n));
        var assignment = new int[n];
        for (var iteration = 0; iteration < Iterations; iteration++)
        {
            var changed = Assign(pixels, centres, assignment);
            Update(pixels, centres, assignment);
            if (!changed && iteration > 0)
            {
                break;
            }
        }

        // Report each cluster by the mean of its pixels in sRGB (what a designer would pick from the image).
        var sums = new long[centres.Length, 4];
        for (var i = 0; i < n; i++)
        {
            var k = assignment[i];
            sums[k, 0] += colours[i].R;
            sums[k, 1] += colours[i].G;
            sums[k, 2] += colours[i].B;
            sums[k, 3]++;
        }

        var palette = new List<PaletteColour>();
        for (var k = 0; k < centres.Length; k++)
        {
            var members = sums[k, 3];
            if (members == 0)
            {
                continue;
            }

            var (r, g, b) = ((byte)(sums[k, 0] / members), (byte)(sums[k, 1] / members), (byte)(sums[k, 2] / members));
            var (name, _) = NamedColours.Nearest(r, g, b);
            palette.Add(new PaletteColour(NamedColours.Hex(r, g, b), name, NamedColours.Reference, (double)members / n));
        }

        return [.. palette.OrderByDescending(p => p.Share).ThenBy(p => p.Hex, StringComparer.Ordinal)];
    }

    private static Lab[] Seed(Lab[] pixels, int count)
    {
        var random = new Random(20180718);
        var centres = new List<Lab> { pixels[random.Next(pixels.Length)] };
        var distances = new double[pixels.Length];
        while (centres.Count < count)
        {
            double total = 0;
            for (var i = 0; i < pixels.Length; i++)
            {
                var nearest = double.MaxValue;
                foreach (var centre in centres)
                {
                    nearest = Math.Min(nearest, pixels[i].DistanceSquared(centre));
                }

                distances[i] = nearest;
                total += nearest;
            }

            if (total <= 0)
            {
                break; // fewer distinct colours than asked for
            }

            var pick = random.NextDouble() * total;
            var chosen = pixels.Length - 1;
            for (var i = 0; i < pixels.Length; i++)
            {
                pick -= distances[i];
                if (pick <= 0)
                {
                    chosen = i;
                    break;
                }
            }

            centres.Add(pixels[chosen]);
        }

        return [.. centres];
    }

    private static bool Assign(Lab[] pixels, Lab[] centres, int[] assignment)
    {
        var changed = false;
        for (var i = 0; i < pixels.Length; i++)
        {
            var best = 0;
            var bestDistance = double.MaxValue;
            for (var k = 0; k < centres.Length; k++)
            {
                var d = pixels[i].DistanceSquared(centres[k]);
                if (d < bestDistance)
                {
                    (best, bestDistance) = (k, d);
                }
            }

            changed |= assignment[i] != best;
            assignment[i] = best;
        }

        return changed;
    }

    private static void Update(Lab[] pixels, Lab[] centres, int[] assignment)
    {
        var sums = new double[centres.Length, 4];
        for (var i = 0; i < pixels.Length; i++)
        {
            var k = assignment[i];
            sums[k, 0] += pixels[i].L;
            sums[k, 1] += pixels[i].A;
            sums[k, 2] += pixels[i].B;
            sums[k, 3]++;
        }

        for (var k = 0; k < centres.Length; k++)
        {
            if (sums[k, 3] > 0)
            {
                centres[k] = new Lab(sums[k, 0] / sums[k, 3], sums[k, 1] / sums[k, 3], sums[k, 2] / sums[k, 3]);
            }
        }
    }
}
