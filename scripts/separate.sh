#!/usr/bin/env bash
# Separates songs into drums, bass, other and vocals, like `demucs song.mp3`:
#   scripts/separate.sh [OPTIONS] SONG...        (scripts/separate.sh --help lists every option)
# Runs the dme job once in batch mode on local[*] (or -j N, or DME_SPARK_MASTER) and leaves
# OUT/<song>/ with the stems (default OUT: ./separated). Usage errors exit 2, unreadable songs 1,
# both before Spark starts; the scratch folder (dme-separate-* in the temp folder) is always removed.
# For practising: --tempo 0.8 --transpose -2 --click --loudness -14 also leave the mix rendered so.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
dme_build
dme_java spark-job "$DME_MAIN_SEPARATE_CLI" "$@"
