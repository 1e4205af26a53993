#!/usr/bin/env bash
# Runs dme on the embedded default: the streaming job on local[*] and the gateway, both on file:
# storage under ./data (DME_ROOT to change it), the built-in separator unless DME_MODEL is set.
# The job is supervised: when it dies it is started again (with back-off, one line each time), and the
# gateway reports it down meanwhile. Ctrl-C stops everything.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
dme_build
export DME_ROOT=${DME_ROOT:-$(cd "$DME_HOME" && mkdir -p data && cd data && pwd | sed 's|^|file:|')}
mkdir -p "$DME_HOME/data"
dme_supervise "$DME_HOME/data/job.log" "streaming job" dme_java spark-job "$DME_MAIN_STREAMING_JOB" &
job=$!
trap 'kill $job 2>/dev/null; wait $job 2>/dev/null' EXIT INT TERM
echo "dme: streaming job supervised (log data/job.log), storage $DME_ROOT" >&2
dme_java submit-gateway "$DME_MAIN_GATEWAY"
