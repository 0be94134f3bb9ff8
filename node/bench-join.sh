#!/bin/sh
# The in-process join benchmark: B-side import of a 1,000-member room's send_join answer, and whole
# joins with both servers in one JVM (no HTTP, no libp2p). See docs/benchmarks.md section 5.
# Usage (from the repository root): node/bench-join.sh [members] [rounds]
set -e
cd "$(dirname "$0")/.."
./mvnw -B -q -pl node -am test-compile dependency:build-classpath \
  -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test
cd node
exec java ${BENCH_JAVA_OPTS} \
  -cp "target/test-classes:target/classes:$(cat target/bench.classpath)" \
  dev.hyphae.node.federation.rooms.FederatedJoinBench "$@"
