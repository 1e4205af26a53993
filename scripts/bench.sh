#!/usr/bin/env bash
# Benchmarks dme in one run, side by side on the same machine, and writes docs/PERFORMANCE.md with
# charts docs/perf-*.png (the part between its bench.sh markers is replaced; other sections are kept):
#   scripts/bench.sh
#
#   1 pipeline overhead (job vs plain separator loop)   4 parallelism (local[1] vs local[2], local-cluster)
#   1b the same with a Demucs-size model (BENCH_DEMUCS_MODEL=FILE.pt; skipped with a note without one)
#   2 decode/encode per format, ffmpeg CLI for mp3      5 memory of the CLI, 5- vs 20-minute song
#   3 built-in separator speed and profile               6 chunk length and overlap: speed and SDR
#   7 float32 vs 16-bit PCM in shuffle rows
#   8 many users at once: a long and a short song over HTTP (fair scheduling), remix, first song
#   demucs-precision (only when asked for): Demucs in the job at each dme.djl.precision, alternating
#       (BENCH_DEMUCS_MODEL=FILE.pt, BENCH_DEMUCS_PRECISIONS="fp32 bf16", BENCH_REPEATS rounds)
#
# The benchmark mains are test classes (spark-job/src/test/java/dme/job/bench), so nothing of them is in
# the dist jar. Sizes (defaults keep the run around 20 minutes on a busy 2-core machine, 1b with a Demucs model adds ~6):
#   BENCH_ONLY="pipeline demucs codecs separator memory chunking rows"  run a subset (the doc is then left alone
#       unless BENCH_WRITE_DOC=1; the tables are printed either way)
#   BENCH_SONGS=3 BENCH_SONG_SECONDS=60   songs of the pipeline batch;  BENCH_REPEATS=3 timed batches (the fastest counts)
#   BENCH_MASTERS="local[2] local[1]"     masters for sections 1 and 4 (the first one is section 1's)
#   BENCH_SCHED_LONG_SECONDS=1800 BENCH_SCHED_SHORT_SECONDS=30   songs of section 8
#   BENCH_CLUSTER=1                       also local-cluster[1,1,1024] and local-cluster[2,1,1024] (0: skip)
#   BENCH_DEMUCS_RT=2.2                   Demucs audio s per CPU s, for section 1's projection (Demucs section)
#   BENCH_DEMUCS_MODEL=FILE.pt            TorchScript for 1b (scripts/export_demucs.py --out FILE.pt: random-weight
#                                         hdemucs_high, 319 MB);  BENCH_DEMUCS_SONGS=4 BENCH_DEMUCS_SONG_SECONDS=60
#   BENCH_CODEC_SECONDS=60  BENCH_MEM_MINUTES="5 60"  BENCH_MEM_XMX=1g  BENCH_CHUNK_SONG_SECONDS=60
#   BENCH_DEVSET=DIR        a devset folder (songs/<name>/{mixture,drums,bass,other,vocals}.flac) also
#                           scored in section 6; read in place, never copied
#   BENCH_DOCS=DIR (where the document and charts go, default docs/)
#   BENCH_OUT=DIR (scratch, default a new /tmp/dme-bench.*, removed at the end unless BENCH_KEEP=1)
#   BUILD_DIR=target (Maven output folder)  BENCH_MVN_OPTS (e.g. -o)  BENCH_XMX=3g (benchmark JVMs)
# The benchmark JVMs start like dme's own (scripts/lib.sh dme_jvm), huge pages for malloc included
# (GLIBC_TUNABLES= scripts/bench.sh runs them without).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
BUILD_DIR=${BUILD_DIR:-target}
ONLY=${BENCH_ONLY:-pipeline scheduling demucs codecs separator memory chunking rows}
OUT=${BENCH_OUT:-$(mktemp -d /tmp/dme-bench.XXXXXX)}
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
WRITE_DOC=0
if [ -z "${BENCH_ONLY:-}" ] || [ "${BENCH_WRITE_DOC:-0}" = 1 ]; then WRITE_DOC=1; fi
# Charts go next to the document when it is written, else to the scratch folder.
DOCS=${BENCH_DOCS:-$([ $WRITE_DOC = 1 ] && echo "$DME_HOME/docs" || echo "$OUT/docs")}

# bench_java MAIN [JAVA OPTIONS...]: runs a benchmark main; tables on stdout, logs in $OUT/MAIN.log.
bench_java() {
  local main=$1; shift
  echo "bench: $main ($(cut -d' ' -f1-3 /proc/loadavg))" >&2
  (cd "$OUT" && dme_jvm --heap "${BENCH_XMX:-3g}" --test-logging --bind loopback \
      -Dspark.sql.warehouse.dir="$OUT/spark-warehouse" -Dbench.out="$OUT" -Dbench.docs="$DOCS" "$@" \
      -cp "$CP" "$DME_BENCH_PACKAGE.$main" 2> "$OUT/$main.log") || { echo "bench: $main failed, see $OUT/$main.log" >&2; tail -20 "$OUT/$main.log" >&2; return 1; }
}

CP=$(dme_test_classpath "$BUILD_DIR" ${BENCH_MVN_OPTS:-})
export SPARK_SCALA_VERSION=2.13
cluster=""
if [ "${BENCH_CLUSTER:-1}" = 1 ]; then
  # local-cluster starts executor JVMs from SPARK_HOME; only its jars/ folder is read and the
  # benchmark passes its own classpath to the executors (as LocalClusterTest does).
  export SPARK_HOME="$OUT/spark-home"
  mkdir -p "$SPARK_HOME/jars"
  cluster="local-cluster[1,1,1024] local-cluster[2,1,1024]"
fi
command="scripts/bench.sh"
for v in $(env | grep -o '^BENCH_[A-Z_]*' | grep -v -E '^BENCH_(OUT|KEEP|DOCS|MVN_OPTS)$' | sort); do command="$v=\"${!v}\" $command"; done
rm -rf "$OUT/fragments"
UPTIME_BEFORE=$(uptime)
echo "bench: $UPTIME_BEFORE; scratch $OUT"
started=$(date -u '+%Y-%m-%d %H:%M UTC')

for b in $ONLY; do
  case $b in
    separator) bench_java SeparatorProfile ;;
    codecs) bench_java CodecBench -Dbench.codec.seconds="${BENCH_CODEC_SECONDS:-60}" ;;
    rows) bench_java RowCodecBench ;;
    chunking) bench_java ChunkingBench -Dbench.chunking.song.seconds="${BENCH_CHUNK_SONG_SECONDS:-60}" \
        -Dbench.devset="${BENCH_DEVSET:-}" ;;
    pipeline) bench_java PipelineBench -Dbench.pipeline.songs="${BENCH_SONGS:-3}" \
        -Dbench.pipeline.song.seconds="${BENCH_SONG_SECONDS:-60}" -Dbench.pipeline.repeats="${BENCH_REPEATS:-3}" \
        -Dbench.pipeline.masters="${BENCH_MASTERS:-local[2] local[1]}" -Dbench.pipeline.cluster="$cluster" \
        -Dbench.demucs.rt="${BENCH_DEMUCS_RT:-2.2}" ;;
    demucs) bench_java DemucsPipelineBench -Dbench.demucs.model="${BENCH_DEMUCS_MODEL:-}" \
        -Dbench.demucs.songs="${BENCH_DEMUCS_SONGS:-4}" -Dbench.demucs.song.seconds="${BENCH_DEMUCS_SONG_SECONDS:-60}" ;;
    demucs-precision) bench_java DemucsPrecisionBench -Dbench.demucs.model="${BENCH_DEMUCS_MODEL:-}" \
        -Dbench.demucs.precisions="${BENCH_DEMUCS_PRECISIONS:-fp32 bf16}" -Dbench.demucs.rounds="${BENCH_REPEATS:-2}" \
        -Dbench.demucs.songs="${BENCH_DEMUCS_SONGS:-2}" -Dbench.demucs.song.seconds="${BENCH_DEMUCS_SONG_SECONDS:-60}" ;;
    scheduling) bench_java SchedulingBench -Dbench.scheduling.long.seconds="${BENCH_SCHED_LONG_SECONDS:-1800}" \
        -Dbench.scheduling.short.seconds="${BENCH_SCHED_SHORT_SECONDS:-30}" -Dbench.scheduling.repeats="${BENCH_REPEATS:-3}" ;;
    memory) bench_java MemoryBench -Dbench.memory.minutes="${BENCH_MEM_MINUTES:-5 60}" \
        -Dbench.memory.xmx="${BENCH_MEM_XMX:-1g}" ;;
    *) echo "bench: unknown benchmark '$b' (pipeline scheduling demucs demucs-precision codecs separator memory chunking rows)" >&2; exit 2 ;;
  esac
done

UPTIME_AFTER=$(uptime)
echo "bench: $UPTIME_AFTER"
if [ $WRITE_DOC = 1 ]; then
  bench_java PerformanceDoc -Dbench.command="$command" -Dbench.date="$started" \
      -Dbench.uptime.before="$UPTIME_BEFORE" -Dbench.uptime.after="$UPTIME_AFTER"
  echo "bench: $DOCS/PERFORMANCE.md and $DOCS/perf-*.png written"
fi
if [ "${BENCH_KEEP:-0}" != 1 ]; then
  rm -rf "$OUT"
fi
