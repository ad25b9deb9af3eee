#!/usr/bin/env bash
# Runs the JMH benchmarks of src/jmh/java (decode and decode + thumbnail, ImageIO vs the DCT-scaling decoder).
# Extra arguments go to JMH, e.g.: bench/jmh.sh -f 1 -wi 2 -i 3 dctThumbnail -p file=/path/to/photo.jpg
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p target
./mvnw -B -ntp -q -Pbenchmarks -DskipTests test-compile dependency:build-classpath -Dmdep.includeScope=test \
    -Dmdep.outputFile=target/jmh-classpath.txt >/dev/null
exec "${JAVA_HOME:+$JAVA_HOME/bin/}java" -cp "target/classes:target/test-classes:$(cat target/jmh-classpath.txt)" \
    org.openjdk.jmh.Main "$@"
