#!/usr/bin/env bash
# Separates songs into drums, bass, other and vocals, like `demucs song.mp3`:
#   scripts/separate.sh SONG... [--stems vocals,drums] [--format wav|wav-float|flac|mp3] [--out DIR]
# Runs the dme job once in batch mode on local[*] (or DME_SPARK_MASTER) and leaves DIR/<song>/ with the
# four stems and mix.<fmt> of the selected stems (default DIR: ./separated).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
dme_build
dme_java spark-job dme.job.SeparateCli "$@"
