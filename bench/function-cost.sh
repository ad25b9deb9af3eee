#!/usr/bin/env bash
# The deployed function's whole CPU per image, and what a million thumbnails cost on Lambda from it.
#
# The package `sam build` deploys (target/lambda-layout) runs in a JVM started with the flags Lambda's java21 runtime
# uses (heap, metaspace and code cache from MemorySize, serial GC) and the environment template.yaml gives
# ImageProcessorFunction, against a moto_server on a free loopback port: FunctionInvoker is built once (the init
# phase), then handed one S3 event per upload, each read from S3, resized, written back, recorded in DynamoDB and
# notified on SNS (bench/FunctionCost.java). Not counted: moto's own CPU, and the runtime client's round trip per event
# (FunctionInvoker is called directly). Not measured: the network wait of real AWS (moto answers on loopback). The JDK
# is JAVA_HOME's, which need not be Lambda's java21.
#  1. JIT: C1 only (what the template pins) and C2 allowed, each started on demand and primed as SnapStart primes it
#     before its snapshot (the template enables SnapStart: a restored environment starts from the primed state).
#  2. Memory: the template's setting (C1, primed) at each size of SIZES, with the JVM held to the CPU share Lambda
#     gives that size (MemorySize / 1769 of one CPU: a CFS quota in a cgroup of its own; moto stays outside it), so
#     the time per image, which Lambda bills, is measured rather than scaled. Needs a writable cgroup cpu controller
#     (root); without one the table says so and scales the CPU time instead. A size too small for the JVM (an
#     OutOfMemoryError) is a row of the table; any other failure stops the script.
#
# Needs: a JDK 21+ (JAVA_HOME); moto_server and boto3 ("pip install moto[server] boto3"); for the default files the
# baseline set (bench/baseline-corpus.sh builds it, see its header).
#
# Usage: bench/function-cost.sh [PASSES] [WARMUP] [FILE...]
#        PASSES measured passes over the files after WARMUP passes (defaults 5 and 5); every pass uploads each file
#        under a key of its own, so every event is new work. Files: the baseline set of bench/compare-baseline.sh.
# Env:   MEMORY (MB of the JIT runs, default template.yaml's 1769), SIZES (MB of the memory runs, default
#        "512 1024 1769 3008"; empty: none), RUNS (JIT runs, default "c1 c1-primed c2 c2-primed"; empty: none),
#        BENCH_WORK (default bench/work/baseline), PYTHON (a python3 with boto3), JAVA_OPTS (more flags for the
#        function's JVM, e.g. a JFR recording)
set -euo pipefail
cd "$(dirname "$0")/.."
PASSES=${1:-5}
WARMUP=${2:-5}
shift $(( $# < 2 ? $# : 2 ))
FILES=("$@")
: "${JAVA_HOME:?set JAVA_HOME to a JDK 21 or newer}"
MEMORY=${MEMORY:-1769}
RUNS=(${RUNS-c1 c1-primed c2 c2-primed})
SIZES=(${SIZES-512 1024 1769 3008})

# each JIT run: its JVM flag, whether it is primed, and its label
declare -A JIT=([c1]=-XX:TieredStopAtLevel=1 [c1-primed]=-XX:TieredStopAtLevel=1
                [c2]=-XX:TieredStopAtLevel=4 [c2-primed]=-XX:TieredStopAtLevel=4)
declare -A LABEL=([c1]="C1 only, on demand" [c1-primed]="C1 only, SnapStart (the template)"
                  [c2]="C2 allowed, on demand" [c2-primed]="C2 allowed, SnapStart")
# checked before minutes of work, not after
[[ $PASSES =~ ^[1-9][0-9]*$ && $WARMUP =~ ^[0-9]+$ ]] \
    || { echo "PASSES must be 1 or more, WARMUP 0 or more" >&2; exit 2; }
for r in "${RUNS[@]}"; do
    [ -n "${JIT[$r]:-}" ] || { echo "unknown run $r (RUNS: c1 c1-primed c2 c2-primed)" >&2; exit 2; }
done
for mb in "${SIZES[@]}" "$MEMORY"; do
    [[ $mb =~ ^[0-9]+$ ]] && [ "$mb" -ge 128 ] && [ "$mb" -le 10240 ] \
        || { echo "memory sizes are 128-10240 MB, got $mb" >&2; exit 2; }
done
command -v moto_server >/dev/null || { echo "missing moto_server: pip install \"moto[server]\"" >&2; exit 1; }
# a python3 with boto3: PYTHON, the first on the PATH, or the one beside moto_server (pip installs them together)
PY=""
for candidate in "${PYTHON:-}" python3 "$(dirname "$(command -v moto_server)")/python3"; do
    if [ -n "$candidate" ] && "$candidate" -c 'import boto3' 2>/dev/null; then PY=$candidate; break; fi
done
[ -n "$PY" ] || { echo "no python3 with boto3 found (PYTHON=...; pip install boto3)" >&2; exit 1; }
if [ ${#FILES[@]} -eq 0 ]; then
    CORPUS=${BENCH_WORK:-bench/work/baseline}/corpus
    bench/baseline-corpus.sh "$CORPUS"
    FILES=("$CORPUS"/*.jpg)
fi

WORK=$(mktemp -d)
MOTO=""
JVM_PID=""
cleanup() {
    # a signal may have reached the JVM already: wait for it either way, a cgroup goes only once it is empty
    # (set -e holds in traps too: every status here is let through)
    if [ -n "$JVM_PID" ]; then kill "$JVM_PID" 2>/dev/null || true; wait "$JVM_PID" 2>/dev/null || true; fi
    if [ -n "$MOTO" ]; then kill "$MOTO" 2>/dev/null || true; wait "$MOTO" 2>/dev/null || true; fi
    for cg in /sys/fs/cgroup/cpu/function-cost-$$-* /sys/fs/cgroup/function-cost-$$-*; do
        [ -d "$cg" ] && { rmdir "$cg" 2>/dev/null || { sleep 1; rmdir "$cg" 2>/dev/null; } || echo "left $cg" >&2; }
    done
    rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
./mvnw -B -ntp -q -DskipTests package > "$WORK/build.log" 2>&1 || { cat "$WORK/build.log" >&2; exit 1; }
LAYOUT=target/lambda-layout
# the driver, and the stand-in CRaC package that runs the SnapStart hooks in the primed runs
"$JAVA_HOME/bin/javac" -d "$WORK/bench" -cp "$LAYOUT:$LAYOUT/lib/*" bench/FunctionCost.java bench/snapstart/*.java

# A new cgroup holding a process to MB/1769 of one CPU (cgroup v1, or v2 where the cpu controller is already enabled
# for children of the root); prints its folder, or nothing when this machine does not let us make one.
cpu_share_cgroup() {
    local mb=$1 quota=$(( $1 * 100000 / 1769 )) dir
    if [ -w /sys/fs/cgroup/cpu ] && [ -f /sys/fs/cgroup/cpu/cpu.cfs_quota_us ]; then
        dir=/sys/fs/cgroup/cpu/function-cost-$$-$mb
        mkdir "$dir" 2>/dev/null || return 0
        echo 100000 > "$dir/cpu.cfs_period_us" && echo "$quota" > "$dir/cpu.cfs_quota_us" && { echo "$dir"; return 0; }
    elif [ -w /sys/fs/cgroup ] && grep -qw cpu /sys/fs/cgroup/cgroup.subtree_control 2>/dev/null; then
        dir=/sys/fs/cgroup/function-cost-$$-$mb
        mkdir "$dir" 2>/dev/null || return 0
        echo "$quota 100000" > "$dir/cpu.max" && { echo "$dir"; return 0; }
    else
        return 0
    fi
    rmdir "$dir" 2>/dev/null || true
}

# One run: name, JIT flag, "primed" or "", MemorySize in MB, cgroup folder or "". Returns 1 when the JVM failed (the
# cause in $WORK/NAME.failed); anything else that goes wrong ends the script.
run() {
    local name=$1 jit=$2 primed=$3 mb=$4 cgroup=$5 port kb events status=0
    port=$("$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
    moto_server -H 127.0.0.1 -p "$port" > "$WORK/moto-$name.log" 2>&1 &
    MOTO=$!
    for _ in $(seq 1 100); do curl -s -o /dev/null "http://127.0.0.1:$port/" && break; sleep 0.2; done
    curl -s -o /dev/null "http://127.0.0.1:$port/" \
        || { cat "$WORK/moto-$name.log" >&2; echo "moto_server did not start" >&2; exit 1; }
    rm -rf "$WORK/events"
    events=$("$PY" bench/function_cost_setup.py "http://127.0.0.1:$port" "$WORK" $(( WARMUP + PASSES )) "${FILES[@]}") \
        || { cat "$WORK/moto-$name.log" >&2; echo "uploading the files to moto failed" >&2; exit 1; }
    [ "$events" -eq $(( (WARMUP + PASSES) * ${#FILES[@]} )) ] \
        || { echo "only $events events were written" >&2; exit 1; }
    # Lambda's java21 runtime: 85% of the memory as heap, 10% metaspace, 5% code cache, serial GC
    kb=$(( mb * 1024 ))
    local jvm=(-XX:MaxHeapSize=$(( kb * 85 / 100 ))k -XX:MaxMetaspaceSize=$(( kb * 10 / 100 ))k
               -XX:ReservedCodeCacheSize=$(( kb * 5 / 100 ))k -XX:+UseSerialGC -XX:+TieredCompilation -Xshare:auto
               -Djava.net.preferIPv4Stack=true)
    # the variables Lambda sets and template.yaml's, plus the endpoint settings moto needs; nothing leaks in from this
    # shell. The JVM joins the cgroup before it starts (moto stays outside it); failing to join ends the run.
    env -i PATH=/usr/bin:/bin TZ=:UTC LANG=en_US.UTF-8 CGROUP="$cgroup" \
        AWS_REGION=us-east-1 AWS_DEFAULT_REGION=us-east-1 AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test \
        AWS_SESSION_TOKEN=test AWS_EXECUTION_ENV=AWS_Lambda_java21 AWS_LAMBDA_FUNCTION_NAME=function-cost \
        AWS_LAMBDA_FUNCTION_VERSION=1 AWS_LAMBDA_FUNCTION_MEMORY_SIZE="$mb" \
        AWS_LAMBDA_INITIALIZATION_TYPE=$([ -n "$primed" ] && echo snap-start || echo on-demand) \
        MAIN_CLASS=io.github.lambdaimageprocessor.ImageProcessorApplication \
        SPRING_CLOUD_FUNCTION_DEFINITION=processImage SPRING_PROFILES_ACTIVE=aws \
        UPLOAD_BUCKET=uploads PROCESSED_BUCKET=processed DDB_TABLE=processed-images \
        SNS_TOPIC_ARN=arn:aws:sns:us-east-1:123456789012:image-processed IMAGE_PROCESSOR_METRICS_SERVICE=bench \
        SPRING_CLOUD_AWS_ENDPOINT="http://127.0.0.1:$port" SPRING_CLOUD_AWS_S3_PATH_STYLE_ACCESS_ENABLED=true \
        sh -c 'if [ -n "$CGROUP" ]; then echo $$ > "$CGROUP/cgroup.procs" || exit 97; fi; unset CGROUP; exec "$@"' sh \
        "$JAVA_HOME/bin/java" "${jvm[@]}" "$jit" ${JAVA_OPTS:-} -Dorg.crac.Core.Compat=snapstart \
        -cp "$WORK/bench:$LAYOUT:$LAYOUT/lib/*" FunctionCost "$WORK/events" ${#FILES[@]} $primed \
        > "$WORK/$name.out" 2>&1 &
    JVM_PID=$!
    wait "$JVM_PID" || status=$?
    JVM_PID=""
    kill "$MOTO"; wait "$MOTO" 2>/dev/null || true; MOTO=""
    [ $status -ne 97 ] || { echo "could not move the JVM into $cgroup" >&2; exit 1; }
    if [ $status -ne 0 ]; then
        # the cause: the error FunctionCost printed last (no '|', which would break the table)
        { grep -oE 'OutOfMemoryError: [[:alnum:] ]+' "$WORK/$name.out" \
            || grep -oE '[[:alnum:].$]+(Exception|Error): .{0,80}' "$WORK/$name.out" || echo "exit status $status"; } \
            | tail -1 | tr '|' '/' > "$WORK/$name.failed"
        return 1
    fi
    if [ -n "$primed" ] && ! grep -q "Primed before the SnapStart snapshot" "$WORK/$name.out"; then
        grep -i "prim" "$WORK/$name.out" >&2; echo "the SnapStart priming of run $name did not complete" >&2; exit 1
    fi
}
value() { sed -nE "s/^$2=([0-9.]+)$/\1/p" "$WORK/$1.out"; }
pass() { sed -nE "s/^pass=$2 cpu_ms_per_image=([0-9.]+) wall_ms_per_image=([0-9.]+)$/\\$3/p" "$WORK/$1.out"; }
steady() { # run, 1 (CPU) or 2 (wall): the median of the measured passes, every one of which must be there
    local p v values=()
    for p in $(seq $(( WARMUP + 1 )) $(( WARMUP + PASSES ))); do
        v=$(pass "$1" "$p" "$2")
        [ -n "$v" ] || { echo "run $1 printed no pass $p" >&2; exit 1; }
        values+=("$v")
    done
    printf '%s\n' "${values[@]}" | sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'
}
fail() { echo "run $1 failed: $(cat "$WORK/$1.failed")" >&2; tail -40 "$WORK/$1.out" >&2; exit 1; }

for r in "${RUNS[@]}"; do
    run "$r" "${JIT[$r]}" "$([[ $r == *-primed ]] && echo primed || true)" "$MEMORY" "" || fail "$r"
done
LIMITED=yes
for mb in "${SIZES[@]}"; do
    cg=$(cpu_share_cgroup "$mb")
    [ -n "$cg" ] || LIMITED=no
    # a size too small for the JVM is a result; any other failure is not
    run "mem$mb" -XX:TieredStopAtLevel=1 primed "$mb" "$cg" || grep -q OutOfMemoryError "$WORK/mem$mb.failed" \
        || fail "mem$mb"
done

echo "Function per image: ${#FILES[@]} files, $WARMUP warm-up + $PASSES measured passes, steady = median of passes" \
    "$(( WARMUP + 1 ))-$(( WARMUP + PASSES ))"
echo "($("$JAVA_HOME/bin/java" -version 2>&1 | head -1), $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg))"
if [ ${#RUNS[@]} -gt 0 ]; then
    echo
    echo "JIT at MemorySize $MEMORY MB, the JVM's CPU not limited:"
    echo
    echo "| JIT, start | init, CPU ms | SnapStart priming, CPU ms | first image, CPU ms | first pass, CPU ms/img | steady, CPU ms/img |"
    echo "|---|---:|---:|---:|---:|---:|"
    for r in "${RUNS[@]}"; do
        echo "| ${LABEL[$r]} | $(value "$r" init_cpu_ms) | $(value "$r" priming_cpu_ms) | $(value "$r" first_image_cpu_ms)" \
            "| $(pass "$r" 1 1) | $(steady "$r" 1) |"
    done
fi
if [ ${#SIZES[@]} -gt 0 ]; then
    echo
    if [ $LIMITED = yes ]; then
        echo "Memory: C1, SnapStart-primed, the JVM held to MemorySize/1769 of one CPU as on Lambda; the time per image"
        echo "(billed) is measured, with moto's wait on loopback in it where real S3, DynamoDB and SNS would have theirs."
    else
        echo "Memory: C1, SnapStart-primed. NOT LIMITED: no writable cgroup cpu controller here, so the JVM ran on the"
        echo "whole machine, and the time per image below is its CPU time times 1769/MemorySize below 1769 MB (the CPU"
        echo "time itself from there on), not measured, and without moto's wait."
    fi
    echo "x86_64 prices: \$0.0000166667 per GB-s, \$0.20 per million requests."
    echo
    echo "| MemorySize | CPU share | metaspace used, MB (limit) | steady CPU ms/img | time per image, ms | GB-s per image | \$ per million |"
    echo "|---:|---:|---:|---:|---:|---:|---:|"
    for mb in "${SIZES[@]}"; do
        share=$(awk -v mb="$mb" 'BEGIN {printf "%.2f", mb / 1769}')
        if [ -f "$WORK/mem$mb.failed" ]; then
            echo "| $mb | $share | - ($(( mb / 10 ))) | fails: $(cat "$WORK/mem$mb.failed") | - | - | - |"
            continue
        fi
        cpu=$(steady "mem$mb" 1)
        wall=$(steady "mem$mb" 2)
        [ $LIMITED = yes ] || wall=$(awk -v c="$cpu" -v mb="$mb" 'BEGIN {print c * (mb < 1769 ? 1769 / mb : 1)}')
        awk -v mb="$mb" -v share="$share" -v cpu="$cpu" -v t="$wall" -v meta="$(value "mem$mb" metaspace_used_mb)" 'BEGIN {
            gbs = mb / 1024 * t / 1000
            printf "| %d | %s | %s (%d) | %.1f | %.0f | %.4f | %.2f |\n", mb, share, meta, mb / 10, cpu, t, gbs,
                gbs * 1e6 * 0.0000166667 + 0.20 }'
    done
fi
