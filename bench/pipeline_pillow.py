"""Pillow side of the whole-pipeline mode of bench/compare-baseline.sh, in one python process per run.

Per image, what the app does after the upload has arrived: read the bytes, Image.thumbnail((256, 256)), save a JPEG
q85 into a thumbnails folder, write a JSON metadata record (the fields of the app's record) into a records folder.
Not counted: HTTP and storing the original (the app pays for both). Prints "CPU_MS_PER_IMAGE x" per pass (process CPU
time / files) after one warm-up pass, like the app's side.

Usage: pipeline_pillow.py OUT_DIR PASSES FILE...
"""
import hashlib
import json
import os
import sys
import time

from PIL import Image


def process(path, out_dir, key):
    with open(path, "rb") as f:
        data = f.read()
    with Image.open(path) as im:
        width, height = im.size
        im.thumbnail((256, 256))
        thumb = os.path.join(out_dir, "thumbnails", key)
        im.save(thumb, "JPEG", quality=85)
        tw, th = im.size
    record = {
        "bucket": "uploads", "key": key, "versionId": None, "eTag": hashlib.md5(data).hexdigest(),
        "status": "PROCESSED", "width": width, "height": height, "thumbnailWidth": tw, "thumbnailHeight": th,
        "thumbnailBucket": "thumbnails", "thumbnailKey": key, "size": len(data),
        "processedAt": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }
    with open(os.path.join(out_dir, "records", key + ".json"), "w") as f:
        json.dump(record, f)


def main():
    out_dir, passes, files = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
    for sub in ("thumbnails", "records"):
        os.makedirs(os.path.join(out_dir, sub), exist_ok=True)
    for p in range(passes + 1):
        c0 = time.process_time()
        for f in files:
            process(f, out_dir, "p%d-%s" % (p, os.path.basename(f)))
        if p > 0:
            print("CPU_MS_PER_IMAGE", round((time.process_time() - c0) * 1000 / len(files), 1))


if __name__ == "__main__":
    main()
