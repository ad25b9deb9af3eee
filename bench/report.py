"""Scores and tabulates the thumbnails of bench/compare.sh.

Reference: a full decode with Pillow (no draft, so no DCT scaling) resized with Lanczos to each thumbnail's size.
SSIM: Wang et al. 2004 on luma (BT.601), Gaussian window sigma 1.5, K1 0.01, K2 0.03.
Reference at q85: the SSIM of the reference itself saved as JPEG q85 (Pillow, libjpeg's standard tables). Every
contender writes q85, so it is the yardstick of what the quantisation alone costs on a file: a contender close to it
loses next to nothing in its decode and resize. It is not a strict bound (another encoder, or luck in rounding, can
land a hair above it).
Usage: report.py WORK_DIR CONTENDER...   (WORK_DIR/<contender>/timings.txt and WORK_DIR/<contender>/out/*.jpg)
"""
import io
import os
import statistics
import sys

import numpy as np
from PIL import Image
from scipy.ndimage import gaussian_filter

Image.MAX_IMAGE_PIXELS = None


def luma(img):
    a = np.asarray(img.convert("RGB"), dtype=np.float64)
    return 0.299 * a[..., 0] + 0.587 * a[..., 1] + 0.114 * a[..., 2]


def ssim(x, y):
    c1, c2 = (0.01 * 255) ** 2, (0.03 * 255) ** 2
    mx, my = gaussian_filter(x, 1.5), gaussian_filter(y, 1.5)
    vx = gaussian_filter(x * x, 1.5) - mx * mx
    vy = gaussian_filter(y * y, 1.5) - my * my
    cxy = gaussian_filter(x * y, 1.5) - mx * my
    s = ((2 * mx * my + c1) * (2 * cxy + c2)) / ((mx * mx + my * my + c1) * (vx + vy + c2))
    return float(s.mean())


def reference_at_q85(ref):
    buffer = io.BytesIO()
    ref.save(buffer, "JPEG", quality=85)
    buffer.seek(0)
    with Image.open(buffer) as saved:
        return ssim(luma(ref), luma(saved))


def size_class(pixels):
    mp = pixels / 1e6
    if mp < 5:
        return "1-4 MP"
    if mp < 20:
        return "5-15 MP"
    if mp < 40:
        return "24 MP"
    return "50 MP"


def read_timings(path):
    walls, cpu = {}, None
    with open(path) as f:
        for line in f:
            if line.startswith(("PEAK_HEAP_MB", "FIRST_PASS_CPU_MS_PER_IMAGE")):
                continue
            name, value = line.rsplit(" ", 1)
            if name == "CPU_MS_PER_IMAGE":
                cpu = float(value)
            else:
                walls[os.path.basename(name)] = float(value)
    return walls, cpu


def wall_cell(walls, name):
    value = walls.get(name, walls.get(name + ".jpg"))
    return "-" if value is None else f"{value:.0f}"


def main():
    work, contenders = sys.argv[1], sys.argv[2:]
    corpus = os.path.join(work, "corpus")
    files = sorted(os.listdir(corpus))
    sizes = {}
    refs = {}
    for name in files:
        with Image.open(os.path.join(corpus, name)) as im:
            sizes[name] = im.size[0] * im.size[1]
            refs[name] = im.convert("RGB")
            refs[name].load()
    classes = ["1-4 MP", "5-15 MP", "24 MP", "50 MP"]
    rows = []
    per_file = {}
    floors = {}
    per_file_wall = {}
    for c in contenders:
        walls, cpu = read_timings(os.path.join(work, c, "timings.txt"))
        scores = {}
        for name in files:
            out = os.path.join(work, c, "out", name)
            if not os.path.exists(out):
                out = out + ".jpg"  # vipsthumbnail appends its own suffix
            with Image.open(out) as thumb:
                ref = refs[name].resize(thumb.size, Image.LANCZOS)
                scores[name] = ssim(luma(ref), luma(thumb))
                if c == contenders[0]:
                    floors[name] = reference_at_q85(ref)
        per_file[c] = scores
        per_file_wall[c] = walls
        by_class = {k: [walls[n] for n in files if size_class(sizes[n]) == k and n in walls] for k in classes}
        rows.append((c, cpu, {k: (statistics.mean(v) if v else None) for k, v in by_class.items()},
                     statistics.mean(scores.values()), min(scores.values())))
    ours = rows[0][1]
    counts = {k: sum(1 for n in files if size_class(sizes[n]) == k) for k in classes}
    header = "| contender | CPU ms/img | CPU vs ours | " + " | ".join(
        f"wall ms {k} (n={counts[k]})" for k in classes) + " | mean SSIM | min SSIM |"
    print(header)
    print("|---" * (5 + len(classes)) + "|")
    for c, cpu, wall, mean_ssim, min_ssim in rows:
        cells = " | ".join("-" if wall[k] is None else f"{wall[k]:.0f}" for k in classes)
        print(f"| {c} | {cpu:.1f} | {cpu / ours:.2f}x | {cells} | {mean_ssim:.4f} | {min_ssim:.4f} |")
    blanks = " | ".join("-" for _ in classes)
    print(f"| reference at q85 | - | - | {blanks} | {statistics.mean(floors.values()):.4f} | "
          f"{min(floors.values()):.4f} |")
    print()
    print("| file | MP | reference at q85 | " + " | ".join(f"SSIM {c}" for c in contenders) + " |")
    print("|---" * (3 + len(contenders)) + "|")
    for name in files:
        print(f"| {name} | {sizes[name] / 1e6:.1f} | {floors[name]:.4f} | "
              + " | ".join(f"{per_file[c][name]:.4f}" for c in contenders) + " |")
    print()
    print("| file | " + " | ".join(f"wall ms {c}" for c in contenders) + " |")
    print("|---" * (1 + len(contenders)) + "|")
    for name in files:
        print(f"| {name} | " + " | ".join(wall_cell(per_file_wall[c], name) for c in contenders) + " |")


if __name__ == "__main__":
    main()
