#!/usr/bin/env bash
# Tempo and key accuracy on a devset (read in place, never copied): prints a Markdown report of the
# analysis against the manifest's tempo_bpm and key_estimate.
#   scripts/bench-analysis.sh [DEVSET_DIR]        (default /work/shared/devset)
#   BUILD_DIR=target (Maven output folder)  BENCH_MVN_OPTS (e.g. -o)  BENCH_XMX=2g
set -euo pipefail
source "$(dirname "$0")/lib.sh"
BUILD_DIR=${BUILD_DIR:-target}
DEVSET=${1:-/work/shared/devset}
CP=$(dme_test_classpath "$BUILD_DIR" ${BENCH_MVN_OPTS:-})
echo "bench-analysis: $DEVSET ($(cut -d' ' -f1-3 /proc/loadavg))" >&2
dme_jvm --heap "${BENCH_XMX:-2g}" --test-logging -cp "$CP" "$DME_MAIN_DEVSET_ANALYSIS" "$DEVSET"
