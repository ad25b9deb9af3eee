"""Pillow doing the app's whole job, for the whole-pipeline mode of bench/compare-baseline.sh.

A single-threaded HTTP server from Python's standard library that answers `PUT /images/{key}` as the app does: read
the body, hash it (MD5, the eTag), store the original atomically (a temporary file, then a rename), thumbnail it with
Image.thumbnail((256, 256)), store the JPEG q85 thumbnail and a JSON record the same way, answer 201 with the record.
What a team would write instead of the app, in the shortest form; the script measures its process CPU from /proc.

Usage: pipeline_pillow_http.py PORT ROOT_DIR     (any GET answers 404: the script polls until it gets an answer)
"""
import hashlib
import io
import json
import os
import sys
import tempfile
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, HTTPServer

from PIL import Image

ROOT = sys.argv[2] if len(sys.argv) > 2 else "data"


def write_atomically(path, data):
    folder = os.path.dirname(path)
    os.makedirs(folder, exist_ok=True)
    fd, temp = tempfile.mkstemp(dir=folder, prefix=".tmp-", suffix=".part")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(temp, path)
    except BaseException:
        os.unlink(temp)
        raise


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self):
        self.answer(404, b"")

    def do_PUT(self):
        if not self.path.startswith("/images/"):
            return self.answer(404, b"")
        key = urllib.parse.unquote(self.path[len("/images/"):])
        data = self.rfile.read(int(self.headers["Content-Length"]))
        etag = hashlib.md5(data).hexdigest()
        write_atomically(os.path.join(ROOT, "uploads", key), data)
        with Image.open(io.BytesIO(data)) as im:
            width, height = im.size
            im.thumbnail((256, 256))
            out = io.BytesIO()
            im.save(out, "JPEG", quality=85)
            tw, th = im.size
        write_atomically(os.path.join(ROOT, "processed", "thumbnails", key), out.getvalue())
        record = {
            "bucket": "uploads", "key": key, "versionId": None, "eTag": etag,
            "status": "PROCESSED", "width": width, "height": height, "thumbnailWidth": tw, "thumbnailHeight": th,
            "thumbnailBucket": "processed", "thumbnailKey": "thumbnails/" + key, "size": len(data),
            "processedAt": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        }
        body = json.dumps(record).encode()
        write_atomically(os.path.join(ROOT, "records", key + ".json"), body)
        self.answer(201, body)

    def answer(self, status, body):
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


if __name__ == "__main__":
    HTTPServer(("127.0.0.1", int(sys.argv[1])), Handler).serve_forever()
