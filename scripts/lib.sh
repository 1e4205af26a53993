# Sourced by dme's scripts: builds the modules when their sources changed and runs dme's mains with
# the classpath Maven resolved and the JVM options in conf/.
DME_HOME=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
DME_VERSION=0.1.0-SNAPSHOT

# Builds (without tests) when any source or pom is newer than the last build.
dme_build() {
  local stamp="$DME_HOME/spark-job/target/classpath.txt"
  if [ ! -f "$stamp" ] || [ -n "$(find "$DME_HOME" -path '*/target' -prune -o \( -name '*.java' -o -name 'pom.xml' -o -path '*/resources/*' \) -newer "$stamp" -print -quit)" ]; then
    echo "dme: building (mvn package -DskipTests)..." >&2
    (cd "$DME_HOME" && mvn -q -B -DskipTests package dependency:build-classpath -Dmdep.includeScope=compile -Dmdep.outputFile=target/classpath.txt) >&2 || return 1
  fi
}

# Builds the spark-submit jar (mvn -Pdist) when sources changed; prints its path.
dme_dist_jar() {
  local jar="$DME_HOME/spark-job/target/dme-spark-job-$DME_VERSION-all.jar"
  if [ ! -f "$jar" ] || [ -n "$(find "$DME_HOME" -path '*/target' -prune -o \( -name '*.java' -o -name 'pom.xml' \) -newer "$jar" -print -quit)" ]; then
    echo "dme: building the spark-submit jar (mvn -Pdist package)..." >&2
    (cd "$DME_HOME" && mvn -q -B -Pdist -DskipTests package) >&2 || return 1
  fi
  echo "$jar"
}

# A SPARK_HOME made of the Spark and Hadoop jars Maven resolved (for machines without a Spark
# distribution): $DME_HOME/spark-job/target/spark-home/jars. What the dist jar carries (dme, Delta,
# DJL, JavaCV, ...) is left out, so a job run on it proves the dist jar complete. Prints its path.
dme_spark_home() {
  local home="$DME_HOME/spark-job/target/spark-home"
  if [ ! -f "$home/.complete" ]; then
    mkdir -p "$home/jars"
    local scope
    for scope in compile runtime; do  # compile = compile + provided; runtime adds e.g. log4j-core
      (cd "$DME_HOME" && mvn -q -B -pl spark-job -am dependency:copy-dependencies -DincludeScope=$scope \
          -DexcludeGroupIds=dme,io.delta,io.unitycatalog,ai.djl,ai.djl.pytorch,org.bytedeco,org.knowm.xchart,com.github.wendykierp,pl.edu.icm \
          -DoutputDirectory="$home/jars") >&2 || return 1
    done
    touch "$home/.complete"
  fi
  echo "$home"
}

# dme_java MODULE MAIN [ARGS...]: runs MAIN from MODULE (core, spark-job or submit-gateway).
dme_java() {
  # A local master talks to itself: bind Spark to loopback (no warning about the host name resolving
  # to it). Not for remote masters, whose executors must reach this driver.
  local master=${DME_SPARK_MASTER:-$(sed -n 's/^[[:space:]]*dme\.spark\.master[[:space:]]*=[[:space:]]*//p' "$DME_HOME/conf/dme.properties" | tail -1)}
  case "${master:-local}" in local*) export SPARK_LOCAL_IP=${SPARK_LOCAL_IP:-127.0.0.1} ;; esac
  # glibc backs malloc with transparent huge pages: libtorch's per-layer activations then cost far
  # fewer page faults (Demucs +25 %, docs/PERFORMANCE.md). Must be set before the JVM starts.
  export GLIBC_TUNABLES=${GLIBC_TUNABLES:-glibc.malloc.hugetlb=1}
  local module=$1 main=$2; shift 2
  local cp="$DME_HOME/$module/target/classes:$(cat "$DME_HOME/$module/target/classpath.txt")"
  exec_java=(java ${DME_JAVA_OPTS:--Xmx4g} "@$DME_HOME/conf/jvm.options"
    "-Dlog4j2.configurationFile=$DME_HOME/conf/log4j2.properties" "-Ddme.conf.dir=$DME_HOME/conf"
    -cp "$cp" "$main" "$@")
  # DME_EXEC=1: become the JVM (so a supervisor's signal reaches it, not a shell around it)
  if [ -n "${DME_EXEC:-}" ]; then exec "${exec_java[@]}"; fi
  "${exec_java[@]}"
}

# dme_supervise LOG NAME CMD [ARGS...]: runs CMD (output appended to LOG) and starts it again whenever
# it exits, after a back-off that doubles from 1 s to 60 s (back to 1 s once a run lasted 5 minutes),
# with one line per exit on stderr and in LOG. Stopping the supervisor (TERM, INT) stops CMD too.
dme_supervise() {
  local log=$1 name=$2; shift 2
  local delay=1 child=0 started rc
  trap 'if [ "$child" -gt 0 ]; then kill "$child" 2>/dev/null; wait "$child" 2>/dev/null; fi; exit 0' TERM INT
  while true; do
    started=$SECONDS
    # the child is CMD itself (exec), so stopping the child stops CMD
    ( if declare -F "$1" >/dev/null; then DME_EXEC=1 "$@"; else exec "$@"; fi ) >>"$log" 2>&1 &
    child=$!
    echo "dme: $name started (pid $child)" | tee -a "$log" >&2
    rc=0
    wait "$child" || rc=$?
    child=0
    if [ $((SECONDS - started)) -ge 300 ]; then delay=1; fi
    echo "dme: $name exited (code $rc) after $((SECONDS - started)) s; restarting in $delay s" | tee -a "$log" >&2
    sleep "$delay" &
    wait $! || true
    delay=$((delay * 2 > 60 ? 60 : delay * 2))
  done
}
