#!/usr/bin/env bash
# Job statistics with Spark SQL over the jobs and songs tables of the configured storage (DME_ROOT):
#   scripts/stats.sh                      summary: songs, audio hours, chunk times, real-time factor, executors
#   scripts/stats.sh "SELECT ... FROM jobs"   any query;   scripts/stats.sh notebooks/retries.sql   a file
#   scripts/stats.sh --plots DIR [--song ID]  Gantt chart of a song's chunks per executor + chunk-time histogram
set -euo pipefail
source "$(dirname "$0")/lib.sh"
dme_build
export DME_HOME
DME_ROOT=${DME_ROOT:-file:$DME_HOME/data} dme_java spark-job dme.job.stats.StatsCli "$@"
