#!/usr/bin/env bash
# End-to-end benchmark (issue 13): the packaged router as an OS process against a simulated VoipNow
# account, measured from outside, its floor measured in the same run. Results: docs/benchmarks.md.
#
#   bench/end-to-end.sh ingest  [n=100000] [period=8000] [rounds=5] [warmup=2] [heap=2g]
#   bench/end-to-end.sh latency [n=10000] [period=1000] [churn=1] [duration=60] [warmup=10]
#   bench/end-to-end.sh keepup  [n=1000000] [period=5000] [churn=1] [duration=600] [sample=10] [gcEvery=60] [webhook=false]
#
# Builds the jar once per run into BUILD_DIR (default /tmp/pbx-e2e-build; SKIP_BUILD=1 reuses it), then
# runs pbx.presence.bench.EndToEndBenchmark on the test classpath. BENCH_JAVA_OPTS sets the benchmark's
# own JVM options (it hosts the simulator, the floor and the webhook receiver).
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR="${BUILD_DIR:-/tmp/pbx-e2e-build}"
if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
  mvn -B -q -Dbuild.dir="$BUILD_DIR" -DskipTests package
  mvn -B -q -Dbuild.dir="$BUILD_DIR" dependency:build-classpath -Dmdep.outputFile="$BUILD_DIR/test-classpath.txt" \
      -Dmdep.includeScope=test > /dev/null
fi
JAR="$(ls "$BUILD_DIR"/pbx-presence-router-*-jar-with-dependencies.jar | head -1)"
exec java ${BENCH_JAVA_OPTS:--Xmx4g} -Drouter.jar="$JAR" \
    -cp "$BUILD_DIR/classes:$BUILD_DIR/test-classes:$(cat "$BUILD_DIR/test-classpath.txt")" \
    pbx.presence.bench.EndToEndBenchmark "$@"
