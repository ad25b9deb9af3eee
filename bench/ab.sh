#!/usr/bin/env bash
# Paired A/B of a change to the codec: the working tree against another commit, both builds in one JVM, alternated
# round by round (PairedAb), so the machine's drift falls on both alike. Whole runs of compare-baseline.sh move by
# 15% on a shared VM; the ratio of the rounds here moves by about 5% at 1/8 (each build gets a JIT of its own: try
# it with the same commit on both sides). Needs the baseline set (bench/baseline-corpus.sh) or files of your own.
#
#   bench/ab.sh REV [resize|decode:DENOMINATOR] [ROUNDS] [FILE...]
#   bench/ab.sh HEAD~1                     # the resizer, 30 rounds over the baseline set
#   bench/ab.sh HEAD~1 decode:8 20 bench/work/baseline/corpus/{24,50}MP-*.jpg
set -euo pipefail
cd "$(dirname "$0")/.."
rev=${1:?"usage: bench/ab.sh REV [resize|decode:DENOMINATOR] [ROUNDS] [FILE...]"}
mode=${2:-resize}
rounds=${3:-30}
shift $(($# < 3 ? $# : 3))
files=("$@")
if [ ${#files[@]} -eq 0 ]; then
    files=(bench/work/baseline/corpus/*.jpg)
    [ -e "${files[0]}" ] || { echo "no files: run bench/baseline-corpus.sh or name some" >&2; exit 1; }
fi
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
work=bench/work/ab
mkdir -p "$work"
commit=$(git rev-parse --short "$rev")
other="$work/$commit"
[ -d "$other" ] || git worktree add --detach -f "$other" "$commit" >/dev/null 2>&1
(cd "$other" && ./mvnw -B -ntp -q -DskipTests test-compile) > "$work/build-$commit.log" 2>&1 \
    || { echo "building $commit failed: $work/build-$commit.log" >&2; exit 1; }
./mvnw -B -ntp -q -DskipTests test-compile dependency:build-classpath -Dmdep.includeScope=test \
    -Dmdep.outputFile="$work/classpath.txt" > "$work/build.log" 2>&1 \
    || { echo "building the working tree failed: $work/build.log" >&2; exit 1; }
# both builds run on the working tree's dependencies: compare commits whose pom.xml resolves the same ones
deps=$(cat "$work/classpath.txt")
echo "A = $commit, B = the working tree ($(git rev-parse --short HEAD)$(git diff --quiet || echo ', modified'))"
exec "$JAVA" -cp "target/classes:target/test-classes:$deps" io.github.lambdaimageprocessor.benchmark.PairedAb \
    "$mode" "$rounds" "$other/target/classes:$other/target/test-classes:$deps" \
    "target/classes:target/test-classes:$deps" "${files[@]}"
