#!/usr/bin/env bash
# Builds the benchmark's files shaped like users' masters, beside the synthetic mosaic (make-mosaic.sh, run first):
#   mosaic-srgb.tif   the mosaic's pixels tagged with a real sRGB profile (colord's sRGB.icc), as most masters are
#   mosaic-adobe.tif  the mosaic converted to Adobe RGB (1998) and tagged with it (icc-profiles-free's profile)
#   kleiber.jp2       a 6028x3391 photograph as lossy JPEG 2000 with 512 px tiles (libvips' jp2ksave defaults otherwise)
# All pyramids: tiled JPEG TIFF, 256 px tiles, Q90, as libvips writes them with the profile kept (no strip).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
work="${WORK:-$here/work}"
root="$work/root"
srgb=/usr/share/color/icc/colord/sRGB.icc
adobe=/usr/share/color/icc/compatibleWithAdobeRGB1998.icc
for profile in "$srgb" "$adobe"; do
  [ -f "$profile" ] || { echo "make-real: $profile is missing (apt-get install colord-data icc-profiles-free)" >&2; exit 1; }
done

pyramid() { # $1 output name, $2 ICC profile the pixels are converted to and tagged with
  local out="$root/$1"
  if [ -f "$out" ]; then echo "$1: already built"; return; fi
  vips icc_transform "$root/mosaic.tif" "$work/tagged.v" "$2" --input-profile srgb --intent relative
  vips tiffsave "$work/tagged.v" "$out.tmp.tif" --tile --tile-width 256 --tile-height 256 --pyramid --compression jpeg --Q 90 --bigtiff
  mv "$out.tmp.tif" "$out"
  rm -f "$work/tagged.v"
  echo "$1: $(vipsheader "$out"), profile $(vipsheader -f icc-profile-data "$out" 2>/dev/null | head -c 40 | wc -c) bytes shown"
}

pyramid mosaic-srgb.tif "$srgb"
pyramid mosaic-adobe.tif "$adobe"

if [ -f "$root/kleiber.jp2" ]; then
  echo "kleiber.jp2: already built"
else
  vips jp2ksave "$here/../samples/Kleiber_by_Lukas_Baubkus.jpg" "$root/kleiber.tmp.jp2" --tile-width 512 --tile-height 512
  mv "$root/kleiber.tmp.jp2" "$root/kleiber.jp2"
  echo "kleiber.jp2: $(vipsheader "$root/kleiber.jp2")"
fi
