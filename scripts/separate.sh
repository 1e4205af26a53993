#!/usr/bin/env bash
# Separates songs into drums, bass, other and vocals, like `demucs song.mp3`:
#   scripts/separate.sh SONG... [--stems vocals,drums] [--format wav|wav-float|flac|mp3] [--out DIR]
# Runs the dme job once in batch mode on local[*] (or DME_SPARK_MASTER) and leaves DIR/<song>/ with the
# four stems and mix.<fmt> of the selected stems (default DIR: ./separated).
# For practising: --tempo 0.8 (0.5..1.5, pitch kept) --transpose -2 (-12..12 semitones, tempo kept)
# --click (a tick on the detected beats) --loudness -14 (EBU R128 LUFS) also leave the mix rendered so,
# as mix-<options>.<fmt>; the song's detected tempo and key are printed.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
dme_build
dme_java spark-job dme.job.SeparateCli "$@"
