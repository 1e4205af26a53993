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
export SPARK_HOME=$(dme_spark_home) SPARK_SCALA_VERSION=2.13 SPARK_LOCAL_IP=${SPARK_LOCAL_IP:-127.0.0.1}
port=${DME_CLUSTER_PORT:-7077}
logs=$(mktemp -d /tmp/dme-cluster-XXXX)
sparkcp="$SPARK_HOME/jars/*"
java -Xmx512m -cp "$sparkcp" org.apache.spark.deploy.master.Master --host 127.0.0.1 --port "$port" --webui-port 0 \
  > "$logs/master.log" 2>&1 &
master=$!
java -Xmx512m -cp "$sparkcp" org.apache.spark.deploy.worker.Worker --cores 2 --memory 3g --webui-port 0 \
  --work-dir "$logs/work" "spark://127.0.0.1:$port" > "$logs/worker.log" 2>&1 &
worker=$!
trap 'kill $worker $master 2>/dev/null; wait 2>/dev/null' EXIT INT TERM
for _ in $(seq 60); do grep -q "Successfully registered with master" "$logs/worker.log" && break; sleep 1; done
grep -q "Successfully registered with master" "$logs/worker.log" || { echo "worker did not register; see $logs" >&2; exit 1; }
echo "dme: standalone Master spark://127.0.0.1:$port and a Worker are up (logs in $logs)" >&2
main=dme.job.StreamingJob
if [ "${1:-}" = separate ]; then main=dme.job.SeparateCli; shift; fi
java @"$DME_HOME/conf/jvm.options" -Xmx2g -Dlog4j2.configurationFile="$DME_HOME/conf/log4j2.properties" \
  -Ddme.conf.dir="$DME_HOME/conf" -cp "$sparkcp" org.apache.spark.deploy.SparkSubmit \
  --master "spark://127.0.0.1:$port" --properties-file "$DME_HOME/conf/spark-defaults.conf" \
  --conf spark.executor.cores=1 --conf spark.executor.memory=1g --conf spark.cores.max=2 \
  --class "$main" "$jar" "$@"
