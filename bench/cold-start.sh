#!/usr/bin/env bash
# Cold start, median of N runs each, local adapters, a 6 MP photo (bench/ColdStart.java for the Lambda path).
#
#  FunctionInvoker: JVM start -> first thumbnail, as the Lambda runtime does it (the invoker builds the Spring context
#  in its constructor, then handles one event), with the environment template.yaml sets (profile aside):
#    1. the layout `sam build` produces (classes + lib/*.jar), default JVM flags;
#    2. the same with the flags Lambda's java21 runtime uses by default (C1 only, serial GC);
#    3. the same classes as jars with a JVM start-up cache from one training run (CDS refuses a classpath directory):
#       an AOT cache on JDK 25+ (JEP 483/514/515), an AppCDS archive before that.
#  java -jar: process launch -> first POST /processImage answered:
#    4. the executable jar, default flags;
#    5. target/app/start, which `make app` makes: the jar extracted, with the start-up cache of one training run.
#
#   bench/cold-start.sh [runs]       prints a Markdown table
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-7}
: "${JAVA_HOME:?set JAVA_HOME to a JDK 21 or newer}"
JAVA="$JAVA_HOME/bin/java"
LAMBDA_FLAGS="-XX:+TieredCompilation -XX:TieredStopAtLevel=1 -XX:+UseSerialGC"

# builds the package too (./mvnw clean package); its output only when it fails
make -s app > "${TMPDIR:-/tmp}/cold-start-make.log" 2>&1 || { cat "${TMPDIR:-/tmp}/cold-start-make.log" >&2; exit 1; }
LAYOUT=target/lambda-layout
JAR=$(ls target/lambda-image-processor-*-exec.jar | head -1)
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
"$JAVA_HOME/bin/javac" -d "$WORK/bench" -cp "$LAYOUT:$LAYOUT/lib/*" bench/ColdStart.java
# the jar-only variant of the same layout, for CDS
mkdir -p "$WORK/jars"
cp "$LAYOUT"/lib/*.jar "$WORK/jars/"
(cd "$LAYOUT" && "$JAVA_HOME/bin/jar" cf "$WORK/jars/app.jar" application*.properties io)
(cd "$WORK/bench" && "$JAVA_HOME/bin/jar" cf "$WORK/jars/coldstart.jar" ColdStart.class)
PHOTO=src/test/resources/corpus/valid/flickr-2725x2225.jpg
EVENT=$PWD/events/s3-put.json

fresh_data() {
    rm -rf "$WORK/data" && mkdir -p "$WORK/data/uploads/photos" && cp "$PHOTO" "$WORK/data/uploads/photos/my photo(1).jpg"
}
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : int((a[NR/2]+a[NR/2+1])/2))}'; }

# one FunctionInvoker cold start: prints first_result_ms (the JVM's output goes to stderr if it fails)
invoker() {
    local classpath=$1; shift
    fresh_data
    if ! (cd "$WORK" && MAIN_CLASS=io.github.lambdaimageprocessor.ImageProcessorApplication \
            SPRING_CLOUD_FUNCTION_DEFINITION=processImage timeout 120 "$JAVA" "$@" -cp "$classpath" ColdStart \
            "$EVENT" > "$WORK/invoker.log" 2>&1); then
        echo "FunctionInvoker run failed ($*):" >&2; cat "$WORK/invoker.log" >&2; exit 1
    fi
    sed -nE 's/.*first_result_ms=([0-9]+).*/\1/p' "$WORK/invoker.log"
}

# one web app cold start (command...): prints ms from launch to the first answered POST /processImage
http() {
    fresh_data
    local port start end app
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
    start=$(date +%s%N)
    "$@" --server.port="$port" --image-processor.local.root="$WORK/data" > "$WORK/app.log" 2>&1 &
    app=$!
    until curl -sf --max-time 30 -o /dev/null -H 'Content-Type: application/json' --data-binary @"$EVENT" \
            "http://127.0.0.1:$port/processImage"; do
        if ! kill -0 $app 2>/dev/null || [ $(( $(date +%s%N) - start )) -gt 120000000000 ]; then
            echo "the app did not answer POST /processImage within 120 s ($*):" >&2; cat "$WORK/app.log" >&2
            kill $app 2>/dev/null || true
            exit 1
        fi
        sleep 0.02
    done
    end=$(date +%s%N)
    kill $app; wait $app 2>/dev/null || true
    echo $(( (end - start) / 1000000 ))
}

measure() {  # label, command...: runs it RUNS times, prints a table row
    local label=$1; shift
    local values=()
    for _ in $(seq 1 "$RUNS"); do values+=("$("$@")"); done
    echo "| $label | $(printf '%s\n' "${values[@]}" | median) | ${values[*]} |"
}

SAM_CP="$WORK/bench:$PWD/$LAYOUT:$PWD/$LAYOUT/lib/*"
JARS_CP="$WORK/jars/*"
# training run for the FunctionInvoker start-up cache (not measured); make app trained the web app's
MAJOR=$("$JAVA" -XshowSettings:properties -version 2>&1 | awk -F' = ' '/java.specification.version/ {print $2}' | cut -d. -f1)
# the measured runs insist on the cache (AOTMode=on, -Xshare:on): a cache the JVM cannot use fails the run instead of
# silently measuring a start without it
if [ "$MAJOR" -ge 25 ]; then
    CACHE="AOT cache"; TRAIN=-XX:AOTCacheOutput="$WORK/invoker.aot"; USE=-XX:AOTCache="$WORK/invoker.aot"
    STRICT=-XX:AOTMode=on
else
    CACHE="AppCDS"; TRAIN=-XX:ArchiveClassesAtExit="$WORK/invoker.jsa"; USE=-XX:SharedArchiveFile="$WORK/invoker.jsa"
    STRICT=-Xshare:on
fi
invoker "$JARS_CP" $LAMBDA_FLAGS "$TRAIN" > /dev/null

echo "JDK: $("$JAVA" -version 2>&1 | head -1); $(nproc) cores; $RUNS runs each"
echo
echo "| cold start | median ms | runs (ms) |"
echo "|---|---:|---|"
measure "FunctionInvoker, sam build layout, default JVM flags" invoker "$SAM_CP"
measure "FunctionInvoker, sam build layout, Lambda java21 flags (C1, serial GC)" invoker "$SAM_CP" $LAMBDA_FLAGS
measure "FunctionInvoker, same classes as jars + $CACHE, Lambda java21 flags" invoker "$JARS_CP" $LAMBDA_FLAGS "$USE" $STRICT
measure "java -jar, first POST /processImage answered" http "$JAVA" -jar "$JAR"
measure "target/app/start (make app: extracted + $CACHE), first POST /processImage answered" http env JAVA_OPTS="$STRICT" target/app/start
