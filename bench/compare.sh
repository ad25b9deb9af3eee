#!/usr/bin/env bash
# Thumbnail benchmark: this project's resizer (ThumbnailatorResizer: DCT-scaling decoder + Thumbnailator) vs ImageIO + Thumbnailator vs Pillow
# thumbnail() vs vipsthumbnail, on the same photos in the same run. Each contender makes a JPEG q85 that fits
# 256x256 from every file, PASSES times in one process; the table gives CPU ms per image (median over passes), mean
# wall ms per size class, and SSIM against a full-decode Lanczos reference (bench/report.py).
#
# Needs: a JDK 21+ (JAVA_HOME), python3 with numpy+scipy, Pillow, ImageMagick, libvips-tools, and Debian's
# plasma-workspace-wallpapers (the photos). On Debian:
#   apt-get install -y plasma-workspace-wallpapers imagemagick libvips-tools python3-pil python3-numpy python3-scipy
#
# Usage: bench/compare.sh [PASSES]       (default 9; ImageIO runs min(PASSES, 3): it is slow)
# Env:   BENCH_WORK (default bench/work), WALLPAPERS (default /usr/share/wallpapers), PYTHON (a python3 with Pillow;
#        default python3, else Debian's /usr/bin/python3)
set -euo pipefail
cd "$(dirname "$0")/.."
PASSES=${1:-9}
WORK=${BENCH_WORK:-bench/work}
WALLPAPERS=${WALLPAPERS:-/usr/share/wallpapers}
JAVA=${JAVA_HOME:+$JAVA_HOME/bin/}java
CORPUS=$WORK/corpus

PY=${PYTHON:-python3}
"$PY" -c 'import PIL' 2>/dev/null || PY=/usr/bin/python3
"$PY" -c 'import PIL, numpy, scipy' 2>/dev/null || { echo "python3 needs Pillow, numpy and scipy (PYTHON=...)" >&2; exit 1; }
for tool in convert vipsthumbnail; do
    command -v "$tool" >/dev/null || { echo "missing $tool (see the header of $0)" >&2; exit 1; }
done

# 1. corpus: the 16 largest distinct wallpaper photos (1 MP or more), plus two scaled to 24 MP and two to 50 MP
#    (one baseline and one progressive each, 4:2:0, q90). Built once; delete $CORPUS to rebuild.
if [ ! -d "$CORPUS" ]; then
    rm -rf "$CORPUS.tmp"
    mkdir -p "$CORPUS.tmp"
    find "$WALLPAPERS" -iname '*.jp*g' -print0 | xargs -0 md5sum | sort | awk '!seen[$1]++ {print $2}' > "$CORPUS.tmp/list"
    while read -r f; do
        read -r w h < <(identify -format '%w %h\n' "$f" 2>/dev/null | head -1 || echo "0 0")
        if [ $(( ${w:-0} * ${h:-0} )) -ge 1000000 ]; then echo "$(( w * h )) $f"; fi
    done < "$CORPUS.tmp/list" | sort -rn > "$CORPUS.tmp/sized"
    head -16 "$CORPUS.tmp/sized" | while read -r px f; do
        name=$(echo "$f" | sed -E 's|.*/wallpapers/([^/]+)/.*/([^/]+)$|\1-\2|')
        cp "$f" "$CORPUS.tmp/$name"
    done
    rm "$CORPUS.tmp/list" "$CORPUS.tmp/sized"
    big=$(ls -S "$CORPUS.tmp" | head -2)
    set -- $big
    convert "$CORPUS.tmp/$1" -resize 24000000@ -sampling-factor 2x2 -quality 90 "$CORPUS.tmp/24MP-baseline-$1"
    convert "$CORPUS.tmp/$2" -resize 24000000@ -sampling-factor 2x2 -quality 90 -interlace JPEG "$CORPUS.tmp/24MP-progressive-$2"
    convert "$CORPUS.tmp/$2" -resize 50000000@ -sampling-factor 2x2 -quality 90 "$CORPUS.tmp/50MP-baseline-$2"
    convert "$CORPUS.tmp/$1" -resize 50000000@ -sampling-factor 2x2 -quality 90 -interlace JPEG "$CORPUS.tmp/50MP-progressive-$1"
    mv "$CORPUS.tmp" "$CORPUS"
fi
FILES=("$CORPUS"/*)
echo "corpus: ${#FILES[@]} files in $CORPUS" >&2

# 2. build the Java side once (test classes hold the bench main)
./mvnw -B -ntp -q -DskipTests test-compile dependency:build-classpath -Dmdep.includeScope=test \
    -Dmdep.outputFile="$WORK/classpath.txt" > "$WORK/build.log" 2>&1 \
    || { cat "$WORK/build.log" >&2; echo "the build failed (a JDK 21 or newer in JAVA_HOME?)" >&2; exit 1; }
CP="target/classes:target/test-classes:$(cat "$WORK/classpath.txt")"
BENCH=io.github.lambdaimageprocessor.benchmark.ThumbnailBench

# 3. contenders, one after the other (never concurrently: they share 2 cores)
run() { local name=$1; shift; mkdir -p "$WORK/$name"; echo "running $name" >&2; "$@" > "$WORK/$name/timings.txt"; }
run ours "$JAVA" -cp "$CP" $BENCH ours "$WORK/ours/out" "$PASSES" "${FILES[@]}"
run imageio "$JAVA" -cp "$CP" $BENCH imageio "$WORK/imageio/out" "$(( PASSES < 3 ? PASSES : 3 ))" "${FILES[@]}"
run pillow "$PY" bench/pillow_thumbnail.py "$WORK/pillow/out" "$PASSES" "${FILES[@]}"
convert -size 1x1 xc:grey "$WORK/tiny.jpg"
run vips "$PY" bench/vips_thumbnail.py "$WORK/vips/out" "$PASSES" "$WORK/tiny.jpg" "${FILES[@]}"

# 4. peak heap of our path on the 50 MP photos under a 128 MB heap cap
echo "running ours under -Xmx128m on the 50 MP files" >&2
"$JAVA" -Xmx128m -cp "$CP" $BENCH ours "$WORK/heap/out" 1 "$CORPUS"/50MP-* | grep -E 'PEAK|CPU' > "$WORK/heap.txt"

# 5. the table
{
    echo "Machine: $(nproc) vCPU, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); load before run: $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "JDK: $("$JAVA" -version 2>&1 | head -1); Pillow $("$PY" -c 'import PIL; print(PIL.__version__)'); $(vips --version)"
    echo "Passes: $PASSES (ImageIO: $(( PASSES < 3 ? PASSES : 3 ))); files: ${#FILES[@]}"
    echo
    "$PY" bench/report.py "$WORK" ours imageio pillow vips
    echo
    echo "Ours under -Xmx128m on the 50 MP files: $(tr '\n' ' ' < "$WORK/heap.txt")"
} | tee "$WORK/results.md"
