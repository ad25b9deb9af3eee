#!/usr/bin/env bash
# Regenerates the reference renderings the corpus test compares thumbnails with: ImageMagick 6.9 (with lcms),
# EXIF orientation applied, colour converted to sRGB through the embedded ICC profile, scaled to fit 48x48.
# Files whose profile is broken or does not match the image are rendered with the profile stripped (as sRGB);
# CMYK files without a usable profile go through Ghostscript's default CMYK profile.
# Usage: src/test/resources/corpus-reference/make-references.sh   (from the repository root)
set -euo pipefail
corpus=src/test/resources/corpus
out=src/test/resources/corpus-reference
icc=/usr/share/color/icc/ghostscript
strip_profile=" color/grayscale/gray-with-srgb-icc-1x1.jpg color/icc/corrupted-icc-srgb.jpg color/icc/exif-empty-icc-profile.jpeg
 color/icc/icc-after-sof.jpg color/icc/icc-chunk-count-mismatch.jpeg color/icc/icc-missing-chunk.jpeg
 color/icc/invalid-icc-profile-data.jpg color/icc/rgb-with-cmyk-fogra27-profile.jpg progressive/progressive-partial-4x4.jpg "
cmyk_default=" color/cmyk/cantaloupe-ycck-64x56.jpg color/cmyk/cmyk-adobe-jfif-160x227.jpg
 color/cmyk/cmyk-jfif-invalid-srgb-icc.jpg color/cmyk/mozilla-cmyk-2.jpg
 color/cmyk/pillow-cmyk.jpg color/cmyk/ycck-no-profile-wikipedia.jpg orientation/thumbor-cmyk-orientation-6.jpg "
awk -F'\t' 'NR > 1 && $7 == "yes" { print $1 }' "$corpus/expected-outcomes.tsv" | while read -r path; do
  name="${path//\//__}"; name="${name%.*}.png"
  if [[ "$cmyk_default" == *" $path "* ]]; then
    ops=(+profile '*' -profile "$icc/default_cmyk.icc" -profile "$icc/srgb.icc")
  elif [[ "$strip_profile" == *" $path "* ]]; then
    ops=(+profile '*')
  else
    ops=(-profile "$icc/srgb.icc")
  fi
  convert "$corpus/$path[0]" -auto-orient "${ops[@]}" -colorspace sRGB -resize '48x48>' -type TrueColor -depth 8 \
    -strip "PNG24:$out/$name" || echo "ImageMagick failed on $path" >&2
done
