#!/usr/bin/env bash
# End to end, one song: dme (scripts/separate.sh, the Spark job in batch mode on local[*]) against the
# single-machine way without dme (../shared/bench/py_demucs_baseline.py: torchaudio's HDemucs, 10 s
# windows with 25 % overlap, one Python process with all cores), the same weights, run one after the
# other in one go (VARIANTS order, alternate them) so that each sees the same machine load.
# Prints and appends to $OUT_DIR/e2e-DATE.jsonl one JSON line per run: wall seconds and CPU seconds
# (user + system of the whole process tree, /usr/bin/time) per audio second.
#
#   scripts/bench_demucs_e2e.sh MODEL.pt SONG [BASELINE_MODEL.pt]
#
# MODEL.pt: an export_demucs.py file with the bf16 twin. The baseline loads the file's state_dict
# into torchaudio's model, which needs a file without the twin: BASELINE_MODEL.pt, exported with the
# same seed and --no-bf16 (same weights). VARIANTS (default "py dme-fp32 dme-auto py dme-fp32 dme-auto"):
# py, dme-fp32 (dme.djl.precision=fp32), dme-auto, dme-bf16. dme runs with huge pages for malloc as
# scripts/lib.sh sets them; BASELINE_THP=1 gives the baseline the same.
set -euo pipefail
DME_HOME=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
MODEL=${1:?usage: bench_demucs_e2e.sh MODEL.pt SONG [BASELINE_MODEL.pt]}
SONG=${2:?usage: bench_demucs_e2e.sh MODEL.pt SONG [BASELINE_MODEL.pt]}
BASE_MODEL=${3:-$MODEL}
OUT_DIR=${OUT_DIR:-/tmp/dme-bench}
BASELINE=${BASELINE:-$DME_HOME/../shared/bench/py_demucs_baseline.py}
VARIANTS=${VARIANTS:-py dme-fp32 dme-auto py dme-fp32 dme-auto}
mkdir -p "$OUT_DIR"
AUDIO_S=$(/usr/bin/python3 -c "import soundfile, sys; i = soundfile.info(sys.argv[1]); print(i.frames / i.samplerate)" "$SONG")
RESULTS=$OUT_DIR/e2e-$(date +%Y%m%d-%H%M%S).jsonl

RUN=0
timed() { # LABEL COMMAND...: runs it, prints one JSON line; its output goes to $OUT_DIR/LABEL-RUN.log
  local label=$1; shift
  RUN=$((RUN + 1))
  local t=$OUT_DIR/time-$label-$RUN.txt log=$OUT_DIR/$label-$RUN.log
  /usr/bin/time -o "$t" -f '%e %U %S %M' "$@" > "$log" 2>&1 \
    || { echo "bench: $label failed, see $log" >&2; tail -3 "$log" >&2; return 1; }
  read -r wall user sys rss < "$t"
  /usr/bin/python3 - "$label" "$wall" "$user" "$sys" "$rss" "$AUDIO_S" "$(cut -d' ' -f1 /proc/loadavg)" "$log" <<'PY'
import datetime, json, re, sys
label, wall, user, sys_, rss, audio, load, log = sys.argv[1:]
wall, cpu, audio = float(wall), float(user) + float(sys_), float(audio)
# separation phase: the baseline prints "SONG: N s" (decode, windows, writing); dme from the separator's
# load in the task to the last chunk separated (SeparateChunks' log lines)
sep = None
text = open(log, errors="replace").read()
m = re.findall(r": ([0-9.]+) s$", text, re.M)
if label == "py" and m:
    sep = float(m[-1])
stamps = [datetime.datetime.strptime(t, "%y/%m/%d %H:%M:%S") for t, what in
          re.findall(r"^(\d\d/\d\d/\d\d \d\d:\d\d:\d\d) INFO  (ExecutorSeparator|SeparateChunks)", text, re.M)]
if label != "py" and len(stamps) > 1:
    sep = (stamps[-1] - stamps[0]).total_seconds()
print(json.dumps({"run": label, "audio_s": round(audio, 2), "wall_s": wall, "cpu_s": round(cpu, 2),
                  "separation_wall_s": sep,
                  "wall_s_per_audio_s": round(wall / audio, 3), "cpu_s_per_audio_s": round(cpu / audio, 3),
                  "peak_rss_mb": round(int(rss) / 1024), "loadavg_after": float(load)}))
PY
}

dme() { # PRECISION: /usr/bin/time runs programs, not shell functions, hence env
  timed "dme-$1" env DME_MODEL="$MODEL" DME_SEPARATOR=demucs DME_DJL_PRECISION="$1" \
    "$DME_HOME/scripts/separate.sh" "$SONG" --out "$OUT_DIR/dme-$1"
}

py() {
  local thp=()
  [ "${BASELINE_THP:-0}" = 1 ] && thp=(GLIBC_TUNABLES=glibc.malloc.hugetlb=1)
  timed py env "${thp[@]}" /usr/bin/python3 "$BASELINE" --model "$BASE_MODEL" --out "$OUT_DIR/py" "$SONG"
}

(cd "$DME_HOME" && source scripts/lib.sh && dme_build)  # build outside the timing
{
  echo "{\"song\": \"$SONG\", \"model\": \"$MODEL\", \"baseline_model\": \"$BASE_MODEL\", \"nproc\": $(nproc), \"loadavg_before\": \"$(cut -d' ' -f1-3 /proc/loadavg)\"}"
  for v in $VARIANTS; do
    case $v in
      py) py ;;
      dme-fp32) dme fp32 ;;
      dme-auto) dme auto ;;
      dme-bf16) dme bf16 ;;
      *) echo "bench: unknown variant $v" >&2; exit 2 ;;
    esac
  done
} | tee -a "$RESULTS"
