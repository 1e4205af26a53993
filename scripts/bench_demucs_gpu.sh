#!/usr/bin/env bash
# Demucs on a GPU, when this machine has one: fidelity of the GPU's output against the CPU's (fp32 both,
# one 10 s chunk of each devset mixture, needs >= 60 dB SDR), then throughput and GPU memory for a 10 s
# and a 60 s segment. Exits 3 (and says so) without an NVIDIA GPU. Not run in this repository so far:
# docs/PERFORMANCE.md has no GPU figures until someone runs this on a GPU machine.
#
#   scripts/bench_demucs_gpu.sh MODEL.pt
#
# Builds spark-job with -Pgpu (DJL's CUDA libtorch, pytorch.native.artifact; needs it in ~/.m2 or
# network once) into BUILD_DIR (default target-gpu). Environment: OUT_DIR (default /tmp/dme-bench),
# WARMUP (2), TIMED (5), MIN_SDR_DB (60).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
MODEL=${1:?usage: bench_demucs_gpu.sh MODEL.pt}
OUT_DIR=${OUT_DIR:-/tmp/dme-bench}
BUILD_DIR=${BUILD_DIR:-target-gpu}
WARMUP=${WARMUP:-2}
TIMED=${TIMED:-5}
MIN_SDR_DB=${MIN_SDR_DB:-60}
if ! command -v nvidia-smi >/dev/null 2>&1 || ! nvidia-smi -L >/dev/null 2>&1; then
  echo "bench_demucs_gpu: no NVIDIA GPU on this machine (nvidia-smi); nothing measured" >&2
  exit 3
fi
mkdir -p "$OUT_DIR"
CP=$(dme_test_classpath "$BUILD_DIR" -Pgpu)
RESULTS=$OUT_DIR/gpu-$(date +%Y%m%d-%H%M%S).jsonl
gpu_java() { dme_jvm --heap 4g -cp "$CP" "$@"; }

gpu_mem_peak() { # COMMAND...: runs it while sampling GPU memory; prints the command's output, then the peak MiB
  local log=$OUT_DIR/gpu-mem.txt
  nvidia-smi --query-gpu=memory.used --format=csv,noheader,nounits -lms 100 > "$log" &
  local sampler=$!
  "$@"
  kill "$sampler" 2>/dev/null || true
  wait "$sampler" 2>/dev/null || true
  echo "{\"gpu_memory_peak_mib\": $(sort -n "$log" | tail -1)}"
}

{
  echo "{\"gpu\": \"$(nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader | head -1)\", \"model\": \"$MODEL\"}"
  # shellcheck disable=SC2206
  songs=(${SONGS:-$DME_HOME/../shared/devset/songs/*/mixture.flac})
  gpu_java "$DME_MAIN_DEMUCS_FIDELITY" "$MODEL" 10 cpu:fp32 gpu:fp32 "${songs[@]}" 2>>"$OUT_DIR/java.log"
  for seg in 10 60; do
    gpu_mem_peak gpu_java -Ddme.bench.device=gpu "$DME_MAIN_DEMUCS_BENCHMARK" "$MODEL" "$seg" \
      "$WARMUP" "$TIMED" 1 "gpu-fp32-${seg}s" 1 fp32 1 2>>"$OUT_DIR/java.log"
  done
} | tee -a "$RESULTS"
worst=$(tail -n +2 "$RESULTS" | sed -n 's/.*"songs": [0-9]*, "worst_db": \([-0-9.a-zA-Z]*\).*/\1/p' | tail -1)
echo "bench_demucs_gpu: worst GPU-vs-CPU SDR ${worst} dB (needs >= ${MIN_SDR_DB})" >&2
awk -v w="$worst" -v m="$MIN_SDR_DB" 'BEGIN { exit !(w == "Infinity" || w + 0 >= m) }'
