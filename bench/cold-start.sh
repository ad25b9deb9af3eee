#!/usr/bin/env bash
# Cold start, median of N runs each, local adapters, a 6 MP photo (bench/ColdStart.java for the Lambda path).
#
#  FunctionInvoker: JVM start -> first thumbnail, as the Lambda runtime does it (the invoker builds the Spring context
#  in its constructor, then handles one event), with the environment template.yaml sets (profile aside):
#    1. the layout `sam build` produces (classes + lib/*.jar), default JVM flags;
#    2. the same with the flags Lambda's java21 runtime uses by default (C1 only, serial GC);
#    3. the same classes as jars with an AppCDS archive from one training run (CDS refuses a classpath directory).
#  java -jar: process launch -> first POST /processImage answered:
#    4. the executable jar, default flags;
#    5. the jar extracted (java -Djarmode=tools extract) with an AppCDS archive from one training run.
#
#   bench/cold-start.sh [runs]       prints a Markdown table
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-7}
: "${JAVA_HOME:?set JAVA_HOME to a JDK 21 or newer}"
JAVA="$JAVA_HOME/bin/java"
LAMBDA_FLAGS="-XX:+TieredCompilation -XX:TieredStopAtLevel=1 -XX:+UseSerialGC"

./mvnw -B -ntp -q clean package -DskipTests
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

# one FunctionInvoker cold start: prints first_result_ms
invoker() {
    local classpath=$1; shift
    fresh_data
    (cd "$WORK" && MAIN_CLASS=io.github.lambdaimageprocessor.ImageProcessorApplication \
        SPRING_CLOUD_FUNCTION_DEFINITION=processImage "$JAVA" "$@" -cp "$classpath" ColdStart "$EVENT" 2>/dev/null) \
        | sed -nE 's/.*first_result_ms=([0-9]+).*/\1/p'
}

# one java -jar cold start: prints ms from launch to the first answered POST /processImage
http() {
    fresh_data
    local port start end app
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
    start=$(date +%s%N)
    "$JAVA" "$@" --server.port="$port" --image-processor.local.root="$WORK/data" > "$WORK/app.log" 2>&1 &
    app=$!
    until curl -sf -o /dev/null -H 'Content-Type: application/json' --data-binary @"$EVENT" \
            "http://127.0.0.1:$port/processImage"; do
        kill -0 $app 2>/dev/null || { cat "$WORK/app.log" >&2; exit 1; }
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
# training runs for the CDS archives (not measured)
invoker "$JARS_CP" $LAMBDA_FLAGS -XX:ArchiveClassesAtExit="$WORK/invoker.jsa" > /dev/null
"$JAVA" -Djarmode=tools -jar "$JAR" extract --destination "$WORK/extracted" > /dev/null
EXTRACTED_JAR=$(ls "$WORK"/extracted/*.jar | head -1)
(cd "$WORK" && "$JAVA" -XX:ArchiveClassesAtExit="$WORK/app.jsa" -Dspring.context.exit=onRefresh \
    -jar "$EXTRACTED_JAR" --image-processor.local.root="$WORK/data" > /dev/null 2>&1 || true)

echo "JDK: $("$JAVA" -version 2>&1 | head -1); $(nproc) cores; $RUNS runs each"
echo
echo "| cold start | median ms | runs (ms) |"
echo "|---|---:|---|"
measure "FunctionInvoker, sam build layout, default JVM flags" invoker "$SAM_CP"
measure "FunctionInvoker, sam build layout, Lambda java21 flags (C1, serial GC)" invoker "$SAM_CP" $LAMBDA_FLAGS
measure "FunctionInvoker, same classes as jars + AppCDS, Lambda java21 flags" invoker "$JARS_CP" $LAMBDA_FLAGS \
    -XX:SharedArchiveFile="$WORK/invoker.jsa"
measure "java -jar, first POST /processImage answered" http -jar "$JAR"
measure "java -jar extracted + AppCDS, first POST /processImage answered" http \
    -XX:SharedArchiveFile="$WORK/app.jsa" -jar "$EXTRACTED_JAR"
