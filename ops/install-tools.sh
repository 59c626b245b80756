#!/usr/bin/env bash
# Installs the system tools the tests need when a fresh machine lacks them:
# Java 17 + Maven (ops/neo4j), Node.js + npm (the GraphQL-over-HTTP audit and site vendor
# libraries), Debian's Chromium (browser tests drive /usr/bin/chromium; no browser downloads).
# Debian packages only; needs root (CI and the dev machines run as root).
set -euo pipefail
missing=()
command -v java >/dev/null || missing+=(openjdk-17-jdk-headless)
command -v mvn  >/dev/null || missing+=(maven)
command -v node >/dev/null || missing+=(nodejs)
command -v npm  >/dev/null || missing+=(npm)
[ -x /usr/bin/chromium ] || missing+=(chromium)
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing ${missing[*]} (apt-get)" >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi
