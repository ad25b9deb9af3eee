#!/usr/bin/env bash
# The deployed function's whole CPU per image, and what a million thumbnails cost on Lambda from it.
#
# The package `sam build` deploys (target/lambda-layout) runs in a JVM started as Lambda's java21 runtime starts it
# (heap, metaspace and code cache from MemorySize, serial GC) with the environment template.yaml gives
# ImageProcessorFunction, against a moto_server on a free loopback port: FunctionInvoker is built once (the init
# phase), then handed one S3 event per upload, each read from S3, resized, written back, recorded in DynamoDB and
# notified on SNS (bench/FunctionCost.java). moto's own CPU is not counted; the network wait of real AWS is not
# measured (loopback). Four times, in a fresh JVM each: C1 only (what the template pins) and C2 allowed, each started
# on demand and primed as SnapStart primes it before its snapshot (the template enables SnapStart: a restored
# environment starts from the primed state).
#
# Needs: a JDK 21+ (JAVA_HOME); moto_server and boto3 ("pip install moto[server] boto3"); for the default files the
# baseline set (bench/baseline-corpus.sh builds it, see its header).
#
# Usage: bench/function-cost.sh [PASSES] [WARMUP] [FILE...]
#        PASSES measured passes over the files after WARMUP passes (defaults 5 and 5); every pass uploads each file
#        under a key of its own, so every event is new work. Files: the baseline set of bench/compare-baseline.sh.
# Env:   MEMORY (MB, default template.yaml's 1769), PYTHON (a python3 with boto3), JAVA_OPTS (more flags for the
#        function's JVM, e.g. a JFR recording), RUNS (default: c1 c1-primed c2 c2-primed)
set -euo pipefail
cd "$(dirname "$0")/.."
PASSES=${1:-5}
WARMUP=${2:-5}
shift $(( $# < 2 ? $# : 2 ))
FILES=("$@")
if [ ${#FILES[@]} -eq 0 ]; then
    bench/baseline-corpus.sh bench/work/baseline/corpus
    FILES=(bench/work/baseline/corpus/*.jpg)
fi
: "${JAVA_HOME:?set JAVA_HOME to a JDK 21 or newer}"
MEMORY=${MEMORY:-1769}
command -v moto_server >/dev/null || { echo "missing moto_server: pip install \"moto[server]\"" >&2; exit 1; }
# a python3 with boto3: PYTHON, the first on the PATH, or the one beside moto_server (pip installs them together)
PY=""
for candidate in "${PYTHON:-}" python3 "$(dirname "$(command -v moto_server)")/python3"; do
    if [ -n "$candidate" ] && "$candidate" -c 'import boto3' 2>/dev/null; then PY=$candidate; break; fi
done
[ -n "$PY" ] || { echo "no python3 with boto3 found (PYTHON=...; pip install boto3)" >&2; exit 1; }

WORK=$(mktemp -d)
MOTO=""
trap '[ -n "$MOTO" ] && kill "$MOTO" 2>/dev/null; rm -rf "$WORK"' EXIT
./mvnw -B -ntp -q -DskipTests package > "$WORK/build.log" 2>&1 || { cat "$WORK/build.log" >&2; exit 1; }
LAYOUT=target/lambda-layout
# the driver, and the stand-in CRaC package that runs the SnapStart hooks in the primed runs
"$JAVA_HOME/bin/javac" -d "$WORK/bench" -cp "$LAYOUT:$LAYOUT/lib/*" bench/FunctionCost.java bench/snapstart/*.java

# Lambda's java21 runtime: 85% of the memory as heap, 10% metaspace, 5% code cache, serial GC
KB=$(( MEMORY * 1024 ))
JVM=(-XX:MaxHeapSize=$(( KB * 85 / 100 ))k -XX:MaxMetaspaceSize=$(( KB * 10 / 100 ))k
     -XX:ReservedCodeCacheSize=$(( KB * 5 / 100 ))k -XX:+UseSerialGC -XX:+TieredCompilation -Xshare:auto)

run() { # name, JIT flag, "primed" or nothing
    local port
    port=$("$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
    moto_server -H 127.0.0.1 -p "$port" > "$WORK/moto-$1.log" 2>&1 &
    MOTO=$!
    for _ in $(seq 1 100); do curl -s -o /dev/null "http://127.0.0.1:$port/" && break; sleep 0.2; done
    rm -rf "$WORK/events"
    "$PY" bench/function_cost_setup.py "http://127.0.0.1:$port" "$WORK" $(( WARMUP + PASSES )) "${FILES[@]}" > /dev/null
    # only the variables Lambda and template.yaml set (the endpoint aside): nothing leaks in from this shell
    env -i PATH=/usr/bin:/bin TZ=:UTC LANG=en_US.UTF-8 AWS_REGION=us-east-1 \
        AWS_LAMBDA_FUNCTION_MEMORY_SIZE="$MEMORY" AWS_EXECUTION_ENV=AWS_Lambda_java21 \
        MAIN_CLASS=io.github.lambdaimageprocessor.ImageProcessorApplication \
        SPRING_CLOUD_FUNCTION_DEFINITION=processImage SPRING_PROFILES_ACTIVE=aws \
        UPLOAD_BUCKET=uploads PROCESSED_BUCKET=processed DDB_TABLE=processed-images \
        SNS_TOPIC_ARN=arn:aws:sns:us-east-1:123456789012:image-processed IMAGE_PROCESSOR_METRICS_SERVICE=bench \
        SPRING_CLOUD_AWS_ENDPOINT="http://127.0.0.1:$port" SPRING_CLOUD_AWS_REGION_STATIC=us-east-1 \
        SPRING_CLOUD_AWS_CREDENTIALS_ACCESS_KEY=test SPRING_CLOUD_AWS_CREDENTIALS_SECRET_KEY=test \
        SPRING_CLOUD_AWS_S3_PATH_STYLE_ACCESS_ENABLED=true \
        "$JAVA_HOME/bin/java" "${JVM[@]}" "$2" ${JAVA_OPTS:-} -Dorg.crac.Core.Compat=snapstart -cp "$WORK/bench:$LAYOUT:$LAYOUT/lib/*" \
        FunctionCost "$WORK/events" ${#FILES[@]} ${3:-} > "$WORK/$1.out" 2>&1 \
        || { tail -40 "$WORK/$1.out" >&2; exit 1; }
    kill "$MOTO"; wait "$MOTO" 2>/dev/null || true; MOTO=""
    if [ -n "${3:-}" ] && ! grep -q "Primed before the SnapStart snapshot" "$WORK/$1.out"; then
        grep -i "prim" "$WORK/$1.out" >&2; echo "the SnapStart priming of run $1 did not complete" >&2; exit 1
    fi
}
value() { sed -nE "s/^$2=([0-9.]+)$/\1/p" "$WORK/$1.out"; }
pass() { sed -nE "s/^pass=$2 cpu_ms_per_image=([0-9.]+)$/\1/p" "$WORK/$1.out"; }
steady() { # median of the measured passes
    for p in $(seq $(( WARMUP + 1 )) $(( WARMUP + PASSES ))); do pass "$1" "$p"; done \
        | sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'
}

RUNS=(${RUNS:-c1 c1-primed c2 c2-primed})
for r in "${RUNS[@]}"; do
    case $r in
        c1) run c1 -XX:TieredStopAtLevel=1 ;;
        c1-primed) run c1-primed -XX:TieredStopAtLevel=1 primed ;;
        c2) run c2 -XX:TieredStopAtLevel=4 ;;
        c2-primed) run c2-primed -XX:TieredStopAtLevel=4 primed ;;
        *) echo "unknown run $r (RUNS: c1 c1-primed c2 c2-primed)" >&2; exit 2 ;;
    esac
done

echo "Function CPU per image: ${#FILES[@]} files, $WARMUP warm-up + $PASSES measured passes, MemorySize $MEMORY MB"
echo "($("$JAVA_HOME/bin/java" -version 2>&1 | head -1), $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg))"
echo
echo "| JIT, start | init, CPU ms | SnapStart priming, CPU ms | first image, CPU ms | first pass, CPU ms/img | steady (median of passes $(( WARMUP + 1 ))-$(( WARMUP + PASSES ))), CPU ms/img |"
echo "|---|---:|---:|---:|---:|---:|"
for run in "${RUNS[@]}"; do
    case $run in
        c1) name="C1 only, on demand" ;; c1-primed) name="C1 only, SnapStart (the template)" ;;
        c2) name="C2 allowed, on demand" ;; c2-primed) name="C2 allowed, SnapStart" ;;
    esac
    echo "| $name | $(value $run init_cpu_ms) | $(value $run priming_cpu_ms) | $(value $run first_image_cpu_ms) | $(pass $run 1) | $(steady $run) |"
done
[[ " ${RUNS[*]} " == *" c1-primed "* ]] || exit 0
echo
# one vCPU at 1769 MB and proportionally less below it (the work is one thread): the time is the CPU time scaled up
echo "Cost per million thumbnails from the C1 steady state (x86_64: \$0.0000166667 per GB-s, \$0.20 per million requests;"
echo "the wait for S3, DynamoDB and SNS on real AWS comes on top):"
echo
echo "| MemorySize | time per image, ms | GB-s per image | \$ per million |"
echo "|---:|---:|---:|---:|"
cpu=$(steady c1-primed)
for mb in 512 1024 1769 3008; do
    awk -v mb="$mb" -v cpu="$cpu" 'BEGIN {
        t = cpu * (mb < 1769 ? 1769 / mb : 1); gbs = mb / 1024 * t / 1000
        printf "| %d | %.0f | %.4f | %.2f |\n", mb, t, gbs, gbs * 1e6 * 0.0000166667 + 0.20 }'
done
