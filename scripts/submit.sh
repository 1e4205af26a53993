#!/usr/bin/env bash
# Submits the dme job to a cluster with spark-submit:
#   scripts/submit.sh MASTER [--deploy-mode client|cluster] [--once] [-- extra spark-submit options]
# MASTER: spark://host:7077 (standalone), yarn, or k8s://https://api:6443. SPARK_HOME must point to a
# Spark 4.2 (Scala 2.13) distribution. Spark settings: conf/spark-defaults.conf, the JVM options of
# conf/jvm.options, then any `--properties-file FILE` among the extra options (e.g. conf/spark-gpu.conf).
# dme's own settings (DME_ROOT, DME_MODEL, ...) are read from this shell's environment and reach the driver.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
[ $# -ge 1 ] || { sed -n '2,7p' "$0"; exit 2; }
master=$1; shift
mode=client; app_args=(); extra=(); more_props=()
while [ $# -gt 0 ]; do
  case $1 in
    --deploy-mode) mode=$2; shift 2 ;;
    --once) app_args+=(--once); shift ;;
    --)
      shift
      while [ $# -gt 0 ]; do
        if [ "$1" = --properties-file ]; then more_props+=("$2"); shift 2; else extra+=("$1"); shift; fi
      done ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
: "${SPARK_HOME:?set SPARK_HOME to a Spark 4.2 / Scala 2.13 distribution}"
jar=$(dme_dist_jar)

# dme settings reach the driver wherever it runs: inherited in client mode, driver environment on
# YARN and Kubernetes. They travel in a properties file readable by this user only (mktemp: mode
# 600), never on the command line, where `ps` would show them. Spark's UI hides the values of keys
# matching spark.redaction.regex, by default (?i)secret|password|token|access[.]?key, which covers
# DME_ADMIN_TOKEN and DME_WRITE_TOKEN.
props=$(mktemp "${TMPDIR:-/tmp}/dme-submit-XXXXXX.properties")
child=0
trap 'rm -f "$props"' EXIT
{
  dme_spark_properties "${more_props[@]}"
  printf '\n# dme settings from the environment\n'
  for name in $(compgen -e | grep '^DME_' || true); do
    value=$(dme_property_value "${!name}")
    printf 'spark.yarn.appMasterEnv.%s=%s\nspark.kubernetes.driverEnv.%s=%s\n' "$name" "$value" "$name" "$value"
  done
} > "$props"

# Not exec: this shell removes the file when spark-submit ends, and passes INT/TERM on to it.
"$SPARK_HOME/bin/spark-submit" --master "$master" --deploy-mode "$mode" \
  --properties-file "$props" \
  --files "$DME_HOME/conf/log4j2.properties" \
  "${extra[@]}" \
  --class "$DME_MAIN_STREAMING_JOB" "$jar" "${app_args[@]}" &
child=$!
trap 'kill -TERM "$child" 2>/dev/null' INT TERM
rc=0
while true; do
  wait "$child" && rc=0 || rc=$?
  kill -0 "$child" 2>/dev/null || break  # wait was only interrupted by a signal: keep waiting
done
exit "$rc"
