#!/usr/bin/env bash
# Tempo and key accuracy on a devset (read in place, never copied): prints a Markdown report of the
# analysis against the manifest's tempo_bpm and key_estimate.
#   scripts/bench-analysis.sh [DEVSET_DIR]        (default /work/shared/devset)
#   BUILD_DIR=target (Maven output folder)  BENCH_MVN_OPTS (e.g. -o)  BENCH_XMX=2g
set -euo pipefail
source "$(dirname "$0")/lib.sh"
BUILD_DIR=${BUILD_DIR:-target}
DEVSET=${1:-/work/shared/devset}
CPFILE="$DME_HOME/spark-job/$BUILD_DIR/bench-classpath.txt"
if [ ! -f "$CPFILE" ] || [ -n "$(find "$DME_HOME" -path '*/target*' -prune -o \( -name '*.java' -o -name 'pom.xml' \) -newer "$CPFILE" -print -quit)" ]; then
  echo "bench-analysis: building (mvn test-compile into $BUILD_DIR)..." >&2
  (cd "$DME_HOME" && mvn -q -B ${BENCH_MVN_OPTS:-} -DbuildDir="$BUILD_DIR" -pl spark-job -am test-compile \
      dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$BUILD_DIR/bench-classpath.txt") >&2
fi
CP="$DME_HOME/spark-job/$BUILD_DIR/test-classes:$DME_HOME/spark-job/$BUILD_DIR/classes:$DME_HOME/core/$BUILD_DIR/classes:$(cat "$CPFILE")"
echo "bench-analysis: $DEVSET ($(cut -d' ' -f1-3 /proc/loadavg))" >&2
java -Xmx${BENCH_XMX:-2g} "@$DME_HOME/conf/jvm.options" -Dlog4j2.configurationFile="$DME_HOME/conf/log4j2-test.properties" \
    -cp "$CP" dme.job.analysis.DevsetAnalysisEval "$DEVSET"
