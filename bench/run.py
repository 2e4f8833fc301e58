#!/usr/bin/env python3
"""Tessera against iipsrv (and nginx serving pre-cut tiles) on the same mosaic, same URL lists, same machine.

Every measurement is a wrk run (-t2 -c16 by default) over a deterministic URL list; runs alternate A B A B and the
table reports the better-of-rounds median figures per server. Server RSS is sampled from /proc after each run.
Usage: bench/run.sh (which installs packages, builds the mosaic and calls this).
"""
import os
import re
import json
import signal
import subprocess
import sys
import time
import urllib.request
from datetime import datetime, timezone
from pathlib import Path

HERE = Path(__file__).resolve().parent
WORK = Path(os.environ.get("WORK", HERE / "work"))
REPO = HERE.parent
DURATION = os.environ.get("DURATION", "15s")
ROUNDS = int(os.environ.get("ROUNDS", "2"))
CONNECTIONS = int(os.environ.get("CONNECTIONS", "16"))
WARMUP = os.environ.get("WARMUP", "10s")
ID = "mosaic.tif"
PORTS = {"tessera": 8200, "tessera-cached": 8203, "iipsrv": 8201, "nginx": 8202, "tessera-embed": 8204}

# The files served: the synthetic untagged mosaic (make-mosaic.sh), and files shaped like users' masters (make-real.sh).
# A figure counts as Tessera's speed only on the real-shaped ones; the untagged rows are kept to compare with earlier tables.
SOURCES = [
    {"key": "untagged", "id": "mosaic.tif", "label": "20000² JPEG pyramid, no profile (synthetic)"},
    {"key": "srgb", "id": "mosaic-srgb.tif", "label": "20000² JPEG pyramid tagged sRGB (colord sRGB.icc)"},
    {"key": "adobe", "id": "mosaic-adobe.tif", "label": "20000² JPEG pyramid in Adobe RGB (1998), tagged", "embed": True},
    {"key": "jp2", "id": "kleiber.jp2", "label": "6028×3391 photograph, lossy JPEG 2000, 512 px tiles"},
]
LISTS = (("tiles.txt", "tiles"), ("regions.txt", "regions"), ("thumbs.txt", "thumbnails"))


def wait_for(url, seconds=120):
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except Exception:
            time.sleep(0.5)
    raise SystemExit(f"bench: {url} did not answer within {seconds}s")


def rss_kb(pids):
    total = peak = 0
    for pid in pids:
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except FileNotFoundError:
            continue
        rss, hwm = re.search(r"VmRSS:\s+(\d+)", status), re.search(r"VmHWM:\s+(\d+)", status)
        if rss is None or hwm is None:
            raise SystemExit(f"bench: server process {pid} has died (see the logs in {WORK})")
        total += int(rss.group(1))
        peak += int(hwm.group(1))
    return total, peak


def pids_of(name):
    out = subprocess.run(["pgrep", "-f", name], capture_output=True, text=True).stdout.split()
    return [int(p) for p in out]


def start_tessera(port, cache, *extra):
    log = open(WORK / f"tessera-{port}.log", "w")
    proc = subprocess.Popen([str(REPO / "tessera"), "serve", "--root", str(WORK / "root"), "--port", str(port), "--cache", cache,
                             "--cache-dir", str(WORK / f"cache-{port}"), "--max-width", "20000", "--max-height", "20000", "--max-area", "400000000",
                             *extra],
                            stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    wait_for(f"http://127.0.0.1:{port}/iiif/3/{ID}/info.json")
    return proc


def start_iipsrv(ready=ID):
    conf = WORK / "lighttpd.conf"
    conf.write_text(f"""
server.document-root = "{WORK}"
server.port = {PORTS['iipsrv']}
server.bind = "127.0.0.1"
server.errorlog = "{WORK}/lighttpd-error.log"
server.pid-file = "{WORK}/lighttpd.pid"
server.modules = ("mod_fastcgi")
server.max-connections = 1024
fastcgi.server = ( "/fcgi-bin/iipsrv.fcgi" => ((
    "socket" => "{WORK}/iipsrv.sock",
    "check-local" => "disable",
    "max-procs" => {os.cpu_count()},
    "bin-path" => "/usr/lib/iipimage-server/iipsrv.fcgi",
    "bin-environment" => (
        "FILESYSTEM_PREFIX" => "{WORK}/root/",
        "JPEG_QUALITY" => "90",
        "MAX_CVT" => "20000",
        "VERBOSITY" => "0",
        "LOGFILE" => "{WORK}/iipsrv.log"
    )
)))
""")
    proc = subprocess.Popen(["lighttpd", "-D", "-f", str(conf)], start_new_session=True)
    wait_for(f"http://127.0.0.1:{PORTS['iipsrv']}/fcgi-bin/iipsrv.fcgi?IIIF={ready}/info.json")
    return proc


def start_nginx():
    conf = WORK / "nginx.conf"
    conf.write_text(f"""
worker_processes {os.cpu_count()};
pid {WORK}/nginx.pid;
error_log {WORK}/nginx-error.log;
daemon off;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    sendfile on;
    tcp_nopush on;
    open_file_cache max=20000 inactive=60s;
    types {{ image/jpeg jpg; }}
    server {{
        listen 127.0.0.1:{PORTS['nginx']};
        location /iiif/3/ {{ alias {WORK}/static/; }}
    }}
}}
""")
    proc = subprocess.Popen(["nginx", "-c", str(conf), "-p", str(WORK)], start_new_session=True)
    wait_for(f"http://127.0.0.1:{PORTS['nginx']}/iiif/3/mosaic/0,0,256,256/256,256/0/default.jpg")
    return proc


def stop(proc):
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=20)
    except Exception:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


def wrk(port, prefix, urls, connections=CONNECTIONS, duration=DURATION):
    env = dict(os.environ, URLS=str(WORK / "urls" / urls), PREFIX=prefix)  # urls: a path under WORK/urls
    out = subprocess.run(["wrk", "-t2", f"-c{connections}", f"-d{duration}", "--latency", "--timeout", "10s", "-s", str(HERE / "paths.lua"),
                          f"http://127.0.0.1:{port}"], capture_output=True, text=True, env=env).stdout

    def latency(p):
        m = re.search(rf"^\s+{p}%\s+([\d.]+)(us|ms|s)", out, re.M)
        if not m:
            return float("nan")
        return float(m.group(1)) * {"us": 0.001, "ms": 1, "s": 1000}[m.group(2)]

    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    errors = sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", out))
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors += int(non2xx.group(1)) if non2xx else 0
    return {"rps": rps, "p50": latency(50), "p99": latency(99), "errors": errors}


def prefix_for(server, identifier=ID):
    return {"iipsrv": f"/fcgi-bin/iipsrv.fcgi?IIIF={identifier}/", "nginx": "/iiif/3/mosaic/"}.get(server, f"/iiif/3/{identifier}/")


def measure(server, port, urls, pids, identifier=ID, **kw):
    result = wrk(port, prefix_for(server, identifier), urls, **kw)
    result["rss_mb"], result["peak_mb"] = [v / 1024 for v in rss_kb(pids())]
    print(f"  {server:16} {urls:12} {result['rps']:9.1f} req/s  p50 {result['p50']:7.2f} ms  p99 {result['p99']:8.2f} ms  "
          f"errors {result['errors']}  rss {result['rss_mb']:.0f} MB", flush=True)
    return result


def best(runs):
    return max(runs, key=lambda r: r["rps"])


def url_lists(source, port):
    """The source's URL lists (tiles of the size Tessera advertises, as a viewer asks), in WORK/urls/KEY/."""
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/iiif/3/{source['id']}/info.json") as response:
        info = json.load(response)
    tile = info["tiles"][0]["width"]
    folder = WORK / "urls" / source["key"]
    subprocess.run([sys.executable, str(HERE / "urls.py"), str(info["width"]), str(info["height"]), str(folder), str(tile)], check=True)
    source.update(width=info["width"], height=info["height"], tile=tile)


def origins(port, source, urls, count=200):
    """Which path answered (X-Tessera-Origin) for the first COUNT paths of a list, asked one at a time after the runs."""
    seen = {}
    for line in (WORK / "urls" / urls).read_text().splitlines()[:count]:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{prefix_for('tessera', source['id'])}{line}") as response:
            origin = response.headers.get("X-Tessera-Origin", "?")
            seen[origin] = seen.get(origin, 0) + 1
    return seen


def main():
    subprocess.run([sys.executable, str(HERE / "urls.py"), "20000", "20000", str(WORK / "urls")], check=True)
    results = {}
    paths = {}
    servers = []
    try:
        tessera = start_tessera(PORTS["tessera"], "none")
        embed = start_tessera(PORTS["tessera-embed"], "none", "--colour", "embed")
        servers += [tessera, embed]
        iipsrv = start_iipsrv()
        servers.append(iipsrv)
        print(f"uncached, {CONNECTIONS} connections, {DURATION} per run, A B alternating x{ROUNDS}")
        for source in SOURCES:
            url_lists(source, PORTS["tessera"])
            print(f"{source['label']} ({source['id']}, {source['tile']} px tiles)")
            contenders = [("tessera", PORTS["tessera"], lambda: [tessera.pid])]
            if source.get("embed"):
                contenders.append(("tessera-embed", PORTS["tessera-embed"], lambda: [embed.pid]))
            contenders.append(("iipsrv", PORTS["iipsrv"], lambda: pids_of("iipsrv.fcgi")))
            for urls, _ in LISTS:
                listed = f"{source['key']}/{urls}"
                # A short unmeasured pass per server first: .NET compiles its hot code again, optimised, in the first
                # seconds of a new kind of work (longer on a busy machine), and iipsrv fills its tile cache; a server
                # in service has done both long before.
                for server, port, _ in contenders:
                    wrk(port, prefix_for(server, source["id"]), listed, duration=WARMUP)
                for _ in range(ROUNDS):
                    for server, port, pids in contenders:
                        results.setdefault((source["key"], server, urls), []).append(measure(server, port, listed, pids, source["id"]))
                for server, port, _ in contenders:
                    if server.startswith("tessera"):
                        paths[(source["key"], server, urls)] = origins(port, source, listed)
        print("memory: Tessera uncached under 64 connections (regions of the sRGB-tagged pyramid, the heaviest)")
        srgb = next(s for s in SOURCES if s["key"] == "srgb")
        results[("srgb", "tessera-64", "regions.txt")] = [measure("tessera", PORTS["tessera"], "srgb/regions.txt", lambda: [tessera.pid], srgb["id"], connections=64)]
        stop(tessera)
        stop(embed)

        cached = start_tessera(PORTS["tessera-cached"], "both")
        servers.append(cached)
        servers.append(start_nginx())
        print("cached: warm-up pass over each list, then measured")
        for urls, _ in LISTS:
            wrk(PORTS["tessera-cached"], prefix_for("tessera"), urls, duration="20s")
            for _ in range(ROUNDS):
                results.setdefault(("untagged", "tessera-cached", urls), []).append(measure("tessera-cached", PORTS["tessera-cached"], urls, lambda: [cached.pid]))
                if urls == "tiles.txt":
                    results.setdefault(("untagged", "nginx", urls), []).append(measure("nginx", PORTS["nginx"], urls, lambda: pids_of("nginx: worker")))
    finally:
        # Every server started is stopped, even when a run fails or a server dies.
        for proc in servers:
            stop(proc)

    # With every server stopped (the machine idle): seeding the sRGB-tagged pyramid, and the codec floor.
    seeding = seed_against_dzsave("mosaic-srgb.tif")
    write_table(results, paths, seeding, codec_floor(["regions.txt", "thumbs.txt"]))


def seed_against_dzsave(identifier):
    """Every tile of a pyramid: `vips dzsave --layout iiif3` against `tessera seed`, wall clock, one run each."""
    print(f"seeding {identifier}: vips dzsave against tessera seed", flush=True)
    timings = {}
    for tool, command in (
        ("vips dzsave --layout iiif3", ["vips", "dzsave", str(WORK / "root" / identifier), str(WORK / "seed-dz"), "--layout", "iiif3",
                                         "--tile-size", "256", "--overlap", "0", "--suffix", ".jpg[Q=90,strip]"]),
        (f"tessera seed --jobs {os.cpu_count()}", [str(REPO / "tessera"), "seed", "--root", str(WORK / "root"), "--out", str(WORK / "seed-ts"),
                                                   "--tile-size", "256", "--jobs", str(os.cpu_count()), identifier]),
    ):
        target = WORK / ("seed-dz" if tool.startswith("vips") else "seed-ts")
        subprocess.run(["rm", "-rf", str(target)], check=True)
        started = time.monotonic()
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        seconds = time.monotonic() - started
        files = sum(1 for _ in target.rglob("default.jpg"))
        timings[tool] = (files, seconds)
        print(f"  {tool}: {files} tiles in {seconds:.1f} s", flush=True)
        subprocess.run(["rm", "-rf", str(target)], check=True)
    return timings


def codec_floor(lists):
    """bench/floor over the lists: per request, the render time on one thread and the part of it inside libjpeg-turbo."""
    print("codec floor: each list rendered in-process, one request at a time", flush=True)
    project = HERE / "floor"
    subprocess.run(["dotnet", "build", str(project), "-c", "Release", "-v", "q", "-nologo", "-o", str(WORK / "floor")], check=True,
                   stdout=subprocess.DEVNULL)
    out = subprocess.run(["dotnet", str(WORK / "floor" / "Tessera.Bench.Floor.dll"), str(WORK / "root"), ID] + [str(WORK / "urls" / l) for l in lists],
                         check=True, capture_output=True, text=True).stdout
    return {r["list"]: r for r in map(json.loads, out.splitlines())}


def write_table(results, paths, seeding, floor):
    cpu = next((l.split(":", 1)[1].strip() for l in Path("/proc/cpuinfo").read_text().splitlines() if l.startswith("model name")), "?")
    mem = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1)) // 1024 // 1024
    labels = {"iipsrv": "iipsrv", "tessera": "Tessera", "tessera-embed": "Tessera, --colour embed", "tessera-cached": "Tessera, cached",
              "nginx": "nginx, static tiles", "tessera-64": "Tessera, 64 connections"}
    lines = [
        f"# Tessera vs iipsrv: {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC",
        "",
        f"Machine: {os.cpu_count()} cores ({cpu}), {mem} GiB; Debian 12, libvips 8.14, iipsrv 1.1 ({os.cpu_count()} FastCGI processes behind lighttpd), nginx 1.22.",
        f"wrk -t2 -c{CONNECTIONS}, {DURATION} a run, A B alternating after a {WARMUP} unmeasured pass each, best of {ROUNDS} rounds, uncached unless said. Lists per file: every tile "
        "of the grid Tessera advertises at every scale factor, 2000 regions of 500..3000 px scaled to !1024,1024, 2000 thumbnails !N,N "
        "with N in 150..1200. Paths: which path answered the first 200 requests of each list (X-Tessera-Origin), asked after the runs.",
        "",
        "Files (bench/make-mosaic.sh, bench/make-real.sh):",
        "",
    ]
    lines += [f"- `{s['id']}`: {s['label']}" for s in SOURCES]
    lines += [
        "",
        "| file | mode | server | requests/s | p50 ms | p99 ms | errors | server RSS MB | ratio to iipsrv | paths |",
        "|---|---|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    for source in SOURCES:
        for urls, mode in LISTS:
            base = best(results[(source["key"], "iipsrv", urls)])["rps"]
            for server in ("iipsrv", "tessera", "tessera-embed", "tessera-64", "tessera-cached", "nginx"):
                if (source["key"], server, urls) not in results:
                    continue
                r = best(results[(source["key"], server, urls)])
                seen = paths.get((source["key"], server, urls), {})
                answered = ", ".join(f"{k} {v}" for k, v in sorted(seen.items(), key=lambda kv: -kv[1]))
                lines.append(f"| {source['id']} | {mode} | {labels[server]} | {r['rps']:.0f} | {r['p50']:.2f} | {r['p99']:.2f} | {r['errors']} | "
                             f"{r['rss_mb']:.0f} (peak {r['peak_mb']:.0f}) | {r['rps'] / base:.2f}x | {answered} |")
    lines += ["", "## Seeding the sRGB-tagged pyramid", "", "| tool | tiles | seconds | tiles/s |", "|---|---:|---:|---:|"]
    for tool, (files, seconds) in seeding.items():
        lines.append(f"| `{tool}` | {files} | {seconds:.1f} | {files / seconds:.0f} |")
    (dz_files, dz_s), (ts_files, ts_s) = seeding.values()
    lines += ["", f"tessera seed / vips dzsave: {(ts_files / ts_s) / (dz_files / dz_s):.2f}x (tiles per second, wall clock, one run each)."]
    lines += [
        "",
        "## Codec floor (untagged mosaic)",
        "",
        "Each list rendered again in one process (bench/floor), one request at a time on the idle machine, through the server's "
        "pipeline: the mean render time, and the part of it spent inside libjpeg-turbo (decoding the stored tiles that cover the "
        "region at the smallest level that still covers the output, and encoding the output). A server on this codec cannot skip "
        f"that part, so {os.cpu_count()} cores serve at most {os.cpu_count()} / (codec time per request) requests a second: the "
        "ceiling. (The TurboJPEG 2.1 API decodes whole tiles; leaving out the inverse DCT of the columns outside a region would "
        "need version 3 and would lower the floor by about 4%.)",
        "",
        "| list | render ms | libjpeg-turbo ms | codec share | ceiling req/s | ceiling / iipsrv | Tessera uncached / ceiling |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for urls, mode in (("regions.txt", "regions"), ("thumbs.txt", "thumbnails")):
        f = floor[urls]
        ceiling = os.cpu_count() * 1000 / f["codec_ms"]
        iip, ours = best(results[("untagged", "iipsrv", urls)])["rps"], best(results[("untagged", "tessera", urls)])["rps"]
        lines.append(f"| {mode} | {f['render_ms']:.2f} | {f['codec_ms']:.2f} | {f['codec_ms'] / f['render_ms']:.0%} | {ceiling:.0f} | "
                     f"{ceiling / iip:.2f}x | {ours / ceiling:.0%} |")
    table = "\n".join(lines) + "\n"
    (HERE / "RESULTS.md").write_text(table)
    print(table)


# --- HTJ2K section (issue 15): `bench/run.sh htj2k` or SECTION=htj2k runs only this, in a few minutes. ---------------
HTJ2K_MASTER = REPO / "samples" / "Kleiber_by_Lukas_Baubkus.jpg"
HTJ2K_PORTS = {"tessera": 8210, "iipsrv": 8211}


def htj2k_files():
    """The one photograph as the four serving copies `tessera convert` writes, all 256 px tiles, in WORK/root/htj2k/."""
    folder = WORK / "root" / "htj2k"
    folder.mkdir(parents=True, exist_ok=True)
    made = {}
    for key, fmt, quality, name in (("tif", "tif", 90, "photo.tif"), ("jp2", "jp2", 90, "photo.jp2"),
                                    ("htj2k", "htj2k", 90, "photo.jph"), ("htj2k-lossless", "htj2k", 100, "photo-lossless.jph")):
        target = folder / name
        if not target.exists():
            out = WORK / f"convert-{key}"
            started = time.time()
            subprocess.run([str(REPO / "tessera"), "convert", str(HTJ2K_MASTER), "--out", str(out), "--format", fmt,
                            "--quality", str(quality), "--jobs", "1", "--force"], check=True)
            produced = next(p for p in out.iterdir() if p.is_file())
            produced.rename(target)
            print(f"  {name}: converted in {time.time() - started:.1f} s", flush=True)
        made[key] = target
    # iipsrv chooses its decoder by extension; 1.1 takes .jph too, but the .jp2 name is sure to reach its OpenJPEG reader.
    alias = folder / "photo-ht.jp2"
    if not alias.exists():
        alias.symlink_to(made["htj2k"].name)
    return made


def htj2k_section():
    made = htj2k_files()
    labels = {"tif": "JPEG pyramid TIFF, Q90", "jp2": "classic JPEG 2000 (jp2ksave), Q90", "htj2k": "HTJ2K, --quality 90",
              "htj2k-lossless": "HTJ2K, lossless (--quality 100)"}
    servers, results = [], {}
    try:
        log = open(WORK / "tessera-htj2k.log", "w")
        tessera = subprocess.Popen([str(REPO / "tessera"), "serve", "--root", str(WORK / "root"), "--port", str(HTJ2K_PORTS["tessera"]),
                                    "--cache", "none", "--max-width", "20000", "--max-height", "20000", "--max-area", "400000000"],
                                   stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        servers.append(tessera)
        wait_for(f"http://127.0.0.1:{HTJ2K_PORTS['tessera']}/iiif/3/htj2k%2Fphoto.tif/info.json")
        PORTS["iipsrv"] = HTJ2K_PORTS["iipsrv"]
        iipsrv = start_iipsrv("htj2k/photo.tif")
        servers.append(iipsrv)
        source = {"key": "htj2k", "id": "htj2k%2Fphoto.tif"}
        url_lists(source, HTJ2K_PORTS["tessera"])
        for key, path in made.items():
            identifier = f"htj2k%2F{path.name}"
            contenders = [("tessera", HTJ2K_PORTS["tessera"], lambda: [tessera.pid], identifier)]
            their_id = {"tif": "htj2k/photo.tif", "jp2": "htj2k/photo.jp2", "htj2k": "htj2k/photo-ht.jp2"}.get(key)
            if their_id and readable_by_iipsrv(their_id):
                contenders.append(("iipsrv", HTJ2K_PORTS["iipsrv"], lambda: pids_of("iipsrv.fcgi"), their_id))
            print(f"{labels[key]} ({path.name}, {path.stat().st_size / 1e6:.1f} MB)", flush=True)
            for urls in ("tiles.txt", "regions.txt"):
                for server, port, pids, ident in contenders:
                    results[(key, server, urls)] = measure(server, port, f"htj2k/{urls}", pids, ident)
    finally:
        for proc in servers:
            stop(proc)

    lines = [
        f"# HTJ2K beside classic JPEG 2000 and the JPEG pyramid: {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC",
        "",
        f"One photograph ({HTJ2K_MASTER.name}, 6028×3391) converted by `tessera convert` four ways, 256 px tiles; uncached, "
        f"{CONNECTIONS} connections, {DURATION} per run, one round; the same URL lists for every file (bench/urls.py: every "
        "tile at every scale; regions of 500..3000 px scaled to fit 1024). iipsrv 1.1 reads the TIFF and the classic JP2; "
        "the HTJ2K file is offered to it under a .jp2 name.",
        "",
        "| file | size MB | server | tiles/s | tiles p99 ms | regions/s | regions p99 ms | errors |",
        "|---|---:|---|---:|---:|---:|---:|---:|",
    ]
    for key, path in made.items():
        for server in ("tessera", "iipsrv"):
            tiles, regions = results.get((key, server, "tiles.txt")), results.get((key, server, "regions.txt"))
            if tiles is None:
                continue
            lines.append(f"| {labels[key]} | {path.stat().st_size / 1e6:.1f} | {'Tessera' if server == 'tessera' else 'iipsrv'} | "
                         f"{tiles['rps']:.0f} | {tiles['p99']:.1f} | {regions['rps']:.0f} | {regions['p99']:.1f} | "
                         f"{tiles['errors'] + regions['errors']} |")
    table = "\n".join(lines) + "\n"
    (HERE / "RESULTS-htj2k.md").write_text(table)
    print(table)


def readable_by_iipsrv(identifier):
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{HTJ2K_PORTS['iipsrv']}/fcgi-bin/iipsrv.fcgi?IIIF={identifier}/0,0,256,256/256,/0/default.jpg", timeout=30) as r:
            return r.status == 200
    except Exception as e:
        print(f"  iipsrv cannot serve {identifier}: {e}", flush=True)
        return False


if __name__ == "__main__":
    if "htj2k" in sys.argv[1:] or os.environ.get("SECTION") == "htj2k":
        htj2k_section()
    else:
        main()
