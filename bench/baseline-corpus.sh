#!/usr/bin/env bash
# Builds the baseline-only set of camera-like photos of bench/compare-baseline.sh into DIR (default
# bench/work/baseline/corpus, where compare-baseline.sh and jit-flags.sh look): Debian's plasma-workspace-wallpapers
# photos resized with ImageMagick and written by libjpeg-turbo's cjpeg at fixed settings, the way cameras and phones
# write them: baseline (sequential Huffman, the standard tables, not optimised), 4:2:0 or 4:2:2, with or without restart
# markers (one per MCU row), q90-95, 2-50 MP.
# The sizes above the 15 MP sources are upscaled; at 24 MP Gaussian noise added to the source before the upscale
# (grain) keeps the entropy-coded data about as dense as a camera's (3-3.5 bits per pixel) instead of the smooth result
# of an upscale; the 50 MP files are plain upscales (sparser data: ImageMagick's noise at that size takes minutes).
#
# Needs: apt-get install -y plasma-workspace-wallpapers imagemagick libjpeg-turbo-progs
# Usage: bench/baseline-corpus.sh [DIR]      (built once; delete DIR to rebuild)
set -euo pipefail
cd "$(dirname "$0")/.."
DIR=${1:-bench/work/baseline/corpus}
W=${WALLPAPERS:-/usr/share/wallpapers}
[ -d "$DIR" ] && exit 0
for tool in convert cjpeg; do
    command -v "$tool" >/dev/null || { echo "missing $tool (see the header of $0)" >&2; exit 1; }
done
mkdir -p "$DIR.tmp"   # an interrupted build resumes: files already made are kept
# name  source  size  quality  sampling  restart(yes/no)  noise
while read -r name src size quality sampling restart noise; do
    [ -z "$name" ] && continue
    [ -s "$DIR.tmp/$name.jpg" ] && continue
    in="$W/$src/contents/images/$([ "$src" = Autumn ] || [ "$src" = BytheWater ] && echo 2560x1600.jpg || echo 5120x2880.jpg)"
    noiseargs=()
    if [ "$noise" = yes ]; then noiseargs=(-attenuate 0.4 +noise Gaussian); fi
    rst=()
    if [ "$restart" = yes ]; then rst=(-restart 1); fi
    convert "$in" "${noiseargs[@]}" -resize "$size!" -depth 8 ppm:- \
        | cjpeg -quality "$quality" -sample "$sampling" "${rst[@]}" -outfile "$DIR.tmp/$name.part"
    mv "$DIR.tmp/$name.part" "$DIR.tmp/$name.jpg"
    echo "$name.jpg $(stat -c %s "$DIR.tmp/$name.jpg") bytes" >&2
done <<'LIST'
2MP-420-Autumn Autumn 1920x1200 90 2x2 no no
2MP-422-rst-BytheWater BytheWater 1920x1200 92 2x1 yes no
5MP-420-rst-Volna Volna 3000x1688 92 2x2 yes no
5MP-422-Shell Shell 3000x1688 90 2x1 no no
8MP-420-SafeLanding SafeLanding 3840x2160 92 2x2 no no
12MP-420-rst-Honeywave Honeywave 4624x2600 92 2x2 yes no
15MP-422-rst-Flow Flow 5120x2880 95 2x1 yes no
15MP-420-Volna Volna 5120x2880 90 2x2 no no
24MP-420-rst-SafeLanding SafeLanding 6528x3672 92 2x2 yes yes
24MP-422-Shell Shell 6528x3672 95 2x1 no yes
50MP-420-Honeywave Honeywave 9440x5310 90 2x2 no no
50MP-422-rst-Volna Volna 9440x5310 92 2x1 yes no
LIST
mv "$DIR.tmp" "$DIR"
