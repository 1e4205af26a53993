#!/usr/bin/env bash
# Fixed cost of the command line: scripts/separate.sh end to end (JVM, Spark start-up, the batch with
# its table work, teardown) on a BENCH_CLI_SECONDS (180) s song and on a 1 s song, which is almost only
# fixed cost, run alternately BENCH_CLI_REPEATS (3) times each with the built-in separator; prints the
# medians, the real-time factor and the load average as a markdown table for docs/PERFORMANCE.md:
#   scripts/bench-cli.sh
set -euo pipefail
source "$(dirname "$0")/lib.sh"
dme_build
SECONDS_LONG=${BENCH_CLI_SECONDS:-180}
REPEATS=${BENCH_CLI_REPEATS:-3}
OUT=$(mktemp -d /tmp/dme-bench-cli.XXXXXX)
trap 'rm -rf "$OUT"' EXIT
/usr/bin/python3 "$DME_HOME/scripts/make-test-song.py" "$OUT/long.wav" "$SECONDS_LONG"
/usr/bin/python3 "$DME_HOME/scripts/make-test-song.py" "$OUT/short.wav" 1
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
declare -A times
for ((i = 1; i <= REPEATS; i++)); do
  for song in long short; do
    t0=$(date +%s.%N)
    DME_SEPARATOR=spectral "$DME_HOME/scripts/separate.sh" -o "$OUT/separated" "$OUT/$song.wav" >/dev/null
    t1=$(date +%s.%N)
    times[$song]+="$(echo "$t1 - $t0" | bc) "
    echo "run $i $song: $(echo "$t1 - $t0" | bc) s" >&2
  done
done
median() { tr ' ' '\n' | grep -v '^$' | sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }
long=$(echo "${times[long]}" | median)
short=$(echo "${times[short]}" | median)
echo "| song | runs (s) | median (s) | real-time factor |"
echo "|---|---|---|---|"
echo "| ${SECONDS_LONG} s | ${times[long]}| $long | $(printf "%.1f" "$(echo "scale=3; $SECONDS_LONG / $long" | bc)")× |"
echo "| 1 s (fixed cost) | ${times[short]}| $short | — |"
echo
echo "Load average (1, 5, 15 min) before: $load_before; after: $(cut -d' ' -f1-3 /proc/loadavg); $(nproc) cores."
