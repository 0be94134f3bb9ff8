#!/bin/sh
# The client-server API benchmark: one `hyphae run` started as the hyphae launcher starts it (the
# runnable jar with the JVM options of cli/jvm.options), driven over HTTP on loopback. Prints cold
# start, idle RSS, /sync wake-up latency, accepted events/s and initial sync time, each next to its
# goal. See docs/benchmarks.md.
# Usage (from the repository root): cli/bench-client.sh [--rooms 100] [--events 1000] [--senders 50] [--messages 500] [--starts 3]
#   smoke run: cli/bench-client.sh --rooms 4 --events 20 --senders 4 --messages 20 --starts 1
set -e
cd "$(dirname "$0")/.."
# One reactor build: the classpath then names this tree's modules, not other builds in ~/.m2.
./mvnw -B -q -pl cli -am package -DskipTests dependency:build-classpath \
  -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test
cd cli
exec java ${BENCH_JAVA_OPTS} \
  -cp "target/test-classes:target/classes:$(cat target/bench.classpath)" \
  dev.hyphae.cli.ClientApiBench --jar target/hyphae.jar "$@"
