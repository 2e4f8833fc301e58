#!/usr/bin/env bash
# Builds the benchmark image: a SIZE x SIZE mosaic of the bundled sample photographs (default 20000), saved as a
# tiled pyramidal JPEG TIFF with 256 px tiles at Q90, plus the same tiles pre-cut by libvips for the static upper bound.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
work="${WORK:-$here/work}"
size="${SIZE:-20000}"
cell=$((size / 5))
mkdir -p "$work/root" "$work/cells"
out="$work/root/mosaic.tif"
if [ -f "$out" ] && [ "$(vipsheader -f width "$out")" = "$size" ]; then
  echo "mosaic: $out already built"
else
i=0
cells=()
for photo in "$here"/../samples/*.jpg; do
  vips thumbnail "$photo" "$work/cells/$i.v" "$cell" --height "$cell" --size both --crop centre
  i=$((i + 1))
done
for n in $(seq 0 24); do cells+=("$work/cells/$(( (n * 3 + n / 5) % i )).v"); done
vips arrayjoin "${cells[*]}" "$work/mosaic.v" --across 5
vips tiffsave "$work/mosaic.v" "$out.tmp.tif" --tile --tile-width 256 --tile-height 256 --pyramid --compression jpeg --Q 90 --bigtiff
mv "$out.tmp.tif" "$out"
rm -rf "$work/cells" "$work/mosaic.v"
echo "mosaic: $(vipsheader "$out")"
fi

[ -d "$work/static/mosaic" ] && { echo "static tiles: already cut"; exit 0; }

# The static upper bound: the same tiles, pre-cut in the IIIF 3 layout, for nginx.
rm -rf "$work/static" && mkdir -p "$work/static"
vips dzsave "$out" "$work/static/mosaic" --layout iiif3 --tile-size 256 --overlap 0 --suffix '.jpg[Q=90]'
echo "static tiles: $(find "$work/static" -name '*.jpg' | wc -l)"
