# Sourced by dme's scripts: builds the modules when their sources changed and runs dme's mains with
# the classpath Maven resolved and the JVM options in conf/.
DME_HOME=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
DME_VERSION=0.1.0-SNAPSHOT

# Builds (without tests) when any source or pom is newer than the last build.
dme_build() {
  local stamp="$DME_HOME/spark-job/target/classpath.txt"
  if [ ! -f "$stamp" ] || [ -n "$(find "$DME_HOME" -path '*/target' -prune -o \( -name '*.java' -o -name 'pom.xml' -o -path '*/resources/*' \) -newer "$stamp" -print -quit)" ]; then
    echo "dme: building (mvn package -DskipTests)..." >&2
    (cd "$DME_HOME" && mvn -q -B -DskipTests package dependency:build-classpath -Dmdep.outputFile=target/classpath.txt) >&2 || return 1
  fi
}

# dme_java MODULE MAIN [ARGS...]: runs MAIN from MODULE (core, spark-job or submit-gateway).
dme_java() {
  local module=$1 main=$2; shift 2
  local cp="$DME_HOME/$module/target/classes:$(cat "$DME_HOME/$module/target/classpath.txt")"
  exec_java=(java ${DME_JAVA_OPTS:--Xmx4g} "@$DME_HOME/conf/jvm.options"
    "-Dlog4j2.configurationFile=$DME_HOME/conf/log4j2.properties" "-Ddme.conf.dir=$DME_HOME/conf"
    -cp "$cp" "$main" "$@")
  "${exec_java[@]}"
}
