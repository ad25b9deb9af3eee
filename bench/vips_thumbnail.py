"""libvips side of bench/compare.sh, through the vipsthumbnail CLI (shrink-on-load).

CPU: one vipsthumbnail process per pass over all files (child CPU time / files, median over passes).
Wall per file: one process per file, minus the median wall time of a process on a 1x1 JPEG (process start-up).
"""
import os
import resource
import statistics
import subprocess
import sys
import time


def run(args):
    subprocess.run(args, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def main():
    out_dir, passes, tiny, files = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4:]
    os.makedirs(out_dir, exist_ok=True)
    pattern = os.path.join(os.path.abspath(out_dir), "%s.jpg[Q=85,strip]")
    cpu = []
    for _ in range(passes):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        run(["vipsthumbnail", "-s", "256x256", "-o", pattern] + files)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        used = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        cpu.append(used * 1000 / len(files))
    startup = []
    for _ in range(5):
        t0 = time.perf_counter()
        run(["vipsthumbnail", "-s", "256x256", "-o", os.path.join("/tmp", "vips-tiny.jpg"), tiny])
        startup.append((time.perf_counter() - t0) * 1000)
    base = statistics.median(startup)
    for f in files:
        walls = []
        for _ in range(3):
            t0 = time.perf_counter()
            run(["vipsthumbnail", "-s", "256x256", "-o", pattern, f])
            walls.append((time.perf_counter() - t0) * 1000 - base)
        print(f, round(max(0.0, statistics.median(walls)), 1))
    print("CPU_MS_PER_IMAGE", round(statistics.median(cpu), 1))


if __name__ == "__main__":
    main()
