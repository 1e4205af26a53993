#!/usr/bin/env bash
# Job statistics with Spark SQL over the jobs and songs tables of a store (--root URI, else DME_ROOT,
# else ./data); it says which store it reads and when that store has nothing recorded:
#   scripts/stats.sh                      summary: songs, audio hours, chunk times, real-time factor, executors
#   scripts/stats.sh "SELECT ... FROM jobs"   any query;   scripts/stats.sh notebooks/retries.sql   a file
#   scripts/stats.sh --plots DIR [--song ID]  Gantt chart of a song's chunks per executor + chunk-time histogram
#   scripts/stats.sh --describe           the tables' columns and what each holds
#   scripts/stats.sh --root file:/tmp/run1    the store of `separate.sh --root file:/tmp/run1 ...`
# Errors (a bad query, --plots on an empty store) are one line, exit status 1; -v shows Spark's logs.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
dme_build
export DME_HOME
DME_ROOT=${DME_ROOT:-file:$DME_HOME/data} dme_java spark-job "$DME_MAIN_STATS_CLI" "$@"
