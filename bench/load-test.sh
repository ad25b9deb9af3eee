#!/usr/bin/env bash
# Load test of the local runtime: starts the app with a capped heap on a free port, sends 500 uploads from 16
# concurrent clients (good photos, repeated uploads of the same key, bad files), checks that every good upload has
# exactly one thumbnail and one record and every bad one a REJECTED record, and that the app stayed under its heap.
#   bench/load-test.sh [uploads] [clients] [heap]
set -euo pipefail
cd "$(dirname "$0")/.."
UPLOADS=${1:-500}
CLIENTS=${2:-16}
HEAP=${3:-256m}
: "${JAVA_HOME:?set JAVA_HOME to a JDK 21 or newer}"
JAVA="$JAVA_HOME/bin/java"

JAR=$(ls target/lambda-image-processor-*-exec.jar 2>/dev/null | head -1 || true)
if [ -z "$JAR" ]; then
    ./mvnw -B -ntp -q package -DskipTests
    JAR=$(ls target/lambda-image-processor-*-exec.jar | head -1)
fi
WORK=$(mktemp -d)
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$JAVA" -Xmx"$HEAP" -XX:+ExitOnOutOfMemoryError -Xlog:gc:file="$WORK/gc.log" -jar "$JAR" \
    --server.port="$PORT" --image-processor.local.root="$WORK/data" > "$WORK/app.log" 2>&1 &
APP=$!
trap 'kill $APP 2>/dev/null || true; wait $APP 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do
    curl -s -o /dev/null "http://127.0.0.1:$PORT/images/ready-check" && break
    kill -0 $APP 2>/dev/null || { cat "$WORK/app.log"; echo "the app died during start-up"; exit 1; }
    sleep 0.5
done

status=0
"$JAVA" bench/LoadTest.java "http://127.0.0.1:$PORT" "$WORK/data" src/test/resources/corpus "$UPLOADS" "$CLIENTS" || status=$?

if ! kill -0 $APP 2>/dev/null; then
    echo "FAILED: the app exited during the load test (out of memory with -Xmx$HEAP?)"; tail -20 "$WORK/app.log"; exit 1
fi
# the largest heap occupancy G1 saw before any collection, from lines like "... 180M->42M(256M) 3.1ms"
PEAK=$(grep -oE '[0-9]+M->[0-9]+M\([0-9]+M\)' "$WORK/gc.log" | sed -E 's/M->.*//' | sort -n | tail -1)
echo "heap              -Xmx$HEAP, peak used ${PEAK:-?} MB before a collection, app still running"
[ "$status" -eq 0 ] && rm -rf "$WORK"
exit $status
