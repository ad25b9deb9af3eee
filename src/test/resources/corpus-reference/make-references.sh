#!/usr/bin/env bash
# Regenerates the reference renderings the corpus test compares thumbnails with: ImageMagick 6.9 (with lcms),
# EXIF orientation applied, colour converted to sRGB through the embedded ICC profile, scaled to fit 48x48.
# Files whose profile is broken or does not match the image are rendered with the profile stripped (as sRGB);
# CMYK and YCCK files without a usable profile are rendered with it stripped, which makes ImageMagick use the
# uncalibrated formula R = 255 (1 - C)(1 - K) on libjpeg's inks (Adobe's inverted samples and YCCK undone): what
# browsers and the product (TwelveMonkeys' fallback) do. Ghostscript's default CMYK profile, used here before, put
# five of them 19-80 levels from the product, a gap that no tolerance could bound without letting swapped inks through.
# Usage: src/test/resources/corpus-reference/make-references.sh   (from the repository root)
set -euo pipefail
corpus=src/test/resources/corpus
out=src/test/resources/corpus-reference
icc=/usr/share/color/icc/ghostscript
strip_profile=" color/grayscale/gray-with-srgb-icc-1x1.jpg color/icc/corrupted-icc-srgb.jpg color/icc/exif-empty-icc-profile.jpeg
 color/icc/icc-after-sof.jpg color/icc/icc-chunk-count-mismatch.jpeg color/icc/icc-missing-chunk.jpeg
 color/icc/invalid-icc-profile-data.jpg color/icc/rgb-with-cmyk-fogra27-profile.jpg progressive/progressive-partial-4x4.jpg "
cmyk_formula=" color/cmyk/cantaloupe-ycck-64x56.jpg color/cmyk/cmyk-adobe-jfif-160x227.jpg
 color/cmyk/cmyk-jfif-invalid-srgb-icc.jpg color/cmyk/mozilla-cmyk-2.jpg malformed/duplicate-component-ids.jpg
 color/cmyk/pillow-cmyk.jpg color/cmyk/ycck-no-profile-wikipedia.jpg orientation/thumbor-cmyk-orientation-6.jpg "
awk -F'\t' 'NR > 1 && $7 == "yes" { print $1 }' "$corpus/expected-outcomes.tsv" | while read -r path; do
  name="${path//\//__}"; name="${name%.*}.png"
  if [[ "$cmyk_formula" == *" $path "* || "$strip_profile" == *" $path "* ]]; then
    ops=(+profile '*')
  else
    ops=(-profile "$icc/srgb.icc")
  fi
  convert "$corpus/$path[0]" -auto-orient "${ops[@]}" -colorspace sRGB -resize '48x48>' -type TrueColor -depth 8 \
    -strip "PNG24:$out/$name" || echo "ImageMagick failed on $path" >&2
done
