#!/usr/bin/env bash
# Seeding benchmark: `tessera seed` against `vips dzsave --layout iiif3` on the same pyramid TIFF, same tile size
# (256) and JPEG quality (90). Prints a Markdown table with the machine it ran on. Usage:
#   bench/seed/run.sh [SIDE_PX=10000] [RUNS=3]
# The source is made here: a photograph from samples/ tiled to SIDE×SIDE with libvips, then `tessera convert`ed into
# a tiled pyramidal JPEG TIFF (what a Tessera deployment serves from). Work happens in a temporary folder.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
side="${1:-10000}"
runs="${2:-3}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

dotnet build "$here/src/Tessera.Cli" -c Release -v q -nologo >/dev/null
tessera=(dotnet "$here/src/Tessera.Cli/bin/Release/net10.0/tessera.dll")

vips thumbnail "$here/samples/sunset_by_Aitzol_Berasategi.jpg" "$work/small.jpg" 1000 --height 1000 --size force
across=$(( (side + 999) / 1000 ))
vips replicate "$work/small.jpg" "$work/wide.v" "$across" "$across"
vips crop "$work/wide.v" "$work/master.jpg[Q=90]" 0 0 "$side" "$side"
rm -f "$work/wide.v"
mkdir -p "$work/root"
"${tessera[@]}" convert "$work/master.jpg" --out "$work/root" --tile-size 256 --quality 90 2>/dev/null
source="$work/root/master.tif"

now() { date +%s.%N; }
best_dz=""; best_ts=""; tiles_dz=0; tiles_ts=0
for run in $(seq "$runs"); do
  rm -rf "$work/dz" "$work/ts"; sync
  t0=$(now); vips dzsave "$source" "$work/dz" --layout iiif3 --tile-size 256 --overlap 0 --suffix '.jpg[Q=90,strip]'; t1=$(now)
  tiles_dz=$(find "$work/dz" -name default.jpg | wc -l)
  dz=$(echo "$t1 - $t0" | bc -l)
  sync
  t0=$(now); "${tessera[@]}" seed --root "$work/root" --out "$work/ts" --tile-size 256 --jobs "$(nproc)" master.tif 2>/dev/null; t1=$(now)
  tiles_ts=$(find "$work/ts" -name default.jpg | wc -l)
  ts=$(echo "$t1 - $t0" | bc -l)
  echo "run $run: dzsave $tiles_dz files in ${dz}s, tessera seed $tiles_ts files in ${ts}s" >&2
  if [ -z "$best_dz" ] || (( $(echo "$dz < $best_dz" | bc -l) )); then best_dz=$dz; fi
  if [ -z "$best_ts" ] || (( $(echo "$ts < $best_ts" | bc -l) )); then best_ts=$ts; fi
done

rate_dz=$(echo "$tiles_dz / $best_dz" | bc -l)
rate_ts=$(echo "$tiles_ts / $best_ts" | bc -l)
cpu=$(lscpu | sed -n 's/^Model name: *//p' | head -1)
cat <<MD
Seeding ${side}×${side} px ($(vipsheader -f n-pages "$source") pyramid levels, 256 px JPEG tiles, Q 90), best of $runs runs, wall clock including process start.

| tool | files | seconds | files/s |
|---|---:|---:|---:|
| \`vips dzsave --layout iiif3\` | $tiles_dz | $(printf %.2f "$best_dz") | $(printf %.0f "$rate_dz") |
| \`tessera seed --jobs $(nproc)\` | $tiles_ts | $(printf %.2f "$best_ts") | $(printf %.0f "$rate_ts") |

tessera/dzsave: $(printf %.2f "$(echo "$rate_ts / $rate_dz" | bc -l)")×. Machine: $cpu, $(nproc) cores (shared), $(free -g | awk '/Mem:/ {print $2}') GB RAM, $(. /etc/os-release; echo "$PRETTY_NAME"), libvips $(vips --version | cut -d- -f2), .NET $(dotnet --version), $(date -u +%Y-%m-%d).
MD
