#!/usr/bin/env bash
# Submits the dme job to a cluster with spark-submit:
#   scripts/submit.sh MASTER [--deploy-mode client|cluster] [--once] [-- extra spark-submit options]
# MASTER: spark://host:7077 (standalone), yarn, or k8s://https://api:6443. SPARK_HOME must point to a
# Spark 4.2 (Scala 2.13) distribution. Settings: conf/spark-defaults.conf for Spark; dme's own settings
# (DME_ROOT, DME_MODEL, ...) are read from this shell's environment and passed to the driver.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
[ $# -ge 1 ] || { sed -n '2,7p' "$0"; exit 2; }
master=$1; shift
mode=client; app_args=(); extra=()
while [ $# -gt 0 ]; do
  case $1 in
    --deploy-mode) mode=$2; shift 2 ;;
    --once) app_args+=(--once); shift ;;
    --) shift; extra=("$@"); break ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
: "${SPARK_HOME:?set SPARK_HOME to a Spark 4.2 / Scala 2.13 distribution}"
jar=$(dme_dist_jar)
# dme settings reach the driver wherever it runs: inherited in client mode, driver env on YARN/k8s.
conf=()
while IFS='=' read -r name value; do
  case $name in DME_*)
    conf+=(--conf "spark.yarn.appMasterEnv.$name=$value" --conf "spark.kubernetes.driverEnv.$name=$value") ;;
  esac
done < <(env)
exec "$SPARK_HOME/bin/spark-submit" --master "$master" --deploy-mode "$mode" \
  --properties-file "$DME_HOME/conf/spark-defaults.conf" \
  --files "$DME_HOME/conf/log4j2.properties" \
  "${conf[@]}" "${extra[@]}" \
  --class dme.job.StreamingJob "$jar" "${app_args[@]}"
