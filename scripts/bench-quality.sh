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
CP=$(dme_test_classpath "$BUILD_DIR" ${QUALITY_MVN_OPTS:-})
if [ "$1" = speed ]; then
  shift
  dme_jvm --exec --heap 1g --test-logging -cp "$CP" "$DME_MAIN_SPECTRAL_SPEED" 9 6 "${1:--}" "${2:--}"
fi
DEVSET=$(cd "$1" && pwd); shift
dme_jvm --exec --heap "${QUALITY_XMX:-3g}" --test-logging -Dcv.threads="${QUALITY_THREADS:-1}" \
    -Dcv.tuneSeconds="${QUALITY_TUNE_SECONDS:-30}" -cp "$CP" "$DME_MAIN_DEVSET_CV" "$DEVSET" "${@:-table}"
