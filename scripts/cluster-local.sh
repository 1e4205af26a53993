#!/usr/bin/env bash
# A real Spark standalone cluster on this machine, built from the Maven jars (no Spark download):
# starts a Master and a Worker (2 executors of 1 core), submits the dme job with SparkSubmit, and
# stops the cluster when the job ends.
#   scripts/cluster-local.sh                      the streaming job (Ctrl-C stops everything)
#   scripts/cluster-local.sh separate SONG... [--stems ...] [--format ...] [--out DIR]
#                                                 the batch CLI as a cluster application
set -euo pipefail
source "$(dirname "$0")/lib.sh"
dme_build
jar=$(dme_dist_jar)
# The whole cluster listens on loopback only: Master, Worker, executors and driver.
SPARK_HOME=$(dme_spark_home)  # assigned apart from export, so that a failed build stops the script
export SPARK_HOME SPARK_SCALA_VERSION=2.13 SPARK_LOCAL_IP=${SPARK_LOCAL_IP:-127.0.0.1}
port=${DME_CLUSTER_PORT:-7077}
logs=$(mktemp -d /tmp/dme-cluster-XXXX)
sparkcp="$SPARK_HOME/jars/*"
props=$(mktemp /tmp/dme-cluster-XXXXXX.properties)
dme_spark_properties > "$props"
# Spark's own daemons, started as its sbin/ scripts would (with Spark's logging: the Worker's
# registration is an INFO line this script waits for).
java -Xmx512m -cp "$sparkcp" org.apache.spark.deploy.master.Master --host 127.0.0.1 --port "$port" --webui-port 0 \
  > "$logs/master.log" 2>&1 &
master=$!
java -Xmx512m -cp "$sparkcp" org.apache.spark.deploy.worker.Worker --cores 2 --memory 3g --webui-port 0 \
  --work-dir "$logs/work" "spark://127.0.0.1:$port" > "$logs/worker.log" 2>&1 &
worker=$!
trap 'kill $worker $master 2>/dev/null; wait 2>/dev/null; rm -f "$props"' EXIT INT TERM
for _ in $(seq 60); do grep -q "Successfully registered with master" "$logs/worker.log" && break; sleep 1; done
grep -q "Successfully registered with master" "$logs/worker.log" || { echo "worker did not register; see $logs" >&2; exit 1; }
echo "dme: standalone Master spark://127.0.0.1:$port and a Worker are up (logs in $logs)" >&2
main=$DME_MAIN_STREAMING_JOB
if [ "${1:-}" = separate ]; then main=$DME_MAIN_SEPARATE_CLI; shift; fi
dme_jvm --heap 2g --bind loopback -cp "$sparkcp" org.apache.spark.deploy.SparkSubmit \
  --master "spark://127.0.0.1:$port" --properties-file "$props" \
  --conf spark.executor.cores=1 --conf spark.executor.memory=1g --conf spark.cores.max=2 \
  --class "$main" "$jar" "$@"
