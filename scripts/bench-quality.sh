#!/usr/bin/env bash
# Separation quality of the built-in separator on a devset folder (songs/<name>/{mixture,drums,bass,
# other,vocals}.flac; read in place, never copied), with the project's SDR (the definition of the
# devset's sdr.py), the songs cut into 10 s chunks with 25 % overlap as the job does:
#   scripts/bench-quality.sh DEVSET                 per-song, per-stem table of the separator's defaults
#   scripts/bench-quality.sh DEVSET cv [ROUNDS]     3-fold cross-validation of the tuning search (held-out table)
#   scripts/bench-quality.sh DEVSET compare SPEC... one line per tuning override (name=value,...; - = defaults)
#   scripts/bench-quality.sh speed SPEC-A SPEC-B    speed of two tunings side by side (x real time per core)
# Environment: QUALITY_THREADS=1 (songs scored at once), QUALITY_TUNE_SECONDS=30 (how much of each
# training song the search scores; held-out songs are always scored whole), QUALITY_XMX=3g,
# BUILD_DIR=target, QUALITY_MVN_OPTS (e.g. -o). docs/QUALITY.md records what these runs gave.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
BUILD_DIR=${BUILD_DIR:-target}
[ $# -ge 1 ] || { sed -n '2,12p' "$0"; exit 2; }
CPFILE="$DME_HOME/spark-job/$BUILD_DIR/quality-classpath.txt"
if [ ! -f "$CPFILE" ] || [ -n "$(find "$DME_HOME" -path '*/target*' -prune -o \( -name '*.java' -o -name 'pom.xml' \) -newer "$CPFILE" -print -quit)" ]; then
  echo "bench-quality: building (mvn test-compile into $BUILD_DIR)..." >&2
  (cd "$DME_HOME" && mvn -q -B ${QUALITY_MVN_OPTS:-} -DbuildDir="$BUILD_DIR" -pl spark-job -am test-compile) >&2
  # The pom's dependency plugin; an older one where that cannot be resolved (offline machines).
  for plugin in dependency org.apache.maven.plugins:maven-dependency-plugin:2.8; do
    if (cd "$DME_HOME" && mvn -q -B ${QUALITY_MVN_OPTS:-} -DbuildDir="$BUILD_DIR" -pl spark-job \
        "$plugin:build-classpath" -Dmdep.includeScope=test -Dmdep.outputFile="$CPFILE") >/dev/null 2>&1; then
      break
    fi
  done
  [ -f "$CPFILE" ] || { echo "bench-quality: could not resolve the test classpath" >&2; exit 1; }
fi
CP="$DME_HOME/spark-job/$BUILD_DIR/test-classes:$DME_HOME/spark-job/$BUILD_DIR/classes:$DME_HOME/core/$BUILD_DIR/classes:$(cat "$CPFILE")"
if [ "$1" = speed ]; then
  shift
  exec java -Xmx1g -cp "$CP" dme.job.separate.spectral.SpectralSpeedComparison 9 6 "${1:--}" "${2:--}"
fi
DEVSET=$(cd "$1" && pwd); shift
exec java -Xmx${QUALITY_XMX:-3g} -Dcv.threads=${QUALITY_THREADS:-1} -Dcv.tuneSeconds=${QUALITY_TUNE_SECONDS:-30} \
    -cp "$CP" dme.job.separate.spectral.DevsetCrossValidation "$DEVSET" "${@:-table}"
