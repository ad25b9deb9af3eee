#!/usr/bin/env bash
# Baseline photos only (the files cameras and phones write, bench/baseline-corpus.sh), two ways, in one run:
#  1. thumbnail mode: the resizer alone in one process per contender (ours: ThumbnailatorResizer after WARMUP passes,
#     the first one's cost printed too; Pillow thumbnail(); vipsthumbnail), CPU ms per image and SSIM against a
#     full-decode reference (bench/report.py), as compare.sh;
#  2. whole-pipeline mode: the packaged app (java -jar, local profile) started once per upload route, every file
#     uploaded (store the original, decode, resize, encode, store the thumbnail, write the record, answer JSON) with
#     `PUT /images/{key}` (the file as the body) and, in a second app, `POST /images` (a multipart form), process CPU
#     per image of the app's JVM read from /proc (JIT and GC threads included) after WARMUP passes; beside it Pillow's
#     thumbnail() + save + a JSON record per file in one python process (bench/pipeline_pillow.py), vipsthumbnail
#     over the files (no record), and Pillow doing the app's whole job behind `PUT /images/{key}` (a stdlib HTTP
#     server that hashes, stores the original, the thumbnail and the record: bench/pipeline_pillow_http.py).
# Contenders run one after the other, never at once; each figure is the median over passes, with min-max.
#
# Needs what compare.sh needs, plus curl and libjpeg-turbo-progs (cjpeg):
#   apt-get install -y plasma-workspace-wallpapers imagemagick libvips-tools libjpeg-turbo-progs python3-pil \
#       python3-numpy python3-scipy curl
# Usage: bench/compare-baseline.sh [PASSES] [WARMUP]     (default 5 and 3)
# Env:   BENCH_WORK (default bench/work/baseline), PYTHON (a python3 with Pillow), JAVA_OPTS (for the app's JVM)
set -euo pipefail
cd "$(dirname "$0")/.."
PASSES=${1:-5}
WARMUP=${2:-3}
WORK=${BENCH_WORK:-bench/work/baseline}
JAVA=${JAVA_HOME:+$JAVA_HOME/bin/}java
PY=${PYTHON:-python3}
"$PY" -c 'import PIL' 2>/dev/null || PY=/usr/bin/python3
"$PY" -c 'import PIL, numpy, scipy' 2>/dev/null || { echo "python3 needs Pillow, numpy and scipy (PYTHON=...)" >&2; exit 1; }
for tool in vipsthumbnail curl; do
    command -v "$tool" >/dev/null || { echo "missing $tool (see the header of $0)" >&2; exit 1; }
done
CORPUS=$WORK/corpus
bench/baseline-corpus.sh "$CORPUS"
FILES=("$CORPUS"/*.jpg)
echo "corpus: ${#FILES[@]} baseline files in $CORPUS" >&2

./mvnw -B -ntp -q -DskipTests package dependency:build-classpath -Dmdep.includeScope=test \
    -Dmdep.outputFile="$WORK/classpath.txt" > "$WORK/build.log" 2>&1 \
    || { cat "$WORK/build.log" >&2; echo "the build failed (a JDK 21 or newer in JAVA_HOME?)" >&2; exit 1; }
CP="target/classes:target/test-classes:$(cat "$WORK/classpath.txt")"
JAR=$(ls target/lambda-image-processor-*-exec.jar | head -1)

# 1. thumbnail mode
run() { local name=$1; shift; mkdir -p "$WORK/$name"; echo "running $name" >&2; "$@" > "$WORK/$name/timings.txt"; }
run ours "$JAVA" -Dbench.warmup="$WARMUP" -cp "$CP" io.github.lambdaimageprocessor.benchmark.ThumbnailBench ours "$WORK/ours/out" "$PASSES" "${FILES[@]}"
run pillow "$PY" bench/pillow_thumbnail.py "$WORK/pillow/out" "$PASSES" "${FILES[@]}"
convert -size 1x1 xc:grey "$WORK/tiny.jpg"
run vips "$PY" bench/vips_thumbnail.py "$WORK/vips/out" "$PASSES" "$WORK/tiny.jpg" "${FILES[@]}"

# 2. whole-pipeline mode: the app over HTTP, once per upload route
DATA=$(mktemp -d)
APP=
trap 'if [ -n "$APP" ]; then kill $APP 2>/dev/null || true; wait $APP 2>/dev/null || true; fi; rm -rf "$DATA"' EXIT
cpu_ticks() { awk '{print $14 + $15}' "/proc/$APP/stat"; }
TICK=$(getconf CLK_TCK)
for route in put post pillow-http; do
    echo "running over HTTP: $route" >&2
    # each route its own folder, all deleted at the end: on ext4 without a journal (this VM's) a file system that has
    # just deleted thousands of files makes each new file's creation scan past them for minutes, so deleting one
    # route's files before the next would slow the next; sync writes out what the last contender left dirty
    sync
    PORT=$("$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
    if [ "$route" = pillow-http ]; then
        "$PY" bench/pipeline_pillow_http.py "$PORT" "$DATA/$route" > "$WORK/app-$route.log" 2>&1 &
    else
        # shellcheck disable=SC2086
        "$JAVA" ${JAVA_OPTS:-} -jar "$JAR" --server.port="$PORT" --image-processor.local.root="$DATA/$route" \
            > "$WORK/app-$route.log" 2>&1 &
    fi
    APP=$!
    for _ in $(seq 1 240); do
        curl -s -o /dev/null "http://127.0.0.1:$PORT/images/ready-check" && break
        kill -0 $APP 2>/dev/null || { cat "$WORK/app-$route.log"; echo "the app died during start-up" >&2; exit 1; }
        sleep 0.5
    done
    : > "$WORK/app-$route-cpu.txt"
    for pass in $(seq 1 $(( WARMUP + PASSES ))); do
        before=$(cpu_ticks)
        for f in "${FILES[@]}"; do
            key="pass$pass/$(basename "$f")"
            if [ "$route" != post ]; then
                code=$(curl -s -o "$DATA/answer.json" -w '%{http_code}' -T "$f" -H 'Content-Type: image/jpeg' \
                    "http://127.0.0.1:$PORT/images/$key")
            else
                code=$(curl -s -o "$DATA/answer.json" -w '%{http_code}' -F "file=@$f;type=image/jpeg" -F "key=$key" \
                    "http://127.0.0.1:$PORT/images")
            fi
            [ "$code" = 201 ] || { echo "$route of $f answered $code: $(cat "$DATA/answer.json")" >&2; exit 1; }
        done
        ms=$(( ($(cpu_ticks) - before) * 1000 / TICK / ${#FILES[@]} ))
        if [ "$pass" -eq 1 ]; then echo "FIRST_PASS_CPU_MS_PER_IMAGE $ms" >> "$WORK/app-$route-cpu.txt"; fi
        if [ "$pass" -gt "$WARMUP" ]; then echo "CPU_MS_PER_IMAGE $ms" >> "$WORK/app-$route-cpu.txt"; fi
    done
    kill $APP; wait $APP 2>/dev/null || true
    APP=
done
echo "running Pillow's pipeline" >&2
"$PY" bench/pipeline_pillow.py "$DATA/pillow" "$PASSES" "${FILES[@]}" > "$WORK/pillow-pipeline-cpu.txt"
for _ in $(seq 1 "$PASSES"); do
    /usr/bin/time -f 'CPU_MS %U %S' vipsthumbnail -s 256x256 -o "$DATA/%s.jpg[Q=85,strip]" "${FILES[@]}" 2>> "$DATA/vips-time.txt"
done
awk -v n=${#FILES[@]} '/^CPU_MS/ {printf "CPU_MS_PER_IMAGE %.1f\n", ($2 + $3) * 1000 / n}' "$DATA/vips-time.txt" \
    > "$WORK/vips-pipeline-cpu.txt"

# 3. the tables
stats() { awk '/^CPU_MS_PER_IMAGE/ {print $2}' "$1" | sort -n | awk '{v[NR] = $1} END {m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; printf "%.1f %.1f %.1f %d\n", m, v[1], v[NR], NR}'; }
{
    echo "Machine: $(nproc) vCPU, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); load before run: $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "JDK: $("$JAVA" -version 2>&1 | head -1); Pillow $("$PY" -c 'import PIL; print(PIL.__version__)'); $(vips --version)"
    echo "Files: ${#FILES[@]} baseline; passes: $PASSES (app: after $WARMUP warm-up passes); JAVA_OPTS: ${JAVA_OPTS:-none}"
    echo
    echo "Thumbnail mode (the resizer alone, in process):"
    echo
    "$PY" bench/report.py "$WORK" ours pillow vips
    echo
    echo "Whole-pipeline mode (CPU ms per image: median, min-max over passes):"
    echo
    read -r um umin umax un < <(stats "$WORK/app-put-cpu.txt")
    read -r om omin omax on < <(stats "$WORK/app-post-cpu.txt")
    read -r hm hmin hmax hn < <(stats "$WORK/app-pillow-http-cpu.txt")
    read -r pm pmin pmax pn < <(stats "$WORK/pillow-pipeline-cpu.txt")
    read -r vm vmin vmax vn < <(stats "$WORK/vips-pipeline-cpu.txt")
    echo "| contender | CPU ms/img | min-max | vs Pillow |"
    echo "|---|---:|---|---:|"
    echo "| ours: app, PUT /images/{key} (store, thumbnail, record, JSON answer) | $um | $umin-$umax | $(awk -v a="$um" -v b="$pm" 'BEGIN {printf "%.2fx", a / b}') |"
    echo "| ours: app, POST /images (the same from a multipart form) | $om | $omin-$omax | $(awk -v a="$om" -v b="$pm" 'BEGIN {printf "%.2fx", a / b}') |"
    echo "| Pillow thumbnail() + save + JSON record | $pm | $pmin-$pmax | 1.00x |"
    echo "| vipsthumbnail (no record) | $vm | $vmin-$vmax | $(awk -v a="$vm" -v b="$pm" 'BEGIN {printf "%.2fx", a / b}') |"
    echo "| Pillow doing the app's job: stdlib HTTP server, PUT /images/{key}, MD5, original + thumbnail + record stored | $hm | $hmin-$hmax | $(awk -v a="$hm" -v b="$pm" 'BEGIN {printf "%.2fx", a / b}') |"
    echo
    echo "Ours (PUT) against Pillow doing the same job over HTTP: $(awk -v a="$um" -v b="$hm" 'BEGIN {printf "%.2fx", a / b}')"
    echo
    echo "Resizer alone, first pass in a fresh JVM (cold JIT): $(awk '/FIRST_PASS/ {print $2}' "$WORK/ours/timings.txt") CPU ms per image"
    echo "App, first pass after start (cold JIT): $(awk '/FIRST_PASS/ {print $2}' "$WORK/app-put-cpu.txt") CPU ms per image (PUT), $(awk '/FIRST_PASS/ {print $2}' "$WORK/app-post-cpu.txt") (POST)"
} | tee "$WORK/results.md"
