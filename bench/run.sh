#!/usr/bin/env bash
# The whole comparison of BENCHMARKS.md in one command: our server (JDK 17, and JDK 21+ with virtual threads), the
# JavaScript reference server (npm kong-pdk) and a floor server, played by the same Kong emulator, run by run in
# alternation, in two modes: Kong-paced (an event loop per emulated Nginx worker, 30 us of Kong CPU per RPC, 1 and
# 2 workers) and fast (a thread per request, blocking I/O); then start-up, -dump and memory with 10 bundles. Prints
# the tables and writes them to bench/target/bench-results.md; with --doc BENCHMARKS.md it also replaces the results
# section of that file.
#
#   bench/run.sh                          # everything, about 16 minutes (--mode fast: about 6)
#   bench/run.sh --runs 1 --window-ms 300 --startup-runs 1    # a quick look
#   bench/run.sh --servers floor,java17 --scenarios hello --concurrency 16
#   bench/run.sh --servers floor,js --scenarios hello --concurrency 16 --runs 1 --mode paced
#   bench/run.sh --servers java17,java25 --only startup   # start-up, first event, crash window alone (no --doc)
#   bench/run.sh --servers java17,java17-nometrics --scenarios hello --concurrency 16 --mode paced --workers 1
#                                         # the cost of metrics: "-nometrics" runs a server with -Dkjps.metrics=false
#
# Options of the modes: --mode paced|fast|both [both], --workers 1,2 (the paced mode's worker counts; the fast mode
# uses the largest) [1,2], --rpc-cpu-us 30 (Kong's CPU per RPC in the paced mode) [30]; the others: BENCHMARKS.md.
#
# Other engineers share the machine: hold the build lock while measuring (flock /tmp/kjps-mvn.lock bench/run.sh).
# This script runs Maven only when something it needs is not built yet (or BUILD=1); it never takes the lock itself.
# Our distribution and the bench bundle are built only when a "java..." server is asked for, the JavaScript server
# installed only when "js" is.
#
# Environment (defaults in brackets):
#   JAVA17  java of the load generator, the floor and our server "java17" [/usr/lib/jvm/java-17-openjdk-amd64/bin/java]
#   JAVA25  java for our server "java25" (any 21+) [/usr/lib/jvm/temurin-25-jdk-amd64/bin/java]; skipped if absent
#   KONG_PDK_VERSION  the npm kong-pdk version of the JavaScript server [0.6.0]
#   NODE    node [node]
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
JAVA17=${JAVA17:-/usr/lib/jvm/java-17-openjdk-amd64/bin/java}
JAVA25=${JAVA25:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
KONG_PDK_VERSION=${KONG_PDK_VERSION:-0.6.0}
NODE=${NODE:-node}
dist=container/target/kong-java-pluginserver
bundle=$(ls bench/plugins/target/kong-java-pluginserver-bench-plugins-*.jar 2>/dev/null | head -1 || true)

# which servers: only what they need is built or installed
servers=floor,js,java17,java25
args=("$@")
for ((i = 0; i + 1 < ${#args[@]}; i++)); do
    if [ "${args[i]}" = --servers ]; then
        servers=${args[i + 1]}
    fi
done
ours=0
case ",$servers," in *,java*) ours=1 ;; esac

if [ "$ours" = 1 ] && { [ "${BUILD:-0}" = 1 ] || [ ! -x "$dist/bin/kong-java-pluginserver" ] || [ -z "$bundle" ] \
        || [ ! -d bench/target/lib ]; }; then
    echo "building the distribution and the benchmark" >&2
    mvn -B -q package -Dmaven.test.skip=true -Dkjps.fuzz.skip=true -pl container,bench/plugins,bench -am
    bundle=$(ls bench/plugins/target/kong-java-pluginserver-bench-plugins-*.jar | head -1)
elif [ "$ours" = 0 ] && { [ "${BUILD:-0}" = 1 ] || [ ! -d bench/target/lib ]; }; then
    echo "building the benchmark" >&2
    mvn -B -q package -Dmaven.test.skip=true -Dkjps.fuzz.skip=true -pl bench -am
fi

# the JavaScript reference server, installed here, never committed (bench/target is ignored)
js=bench/target/js
jsbin=$js/node_modules/kong-pdk/bin/kong-js-pluginserver
if [[ ",$servers," == *,js,* ]] && { [ ! -f "$jsbin" ] \
        || ! grep -q "\"version\": \"$KONG_PDK_VERSION\"" "$js/node_modules/kong-pdk/package.json"; }; then
    echo "installing npm kong-pdk@$KONG_PDK_VERSION into $js" >&2
    mkdir -p "$js"
    npm install --prefix "$js" --no-audit --no-fund --loglevel=error "kong-pdk@$KONG_PDK_VERSION" >&2
fi

# the bench deploy directory: only the bench bundle (the distribution's deploy/ is not touched)
deploy=bench/target/deploy
rm -rf "$deploy"
mkdir -p "$deploy"
ours_args=()
if [ "$ours" = 1 ]; then
    cp "$bundle" "$deploy/"
    ours_args=(--dist "$dist" --bench-bundle "$bundle")
fi

java25_args=()
if [ -x "$JAVA25" ]; then
    java25_args=(--java25 "$JAVA25")
fi
work=$(mktemp -d /tmp/kjps-bench.XXXXXX) # short: unix socket paths are limited to 107 bytes
trap 'rm -rf "$work"' EXIT

machine="$(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //')), $(free -g | awk '/Mem:/{print $2}') GiB,"
machine="$machine Linux $(uname -r); load generator and floor: $("$JAVA17" -version 2>&1 | head -1);"
[ -x "$JAVA25" ] && machine="$machine java25: $("$JAVA25" -version 2>&1 | head -1);"
[[ ",$servers," == *,js,* ]] && machine="$machine node $("$NODE" --version), kong-pdk $KONG_PDK_VERSION"
machine="${machine%;}"

"$JAVA17" -XX:+UseParallelGC -Xms1g -Xmx1g -Xmn768m -cp "bench/target/classes:bench/target/lib/*" \
    io.kjps.bench.BenchMain \
    --work "$work" --deploy "$deploy" "${ours_args[@]}" \
    --java17 "$JAVA17" "${java25_args[@]}" \
    --node "$NODE" --js-pluginserver "$jsbin" --js-plugins "$root/bench/js-plugins" \
    --machine "$machine" --out bench/target/bench-results.md "$@"
