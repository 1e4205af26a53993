# Sourced by dme's scripts: builds the modules when their sources changed, and starts every JVM the
# scripts run through one launcher (dme_jvm) with the options in conf/.
#   DME_JAVA_OPTS   extra JVM options for every dme JVM (after the defaults, so -Xmx8g there wins)
#   DME_MVN_OPTS    extra Maven options for the builds (e.g. -o: offline)
DME_HOME=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

# The main classes the scripts start: named here only, should a package change.
DME_MAIN_STREAMING_JOB=dme.job.driver.StreamingJob
DME_MAIN_SEPARATE_CLI=dme.job.cli.SeparateCli
DME_MAIN_STATS_CLI=dme.job.cli.StatsCli
DME_MAIN_GATEWAY=dme.gateway.GatewayMain
DME_MAIN_CONFIG=dme.core.DmeConfig
# benchmarks and evaluations, run with the test classpath (dme_test_classpath); bench.sh's are
# $DME_BENCH_PACKAGE.<name>
DME_BENCH_PACKAGE=dme.job.bench
DME_MAIN_DEMUCS_BENCHMARK=dme.job.separate.demucs.DemucsBenchmark
DME_MAIN_DEMUCS_FIDELITY=dme.job.separate.demucs.DemucsFidelity
DME_MAIN_DEVSET_ANALYSIS=dme.job.analysis.DevsetAnalysisEval
DME_MAIN_DEVSET_CV=dme.job.separate.spectral.DevsetCrossValidation
DME_MAIN_SPECTRAL_SPEED=dme.job.separate.spectral.SpectralSpeedComparison
# The spark-submit jar of `mvn -Pdist package` (spark-job/pom.xml gives it this version-free name).
DME_DIST_JAR=$DME_HOME/spark-job/target/dme-spark-job-all.jar

# dme_stale STAMP: true when STAMP is missing or any source, resource or pom is newer than it (build
# folders target*, the local store data/ and .git are not searched).
dme_stale() {
  [ ! -e "$1" ] || [ -n "$(find "$DME_HOME" \( -path "$DME_HOME/data" -o -path "$DME_HOME/.git" -o -type d -name 'target*' \) -prune \
      -o \( -name '*.java' -o -name pom.xml -o -path '*/src/*/resources/*' \) -newer "$1" -print -quit)" ]
}

# Builds (without tests) when the sources changed since the last build.
dme_build() {
  local stamp="$DME_HOME/spark-job/target/classpath.txt"
  if dme_stale "$stamp"; then
    echo "dme: building (mvn package -DskipTests)..." >&2
    (cd "$DME_HOME" && mvn -q -B ${DME_MVN_OPTS:-} -DskipTests package dependency:build-classpath \
        -Dmdep.includeScope=compile -Dmdep.outputFile=target/classpath.txt) >&2 || return 1
    touch "$stamp"  # the plugin leaves an unchanged classpath file as it was
  fi
}

# Builds the spark-submit jar (mvn -Pdist) when the sources changed; prints its path.
dme_dist_jar() {
  if dme_stale "$DME_DIST_JAR"; then
    echo "dme: building the spark-submit jar (mvn -Pdist package)..." >&2
    (cd "$DME_HOME" && mvn -q -B ${DME_MVN_OPTS:-} -Pdist -DskipTests package) >&2 || return 1
  fi
  echo "$DME_DIST_JAR"
}

# dme_test_classpath BUILD_DIR [MAVEN OPTION...]: compiles main and test classes of core and spark-job
# into BUILD_DIR (mvn -DbuildDir) when the sources changed; prints the classpath of spark-job's tests.
dme_test_classpath() {
  local dir=$1; shift
  local cpfile="$DME_HOME/spark-job/$dir/test-classpath.txt"
  if dme_stale "$cpfile"; then
    echo "dme: building main and test classes (mvn test-compile into $dir)..." >&2
    (cd "$DME_HOME" && mvn -q -B ${DME_MVN_OPTS:-} "$@" -DbuildDir="$dir" -pl spark-job -am test-compile dependency:build-classpath \
        -Dmdep.includeScope=test -Dmdep.outputFile="$dir/test-classpath.txt") >&2 || return 1
    touch "$cpfile"
  fi
  echo "$DME_HOME/spark-job/$dir/test-classes:$DME_HOME/spark-job/$dir/classes:$DME_HOME/core/$dir/classes:$(cat "$cpfile")"
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
      # package first: Maven resolves the reactor's own jars (dme-core's, its test jar) only once built
      (cd "$DME_HOME" && mvn -q -B ${DME_MVN_OPTS:-} -pl spark-job -am -DskipTests package dependency:copy-dependencies -DincludeScope=$scope \
          -DexcludeGroupIds=dme,io.delta,io.unitycatalog,ai.djl,ai.djl.pytorch,org.bytedeco,org.knowm.xchart,com.github.wendykierp,pl.edu.icm \
          -DoutputDirectory="$home/jars") >&2 || return 1
    done
    touch "$home/.complete"
  fi
  echo "$home"
}

# dme_config KEY: KEY's value as dme's config class resolves it (conf/dme.properties, DME_* variables,
# -Ddme.* in DME_JAVA_OPTS). A JVM of dme's core only (tens of milliseconds); needs a build.
dme_config() {
  local o props=()
  for o in ${DME_JAVA_OPTS:-}; do case $o in -Ddme.*) props+=("$o") ;; esac; done
  java "${props[@]}" "-Ddme.conf.dir=$DME_HOME/conf" -cp "$DME_HOME/core/target/classes" "$DME_MAIN_CONFIG" "$1"
}

# dme_jvm [--heap SIZE] [--test-logging] [--bind loopback|master] [--exec] JAVA ARGUMENT...
# The one launcher of dme's JVMs: java with -Xmx SIZE (default 4g), conf/jvm.options (module openings
# for Spark, DJL offline, ...), log4j from conf/log4j2.properties (--test-logging: log4j2-test.properties),
# -Ddme.conf.dir=conf, then DME_JAVA_OPTS, then the arguments (-cp CLASSPATH MAIN ARGS...).
#   Huge pages for malloc (GLIBC_TUNABLES=glibc.malloc.hugetlb=1 unless GLIBC_TUNABLES is set; set it
#   empty for none): libtorch's per-layer activations then cost far fewer page faults (Demucs +25 %,
#   docs/PERFORMANCE.md). Must be in the environment before the JVM starts.
#   --bind loopback: Spark binds to 127.0.0.1 (SPARK_LOCAL_IP, unless set): for local and loopback
#   masters, which talk only to themselves. Only the environment variable also keeps Spark's web UI off
#   other interfaces and its "host name resolves to a loopback address" warning away.
#   --bind master: the same when dme.spark.master is a local one; not for remote masters, whose
#   executors must reach this driver.
#   --exec: become the JVM (so a supervisor's signal reaches it, not a shell around it).
dme_jvm() {
  local heap=4g log4j=log4j2.properties bind="" become=""
  while [ $# -gt 0 ]; do
    case $1 in
      --heap) heap=$2; shift 2 ;;
      --test-logging) log4j=log4j2-test.properties; shift ;;
      --bind) bind=$2; shift 2 ;;
      --exec) become=1; shift ;;
      *) break ;;
    esac
  done
  local env=("GLIBC_TUNABLES=${GLIBC_TUNABLES-glibc.malloc.hugetlb=1}")
  if [ -z "${SPARK_LOCAL_IP:-}" ]; then
    case $bind in
      loopback) env+=(SPARK_LOCAL_IP=127.0.0.1) ;;
      master) case $(dme_config dme.spark.master) in local*) env+=(SPARK_LOCAL_IP=127.0.0.1) ;; esac ;;
    esac
  fi
  local cmd=(env "${env[@]}" java "-Xmx$heap" "@$DME_HOME/conf/jvm.options"
    "-Dlog4j2.configurationFile=$DME_HOME/conf/$log4j" "-Ddme.conf.dir=$DME_HOME/conf" ${DME_JAVA_OPTS:-} "$@")
  if [ -n "$become" ]; then exec "${cmd[@]}"; fi
  "${cmd[@]}"
}

# dme_java MODULE MAIN [ARGS...]: runs MAIN from MODULE (core, spark-job or submit-gateway) with the
# classpath of the last build. DME_EXEC=1: become the JVM.
dme_java() {
  local module=$1; shift
  local opts=()
  if [ "$module" = spark-job ]; then opts+=(--bind master); fi
  if [ -n "${DME_EXEC:-}" ]; then opts+=(--exec); fi
  dme_jvm "${opts[@]}" -cp "$DME_HOME/$module/target/classes:$(cat "$DME_HOME/$module/target/classpath.txt")" "$@"
}

# dme_spark_properties [FILE...]: prints the Spark properties a submitted dme job runs with:
# conf/spark-defaults.conf, spark.driver/executor.extraJavaOptions made of conf/jvm.options (the one list
# of module openings and JVM settings), then each FILE (a later entry wins).
dme_spark_properties() {
  local opts f
  opts=$(grep -v '^[[:space:]]*$' "$DME_HOME/conf/jvm.options" | tr '\n' ' ')
  cat "$DME_HOME/conf/spark-defaults.conf"
  printf '\n# from conf/jvm.options\nspark.driver.extraJavaOptions    %s\nspark.executor.extraJavaOptions  %s\n' "${opts% }" "${opts% }"
  for f in "$@"; do
    printf '\n# from %s\n' "$f"
    cat "$f"
  done
}

# dme_property_value TEXT: TEXT escaped for a Java properties file (backslashes and line breaks).
dme_property_value() {
  local v=${1//\\/\\\\}
  v=${v//$'\n'/\\n}
  printf '%s' "${v//$'\r'/\\r}"
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
