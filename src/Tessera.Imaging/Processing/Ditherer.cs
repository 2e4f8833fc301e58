namespace Tessera.Imaging.Processing;

/// <summary>
/// Halftones a grey image to pure black and white by Floyd–Steinberg error diffusion (serpentine scan, so the error
/// does not drift in one direction and draw diagonal worms). libvips has no 1-bit error diffusion of its own.
/// </summary>
public static class Ditherer
{
    /// <summary>Returns 0/255 pixels for 8-bit grey <paramref name="grey"/> of <paramref name="width"/>×<paramref name="height"/>.</summary>
    public static byte[] FloydSteinberg(ReadOnlySpan<byte> grey, int width, int height)
    {
        if (grey.Length != checked(width * height))
        {
            throw new ArgumentException($"Expected {width * height} grey pixels but received {grey.Length}", nameof(grey));
        }

        var output = new byte[grey.Length];

        // Two rows of accumulated error, in 1/16ths, with a margin of one pixel each side.
        var current = new int[width + 2];
        var next = new int[width + 2];
        for (var y = 0; y < height; y++)
        {
            var leftToRight = (y & 1) == 0;
            var step = leftToRight ? 1 : -1;
            for (var i = 0; i < width; i++)
            {
                var x = leftToRight ? i : width - 1 - i;
                var index = (y * width) + x;
                var value = grey[index] + (current[x + 1] / 16);
                var white = value >= 128;
                output[index] = white ? (byte)255 : (byte)0;
                var error = value - (white ? 255 : 0);
                current[x + 1 + step] += error * 7;
                next[x + 1 - step] += error * 3;
                next[x + 1] += error * 5;
                next[x + 1 + step] += error;
            }

            (current, next) = (next, current);
            Array.Clear(next);
        }

        return output;
    }
}
