#!/usr/bin/env python3
"""Writes the benchmark's deterministic URL lists (IIIF paths after the identifier) for an image of W x H pixels.

Usage: urls.py W H FOLDER [TILE]

tiles.txt    every tile of the grid (256 px, or the size given) at every scale factor, shuffled (what a deep-zoom viewer asks)
regions.txt  random regions of 500..3000 px, scaled to fit 1024 x 1024 (never up)
thumbs.txt   whole-image thumbnails !N,N with N in 150..1200
"""
import math
import random
import sys
from pathlib import Path


def tiles(width, height, tile=256):
    out = []
    scale = 1
    while True:
        span = tile * scale
        for y in range(0, height, span):
            for x in range(0, width, span):
                w, h = min(span, width - x), min(span, height - y)
                out.append(f"{x},{y},{w},{h}/{math.ceil(w / scale)},{math.ceil(h / scale)}/0/default.jpg")
        if span >= width and span >= height:
            break
        scale *= 2
    return out


def main():
    width, height, folder = int(sys.argv[1]), int(sys.argv[2]), Path(sys.argv[3])
    tile = int(sys.argv[4]) if len(sys.argv) > 4 else 256
    rng = random.Random(20261121)
    folder.mkdir(parents=True, exist_ok=True)
    grid = tiles(width, height, tile)
    rng.shuffle(grid)
    (folder / "tiles.txt").write_text("\n".join(grid) + "\n")
    regions = []
    for _ in range(2000):
        w, h = rng.randint(500, 3000), rng.randint(500, 3000)
        x, y = rng.randint(0, width - w), rng.randint(0, height - h)
        # Scaled to fit 1024 x 1024; a region already smaller is sent at its own size (3.0 upscales only with ^).
        size = "!1024,1024" if max(w, h) > 1024 else "max"
        regions.append(f"{x},{y},{w},{h}/{size}/0/default.jpg")
    (folder / "regions.txt").write_text("\n".join(regions) + "\n")
    thumbs = [f"full/!{n},{n}/0/default.jpg" for n in (rng.randint(150, 1200) for _ in range(2000))]
    (folder / "thumbs.txt").write_text("\n".join(thumbs) + "\n")
    print(f"urls: {len(grid)} tiles, {len(regions)} regions, {len(thumbs)} thumbnails")


if __name__ == "__main__":
    main()
