#!/usr/bin/env bash
# How close bf16 (or a GPU) comes to fp32 on the CPU, on real mixtures: one 10 s chunk from the middle
# of each song through dme's DemucsSeparator both ways (DemucsFidelity, a test class).
#
#   scripts/bench_demucs_fidelity.sh MODEL.pt [REFERENCE [CANDIDATE]]   # default cpu:fp32 cpu:bf16
#
# Songs: SONGS (default the shared devset's mixtures, read in place, never copied). Environment:
# SECONDS_PER_SONG (default 10), OUT_DIR (default /tmp/dme-bench), BUILD_DIR (default target-bench).
# Prints one JSON line per song (SDR per stem of the candidate against the reference, dB) and the
# worst over all songs, and appends them to $OUT_DIR/fidelity-DATE.jsonl.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
MODEL=${1:?usage: bench_demucs_fidelity.sh MODEL.pt [REFERENCE [CANDIDATE]]}
REFERENCE=${2:-cpu:fp32}
CANDIDATE=${3:-cpu:bf16}
OUT_DIR=${OUT_DIR:-/tmp/dme-bench}
BUILD_DIR=${BUILD_DIR:-target-bench}
SECONDS_PER_SONG=${SECONDS_PER_SONG:-10}
# shellcheck disable=SC2206
SONGS=(${SONGS:-$DME_HOME/../shared/devset/songs/*/mixture.flac})
mkdir -p "$OUT_DIR"
CP=$(dme_test_classpath "$BUILD_DIR" -o)
RESULTS=$OUT_DIR/fidelity-$(date +%Y%m%d-%H%M%S).jsonl
dme_jvm --heap 3g -cp "$CP" "$DME_MAIN_DEMUCS_FIDELITY" \
  "$MODEL" "$SECONDS_PER_SONG" "$REFERENCE" "$CANDIDATE" "${SONGS[@]}" 2>>"$OUT_DIR/java.log" | tee -a "$RESULTS"
