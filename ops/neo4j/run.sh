#!/usr/bin/env bash
# Start Trellis' embedded Neo4j (Community 5.26, Bolt only).
#   ops/neo4j/run.sh --data DIR [--port N] --password PW
# Env fallbacks: NEO4J_DATA, NEO4J_PORT (default 7687), NEO4J_PASSWORD.
# Prints "Neo4j ready on bolt://127.0.0.1:PORT" on stdout when Bolt accepts connections.
# Extra JVM options can be passed in NEO4J_JAVA_OPTS (e.g. "-Xmx512m").
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$here"

if [[ ! -f target/trellis-neo4j.jar || ! -d target/lib ]]; then
  echo "building ops/neo4j (first run)..." >&2
  # Offline first (works once ~/.m2 is warm), else online. Build output goes to stderr.
  mvn -B -q -o -Dstyle.color=never package >/dev/null 2>&1 \
    || mvn -B -q -Dstyle.color=never package >&2
fi

# Mostly the flags Neo4j's own server launcher uses. Neo4j starts without any of them on
# Java 17, but without the three --add-opens the page cache falls back to a slower mode
# (java.nio) and transaction-log fadvise calls fail (java.io + sun.nio.ch), with WARNs in
# DIR/logs/debug.log. -Xms silences the "initial heap not configured" WARN. -Xlog:... keeps
# JVM warnings off stdout, which carries only the ready line.
jvm_flags=(
  -Xms256m -Xmx1g
  -Xlog:disable -Xlog:all=warning:stderr
  -XX:+UseG1GC
  -XX:-OmitStackTraceInFastThrow
  -XX:+UnlockExperimentalVMOptions
  -XX:+TrustFinalNonStaticFields
  -XX:+DisableExplicitGC
  -Djdk.nio.maxCachedBufferSize=1024
  -Dio.netty.tryReflectionSetAccessible=true
  -Dlog4j2.disable.jmx=true
  --add-opens=java.base/java.nio=ALL-UNNAMED
  --add-opens=java.base/java.io=ALL-UNNAMED
  --add-opens=java.base/sun.nio.ch=ALL-UNNAMED
)

# shellcheck disable=SC2086
exec java "${jvm_flags[@]}" ${NEO4J_JAVA_OPTS:-} \
  -cp "target/trellis-neo4j.jar:target/lib/*" trellis.neo4j.Launcher "$@"
