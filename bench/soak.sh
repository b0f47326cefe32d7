#!/usr/bin/env bash
# The soak run of BENCHMARKS.md (issue 6): our server (JDK 17 by default) started once, continuous mixed load from the
# Kong emulator over its unix socket (16 concurrent requests doing hello, exit and churn, the last replacing its
# plugin instance with StartInstance + CloseInstance every 4th event) for a bounded time, and every 10 s the server's
# VmRSS and Threads (/proc/<pid>/status), its live heap (jcmd <pid> GC.run, then GC.heap_info), events and errors.
# Prints the table and a verdict (live heap and threads, last third of the run against the first) and writes them to
# bench/target/soak-results.md. Exits 0 when flat, 1 when not. Never run by `mvn verify`.
#
#   bench/soak.sh                   # 180 s
#   bench/soak.sh --seconds 600     # 10 minutes
#   bench/soak.sh --seconds 30 --interval 5 --concurrency 64
#
# Hold the build lock while measuring (flock /tmp/kjps-mvn.lock bench/soak.sh); this script never takes it itself and
# runs Maven only when something it needs is not built yet (or BUILD=1).
#
# Environment (defaults in brackets):
#   JAVA17  java of the load generator and of our server [/usr/lib/jvm/java-17-openjdk-amd64/bin/java]
#   SERVER_JAVA  java of our server, any 17+ [$JAVA17]; its bin/jcmd reads the live heap
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
JAVA17=${JAVA17:-/usr/lib/jvm/java-17-openjdk-amd64/bin/java}
SERVER_JAVA=${SERVER_JAVA:-$JAVA17}
dist=container/target/kong-java-pluginserver
bundle=$(ls bench/plugins/target/kong-java-pluginserver-bench-plugins-*.jar 2>/dev/null | head -1 || true)

if [ "${BUILD:-0}" = 1 ] || [ ! -x "$dist/bin/kong-java-pluginserver" ] || [ -z "$bundle" ] \
        || [ ! -d bench/target/lib ] || [ ! -f bench/target/classes/io/kjps/bench/SoakMain.class ]; then
    echo "building the distribution and the benchmark" >&2
    mvn -B -q package -DskipTests -pl container,bench/plugins,bench -am
    bundle=$(ls bench/plugins/target/kong-java-pluginserver-bench-plugins-*.jar | head -1)
fi

# the soak's deploy directory: only the bench bundle (the distribution's deploy/ is not touched)
deploy=bench/target/soak-deploy
rm -rf "$deploy"
mkdir -p "$deploy"
cp "$bundle" "$deploy/"

work=$(mktemp -d /tmp/kjps-soak.XXXXXX) # short: unix socket paths are limited to 107 bytes
trap 'rm -rf "$work"' EXIT

machine="$(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //')), $(free -g | awk '/Mem:/{print $2}') GiB,"
machine="$machine Linux $(uname -r); server: $("$SERVER_JAVA" -version 2>&1 | head -1)"

"$JAVA17" -XX:+UseParallelGC -Xms512m -Xmx512m -cp "bench/target/classes:bench/target/lib/*" \
    io.kjps.bench.SoakMain \
    --work "$work" --dist "$dist" --deploy "$deploy" --java "$SERVER_JAVA" \
    --machine "$machine" --out bench/target/soak-results.md "$@"
