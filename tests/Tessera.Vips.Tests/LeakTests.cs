using System.Diagnostics;
using Tessera.Vips;

namespace Tessera.Vips.Tests;

/// <summary>
/// Leaks are bugs: thousands of decode → resize → encode rounds must leave libvips' tracked memory, open files and
/// allocations where they started, and the process's resident memory roughly flat. libvips' counters are global, so
/// this runs alone (no other test's images in flight).
/// </summary>
[Collection(nameof(LeakTests))]
public sealed class LeakTests
{
    [Fact]
    public void Thousands_of_operations_leave_nothing_behind()
    {
        using var source = VipsOperation.Image("xyz", ("width", 300), ("height", 200));
        using var banded = source.Cast(BandFormat.UChar);
        var jpeg = banded.SaveToBuffer("jpegsave_buffer");
        var path = Path.Combine(Path.GetTempPath(), $"tessera-leak-{Guid.NewGuid():N}.jpg");
        File.WriteAllBytes(path, jpeg);
        try
        {
            Round(jpeg, path); // warm up: first calls register types and allocate pools
            GC.Collect();
            GC.WaitForPendingFinalizers();
            var memBefore = VipsRuntime.TrackedMemory;
            var allocsBefore = VipsRuntime.TrackedAllocations;
            var rssBefore = Process.GetCurrentProcess().WorkingSet64;

            for (var i = 0; i < 1500; i++)
            {
                Round(jpeg, path);
            }

            GC.Collect();
            GC.WaitForPendingFinalizers();
            using var process = Process.GetCurrentProcess();
            var rssGrowth = process.WorkingSet64 - rssBefore;

            Assert.Equal(memBefore, VipsRuntime.TrackedMemory);
            Assert.Equal(allocsBefore, VipsRuntime.TrackedAllocations);
            Assert.Equal(0, VipsRuntime.TrackedFiles);
            Assert.True(rssGrowth < 64 * 1024 * 1024, $"RSS grew by {rssGrowth / 1024 / 1024} MB over 3000 round trips");
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static void Round(byte[] jpeg, string path)
    {
        using (var fromBuffer = VipsImage.NewFromBuffer(jpeg))
        using (var small = fromBuffer.Resize(0.5, 0.5))
        {
            _ = small.SaveToBuffer("pngsave_buffer", ("compression", 1));
        }

        using var fromFile = VipsImage.NewFromFile(path, ("access", "sequential"));
        using var crop = fromFile.ExtractArea(10, 10, 100, 100);
        _ = crop.SaveToBuffer("webpsave_buffer");
    }
}

/// <summary>Runs after the parallel tests, by itself.</summary>
[CollectionDefinition(nameof(LeakTests), DisableParallelization = true)]
public sealed class LeakTestsCollection;
