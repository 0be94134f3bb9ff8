#!/bin/sh
# The federation benchmark: two `hyphae run` processes on loopback federating over libp2p.
# Prints latency (send on A -> B's /sync), throughput (PDUs/s reaching B's client) and the time
# for B's user to join a room of A with many members. See docs/benchmarks.md.
# Usage (from the repository root): cli/bench-federation.sh [latencyMessages] [throughputMessages] [senders] [members]
#   or: cli/bench-federation.sh --join-only [members] [registrations at once]   (only the join; BENCH_JAVA_OPTS=-Dbench.jfr=true records it with JFR)
#   or: cli/bench-federation.sh --federation-path [rooms] [pdus]   (this process sends signed transactions as A over libp2p)
#   or: cli/bench-federation.sh --tor [messages]   (two onion-only nodes on a private Tor network; needs tor and tor-gencert)
set -e
cd "$(dirname "$0")/.."
./mvnw -B -q -pl cli -am test-compile dependency:build-classpath \
  -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test
cd cli
exec java ${BENCH_JAVA_OPTS} \
  -cp "target/test-classes:target/classes:$(cat target/bench.classpath)" \
  dev.hyphae.cli.FederationBench "$@"
