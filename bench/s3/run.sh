#!/usr/bin/env bash
# Stored tiles and regions of one pyramid TIFF served uncached from a local folder and from a bucket of s3rver (an
# S3-protocol server on 127.0.0.1), with wrk; and how many store requests each response cost (s3rver's request count).
# Usage: bench/s3/run.sh [SECONDS] [CONNECTIONS]. Needs libvips' vips tool, node with web/node_modules, wrk.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
seconds="${1:-10}"
connections="${2:-4}"
work="$(mktemp -d /tmp/tessera-bench-s3-XXXXXX)"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT

mkdir -p "$work/images" "$work/s3rver" "$work/spool"
vips tiffsave "$repo/samples/Kleiber_by_Lukas_Baubkus.jpg" "$work/images/kleiber.tif" --tile --tile-width 256 --tile-height 256 --pyramid --compression jpeg --Q 85
# Level-0 stored tiles (interior ones) and 512x512 regions at full size (the JPEG-tile path), as URL paths.
python3 - "$work" <<'PY'
import sys
work = sys.argv[1]
with open(f"{work}/tiles.txt", "w") as f:
    for y in range(0, 3072, 256):
        for x in range(0, 5888, 256):
            f.write(f"/iiif/3/kleiber.tif/{x},{y},256,256/256,/0/default.jpg\n")
with open(f"{work}/regions.txt", "w") as f:
    for y in range(100, 2800, 300):
        for x in range(100, 5400, 300):
            f.write(f"/iiif/3/kleiber.tif/{x},{y},512,512/512,/0/default.jpg\n")
PY

node -e '
const S3rver = require(process.argv[1]);
const fs = require("fs");
const server = new S3rver({ address: "127.0.0.1", port: 0, directory: process.argv[2], silent: true, configureBuckets: [{ name: "bench", configs: [] }] });
server.run().then(({ port }) => {
  server.httpServer.on("request", req => fs.appendFileSync(process.argv[3], req.method + " " + (req.headers.range || "-") + "\n"));
  console.log(port);
});' "$repo/web/node_modules/s3rver" "$work/s3rver" "$work/s3rver.requests" > "$work/s3rver.port" &
pids+=($!)
for _ in $(seq 50); do [ -s "$work/s3rver.port" ] && break; sleep 0.2; done
s3port="$(head -1 "$work/s3rver.port")"
curl -sf -X PUT --data-binary "@$work/images/kleiber.tif" "http://127.0.0.1:$s3port/bench/coll/kleiber.tif" > /dev/null

export AWS_ACCESS_KEY_ID=S3RVER AWS_SECRET_ACCESS_KEY=S3RVER AWS_REGION=us-east-1 AWS_ENDPOINT_URL_S3="http://127.0.0.1:$s3port" Tessera__S3__ForcePathStyle=true Tessera__SpoolDirectory="$work/spool"
"$repo/tessera" serve --root "$work/images" --port 18301 --cache none > "$work/local.log" 2>&1 &
pids+=($!)
"$repo/tessera" serve --root s3://bench/coll --port 18302 --cache none > "$work/s3.log" 2>&1 &
pids+=($!)
for port in 18301 18302; do
  for _ in $(seq 300); do curl -sf "http://127.0.0.1:$port/iiif/3/kleiber.tif/info.json" > /dev/null && break; sleep 0.2; done
done

count() { wc -l < "$work/s3rver.requests"; }
printf '%-8s %-8s %12s %10s %18s\n' kind root "requests/s" "p50" "store requests/resp"
for kind in tiles regions; do
  for root in local s3; do
    port=$([ "$root" = local ] && echo 18301 || echo 18302)
    before="$(count)"
    out="$(URLS="$work/$kind.txt" PREFIX="" wrk -t2 -c"$connections" -d"${seconds}s" --latency -s "$repo/bench/paths.lua" "http://127.0.0.1:$port" 2>&1)"
    after="$(count)"
    total="$(echo "$out" | awk '/requests in/ {print $1}')"
    rps="$(echo "$out" | awk '/Requests\/sec/ {print $2}')"
    p50="$(echo "$out" | awk '/ 50%/ {print $2}')"
    per="-"
    if [ "$root" = s3 ] && [ "${total:-0}" -gt 0 ]; then per="$(python3 -c "print(f'{($after-$before)/$total:.2f}')")"; fi
    printf '%-8s %-8s %12s %10s %18s\n' "$kind" "$root" "$rps" "$p50" "$per"
  done
done
