#!/usr/bin/env bash
# Installs the peers (iipsrv, lighttpd, nginx, wrk, libvips tools) and libturbojpeg, builds the mosaic and runs the comparison.
# Results go to bench/RESULTS.md. Takes about 25 minutes on 2 cores. Run as root (or with sudo for the installs).
# `bench/run.sh htj2k` (or SECTION=htj2k) runs only the HTJ2K section: bench/RESULTS-htj2k.md, a few minutes.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
need=()
for pkg in iipimage-server lighttpd nginx wrk libvips-tools libturbojpeg0 icc-profiles-free colord-data; do dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg"); done
if [ ${#need[@]} -gt 0 ]; then
  apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${need[@]}"
  # The packages start system-wide services on the default ports; the benchmark runs its own.
  systemctl stop nginx lighttpd 2>/dev/null || service nginx stop 2>/dev/null || true
fi
"$here/../tessera" --help >/dev/null
if [ "${1:-${SECTION:-}}" = htj2k ]; then
  # The HTJ2K section alone (a few minutes): it converts its own files from samples/ and needs OpenJPH's encoder.
  command -v ojph_compress >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -q openjph-tools
  exec python3 "$here/run.py" htj2k
fi
"$here/make-mosaic.sh"
"$here/make-real.sh"
exec python3 "$here/run.py"
