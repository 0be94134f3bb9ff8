#!/bin/sh
# The libp2p benchmark: Java<->Java and Java<->js-libp2p over loopback.
# Usage (from the repository root): transport/bench-libp2p.sh [oneWayMiB] [echoMiB] [pings] [handshakes] [java|js|both]
set -e
cd "$(dirname "$0")/.."
./mvnw -B -q ${MVN_OPTS_EXTRA} -pl transport test-compile dependency:build-classpath \
  -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test
cd transport
exec java -Dio.netty.leakDetection.level=disabled --add-modules jdk.incubator.vector ${BENCH_JAVA_OPTS} \
  -cp "target/test-classes:target/classes:$(cat target/bench.classpath)" \
  dev.hyphae.transport.libp2p.connection.Libp2pBench "$@"
