"""Pillow side of bench/compare.sh: thumbnail() into 256x256, JPEG q85, PASSES passes in one process.

Prints "path wall_ms_median" per file and "CPU_MS_PER_IMAGE x" (median over passes of process CPU / files).
"""
import os
import statistics
import sys
import time

from PIL import Image


def main():
    out_dir, passes, files = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
    os.makedirs(out_dir, exist_ok=True)
    walls = {f: [] for f in files}
    cpu = []
    for p in range(passes):
        c0 = time.process_time()
        for f in files:
            t0 = time.perf_counter()
            with Image.open(f) as im:
                im.thumbnail((256, 256))  # draft() DCT scaling on decode, then a reducing_gap resize
                target = os.path.join(out_dir, os.path.basename(f)) if p == passes - 1 else os.devnull
                im.save(target, "JPEG", quality=85)
            walls[f].append((time.perf_counter() - t0) * 1000)
        cpu.append((time.process_time() - c0) * 1000 / len(files))
    for f in files:
        print(f, round(statistics.median(walls[f]), 1))
    print("CPU_MS_PER_IMAGE", round(statistics.median(cpu), 1))


if __name__ == "__main__":
    main()
