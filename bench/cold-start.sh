#!/usr/bin/env bash
# Cold start, measured twice (median of N runs each, local adapters, a 6 MP photo):
#  1. Lambda: JVM start -> first thumbnail through FunctionInvoker, on the classpath sam build produces
#     (classes + runtime jars in lib/), with the environment template.yaml sets (profile aside).
#  2. java -jar: process launch -> first POST /processImage answered.
#   bench/cold-start.sh [runs]
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-7}
: "${JAVA_HOME:?set JAVA_HOME to a JDK 21 or newer}"
JAVA="$JAVA_HOME/bin/java"

./mvnw -B -ntp -q package -DskipTests
rm -rf target/lambda-layout && mkdir -p target/lambda-layout
./mvnw -B -ntp -q dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory=target/lambda-layout/lib
cp -r target/classes/. target/lambda-layout/
JAR=$(ls target/lambda-image-processor-*-exec.jar | head -1)
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
"$JAVA_HOME/bin/javac" -d "$WORK" -cp "target/lambda-layout:target/lambda-layout/lib/*" bench/ColdStart.java
PHOTO=src/test/resources/corpus/valid/flickr-2725x2225.jpg

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : int((a[NR/2]+a[NR/2+1])/2))}'; }

lambda=()
for _ in $(seq 1 "$RUNS"); do
    rm -rf "$WORK/data" && mkdir -p "$WORK/data/uploads/photos" && cp "$PHOTO" "$WORK/data/uploads/photos/my photo(1).jpg"
    line=$(cd "$WORK" && MAIN_CLASS=io.github.lambdaimageprocessor.ImageProcessorApplication \
        SPRING_CLOUD_FUNCTION_DEFINITION=processImage \
        "$JAVA" ${COLD_START_JAVA_OPTS:-} -cp "$WORK:$OLDPWD/target/lambda-layout:$OLDPWD/target/lambda-layout/lib/*" \
        ColdStart "$OLDPWD/events/s3-put.json" 2>/dev/null | grep first_result_ms)
    lambda+=("$(echo "$line" | sed -E 's/.*first_result_ms=([0-9]+).*/\1/')")
done

jar=()
for _ in $(seq 1 "$RUNS"); do
    rm -rf "$WORK/data" && mkdir -p "$WORK/data/uploads/photos" && cp "$PHOTO" "$WORK/data/uploads/photos/my photo(1).jpg"
    PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
    start=$(date +%s%N)
    "$JAVA" ${COLD_START_JAVA_OPTS:-} -jar "$JAR" --server.port="$PORT" --image-processor.local.root="$WORK/data" \
        > "$WORK/app.log" 2>&1 &
    APP=$!
    until curl -sf -o /dev/null -H 'Content-Type: application/json' --data-binary @events/s3-put.json \
            "http://127.0.0.1:$PORT/processImage"; do
        sleep 0.02
    done
    end=$(date +%s%N)
    kill $APP; wait $APP 2>/dev/null || true
    jar+=($(( (end - start) / 1000000 )))
done

echo "JDK: $("$JAVA" -version 2>&1 | head -1); $(nproc) cores; runs: $RUNS; JAVA_OPTS: ${COLD_START_JAVA_OPTS:-none}"
echo "| path | median ms | runs (ms) |"
echo "|---|---:|---|"
echo "| JVM start -> first thumbnail through FunctionInvoker (Lambda layout) | $(printf '%s\n' "${lambda[@]}" | median) | ${lambda[*]} |"
echo "| java -jar -> first POST /processImage answered | $(printf '%s\n' "${jar[@]}" | median) | ${jar[*]} |"
