#!/usr/bin/env bash
# JIT and GC flags of the Lambda java21 runtime against C2 allowed, on the baseline set (bench/baseline-corpus.sh):
# the product's resizer (ThumbnailBench ours) in a fresh JVM per run, process CPU per image (JIT and GC threads
# included), for the first image after start (one 12 MP photo, the JVM's first), for the first pass over the whole
# set and in steady state (median of PASSES passes over the set, after that first one). Lambda's java21 runtime starts
# the JVM with -XX:TieredStopAtLevel=1 and the serial GC; JAVA_TOOL_OPTIONS=-XX:TieredStopAtLevel=4 allows C2.
#
# Usage: bench/jit-flags.sh [PASSES] [RUNS]     (default 5 passes, 3 runs per flag set)
set -euo pipefail
cd "$(dirname "$0")/.."
PASSES=${1:-5}
RUNS=${2:-3}
WORK=${BENCH_WORK:-bench/work/baseline}
JAVA=${JAVA_HOME:+$JAVA_HOME/bin/}java
bench/baseline-corpus.sh "$WORK/corpus"
FILES=("$WORK/corpus"/*.jpg)
FIRST=$(ls "$WORK"/corpus/12MP-*.jpg | head -1)
./mvnw -B -ntp -q -DskipTests test-compile dependency:build-classpath -Dmdep.includeScope=test \
    -Dmdep.outputFile="$WORK/classpath.txt" > "$WORK/build.log" 2>&1 \
    || { cat "$WORK/build.log" >&2; echo "the build failed (a JDK 21 or newer in JAVA_HOME?)" >&2; exit 1; }
CP="target/classes:target/test-classes:$(cat "$WORK/classpath.txt")"
BENCH=io.github.lambdaimageprocessor.benchmark.ThumbnailBench
echo "| JVM flags | first image after start, CPU ms (runs) | first pass over the set, CPU ms/img (runs) | steady state, CPU ms/img (runs) |"
echo "|---|---|---|---|"
for flags in "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC" "-XX:TieredStopAtLevel=4 -XX:+UseSerialGC"; do
    first=()
    cold=()
    steady=()
    for _ in $(seq 1 "$RUNS"); do
        # shellcheck disable=SC2086
        first+=("$("$JAVA" $flags -cp "$CP" $BENCH ours "$WORK/jit-out" 1 "$FIRST" | awk '/^CPU_MS_PER_IMAGE/ {print $2}')")
        # shellcheck disable=SC2086
        out=$("$JAVA" $flags -Dbench.warmup=1 -cp "$CP" $BENCH ours "$WORK/jit-out" "$PASSES" "${FILES[@]}")
        cold+=("$(awk '/^FIRST_PASS_CPU_MS_PER_IMAGE/ {print $2}' <<< "$out")")
        steady+=("$(awk '/^CPU_MS_PER_IMAGE/ {print $2}' <<< "$out")")
    done
    echo "| \`$flags\` | ${first[*]} | ${cold[*]} | ${steady[*]} |"
done
