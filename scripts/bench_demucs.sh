#!/usr/bin/env bash
# Demucs throughput, DJL (libtorch 2.7.1 from Maven) vs Python (Debian's torch) on the SAME TorchScript
# file, with the same threads and segment length, run one after the other in one go so that both see
# the same machine load. Results: one JSON line per run on stdout and in $OUT_DIR/results-DATE.jsonl.
#
#   scripts/bench_demucs.sh [MODEL.pt]
#
# Without MODEL, a full-size hdemucs_high with RANDOM weights is exported to $OUT_DIR (335 MB, never
# commit it). Environment: SEGMENT (s, default 10), WARMUP (default 2), TIMED (default 3),
# THREADS (intra-op, default: all processors), OUT_DIR (default /tmp/dme-bench), BUILD_DIR
# (Maven output folder, default target-bench), VARIANTS (runs in order, default
# "py djl py-inference-mode djl-no-optimize py-no-optimize djl"; also py-thp, djl-thp, djl-thp-2tasks,
# and for dme.djl.precision: djl-bf16, djl-thp-bf16, djl-thp-bf16-2tasks, djl-thp-bf16-batch2,
# djl-thp-batch2). The bf16 variants need a file with forward_bf16 (export_demucs.py's default).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
# No huge pages unless a variant asks for them (the -thp ones): the plain variants are the baseline.
export GLIBC_TUNABLES=${GLIBC_TUNABLES-}
PY=/usr/bin/python3
SEGMENT=${SEGMENT:-10}
WARMUP=${WARMUP:-2}
TIMED=${TIMED:-3}
THREADS=${THREADS:-$(nproc)}
OUT_DIR=${OUT_DIR:-/tmp/dme-bench}
BUILD_DIR=${BUILD_DIR:-target-bench}
VARIANTS=${VARIANTS:-py djl py-inference-mode djl-no-optimize py-no-optimize djl}
mkdir -p "$OUT_DIR"
MODEL=${1:-$OUT_DIR/hdemucs_high_random.pt}

if [ ! -f "$MODEL" ]; then
  echo "bench: exporting a random-weight hdemucs_high to $MODEL" >&2
  "$PY" "$DME_HOME/scripts/export_demucs.py" --out "$MODEL" >&2
fi

CP=$(dme_test_classpath "$BUILD_DIR" -o)

java_run() { # LABEL [JVM OPTIONS...]; PRECISION (fp32) and BATCH (1) from the environment
  local label=$1; shift
  OMP_NUM_THREADS=$THREADS dme_jvm --heap 2g --test-logging "$@" \
    -cp "$CP" "$DME_MAIN_DEMUCS_BENCHMARK" "$MODEL" "$SEGMENT" "$WARMUP" "$TIMED" "$THREADS" "$label" "${TASKS:-1}" "${PRECISION:-fp32}" "${BATCH:-1}" \
    2>>"$OUT_DIR/java.log"
}
py_run() { # Debian's torch does its matrix products in OpenBLAS, whose own thread pool defaults to all CPUs
  OPENBLAS_NUM_THREADS=$THREADS OMP_NUM_THREADS=$THREADS "$PY" "$DME_HOME/scripts/bench_demucs.py" "$MODEL" "$SEGMENT" "$WARMUP" "$TIMED" "$THREADS" "$@"
}

RESULTS=$OUT_DIR/results-$(date +%Y%m%d-%H%M%S).jsonl
{
  echo "{\"host\": \"$(hostname)\", \"nproc\": $(nproc), \"loadavg_before\": \"$(cut -d' ' -f1-3 /proc/loadavg)\", \"model\": \"$MODEL\", \"model_mb\": $(( $(stat -c %s "$MODEL") / 1048576 )), \"segment_s\": $SEGMENT, \"warmup\": $WARMUP, \"timed\": $TIMED, \"threads\": $THREADS}"
  # Alternating, so that a change in machine load hits both sides.
  for v in $VARIANTS; do
    case $v in
      py) py_run ;;
      py-inference-mode) py_run --inference-mode ;;
      py-no-optimize) py_run --no-optimize ;;
      djl) java_run djl ;;
      djl-no-optimize) java_run djl-no-graph-optimizer -Dai.djl.pytorch.graph_optimizer=false ;;
      # glibc (>= 2.35) backs malloc'd memory with transparent huge pages: fewer page faults on the
      # tens-of-MB activations that are allocated and freed for every layer
      py-thp) GLIBC_TUNABLES=glibc.malloc.hugetlb=1 py_run --label -thp ;;
      djl-thp) GLIBC_TUNABLES=glibc.malloc.hugetlb=1 java_run djl-thp ;;
      # two concurrent tasks sharing the one model, as two Spark tasks of one executor
      djl-thp-2tasks) GLIBC_TUNABLES=glibc.malloc.hugetlb=1 TASKS=2 java_run djl-thp-2tasks ;;
      # two segments in one forward call instead of one call per task
      djl-thp-batch2) GLIBC_TUNABLES=glibc.malloc.hugetlb=1 BATCH=2 java_run djl-thp-batch2 ;;
      # the file's bf16 twin (dme.djl.precision=bf16)
      djl-bf16) PRECISION=bf16 java_run djl-bf16 ;;
      djl-thp-bf16) GLIBC_TUNABLES=glibc.malloc.hugetlb=1 PRECISION=bf16 java_run djl-thp-bf16 ;;
      djl-thp-bf16-2tasks) GLIBC_TUNABLES=glibc.malloc.hugetlb=1 PRECISION=bf16 TASKS=2 java_run djl-thp-bf16-2tasks ;;
      djl-thp-bf16-batch2) GLIBC_TUNABLES=glibc.malloc.hugetlb=1 PRECISION=bf16 BATCH=2 java_run djl-thp-bf16-batch2 ;;
      *) echo "bench: unknown variant $v" >&2; exit 2 ;;
    esac
  done
  echo "{\"loadavg_after\": \"$(cut -d' ' -f1-3 /proc/loadavg)\"}"
} | tee -a "$RESULTS"
