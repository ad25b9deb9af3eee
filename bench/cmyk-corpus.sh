#!/usr/bin/env bash
# Builds a set of CMYK photos for bench/ab.sh into DIR (default bench/work/cmyk): four files of the baseline set
# (bench/baseline-corpus.sh, built first) converted by ImageMagick, which writes CMYK as Adobe YCCK: 24 MP 4:4:4:4,
# 12 MP 4:2:0 without and with the 557 KB "U.S. Web Coated (SWOP) v2" profile of a corpus file, and a progressive one.
#
#   bench/cmyk-corpus.sh && bench/ab.sh REV resize 10 bench/work/cmyk/*.jpg
set -euo pipefail
cd "$(dirname "$0")/.."
DIR=${1:-bench/work/cmyk}
[ -d "$DIR" ] && exit 0
command -v convert >/dev/null || { echo "missing convert: apt-get install -y imagemagick" >&2; exit 1; }
bench/baseline-corpus.sh
src=bench/work/baseline/corpus
mkdir -p "$DIR.tmp"
profile=src/test/resources/corpus/color/cmyk/thumbor-cmyk-icc.jpg
convert "$profile" "$DIR.tmp/swop.icc"
convert "$src/24MP-420-rst-SafeLanding.jpg" -colorspace CMYK -quality 90 "$DIR.tmp/24MP-ycck-444.jpg"
convert "$src/12MP-420-rst-Honeywave.jpg" -colorspace CMYK -quality 90 -sampling-factor 2x2,1x1,1x1,2x2 \
    "$DIR.tmp/12MP-ycck-420.jpg"
convert "$DIR.tmp/12MP-ycck-420.jpg" -profile "$DIR.tmp/swop.icc" -quality 90 "$DIR.tmp/12MP-ycck-420-swop.jpg"
convert "$src/8MP-420-SafeLanding.jpg" -colorspace CMYK -quality 90 -interlace JPEG "$DIR.tmp/8MP-ycck-progressive.jpg"
rm "$DIR.tmp/swop.icc"
mv "$DIR.tmp" "$DIR"
ls -l "$DIR"
