#!/usr/bin/env bash
# Copies the pinned front-end libraries from node_modules into site/vendor/, with their
# version and licence, so that the site needs no build step and no internet.
# Versions are pinned (exactly) in package.json / package-lock.json; to upgrade one:
#   npm install --save-dev --save-exact cytoscape@X.Y.Z && site/vendor/update.sh
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
vendor="$root/site/vendor"
nm="$root/node_modules"
[ -d "$nm/cytoscape" ] && [ -d "$nm/chart.js" ] || { echo "run 'npm ci' first (node_modules is missing)" >&2; exit 1; }

version() { node -p "require('$nm/$1/package.json').version"; }
licence() { node -p "require('$nm/$1/package.json').license"; }

cp "$nm/cytoscape/dist/cytoscape.esm.min.mjs" "$vendor/cytoscape.esm.min.js"
cp "$nm/cytoscape/LICENSE" "$vendor/cytoscape.LICENSE.txt"
# Chart.js's UMD build bundles its one dependency, @kurkle/color; both licences go along.
cp "$nm/chart.js/dist/chart.umd.min.js" "$vendor/chart.umd.min.js"
cp "$nm/chart.js/LICENSE.md" "$vendor/chart.js.LICENSE.md"
cp "$nm/@kurkle/color/LICENSE.md" "$vendor/kurkle-color.LICENSE.md"

{
  echo "# Vendored front-end libraries (copied from node_modules by site/vendor/update.sh; do not edit)"
  echo "# file  package  version  licence"
  echo "cytoscape.esm.min.js  cytoscape  $(version cytoscape)  $(licence cytoscape)  cytoscape.LICENSE.txt"
  echo "chart.umd.min.js  chart.js  $(version chart.js)  $(licence chart.js)  chart.js.LICENSE.md"
  echo "chart.umd.min.js  @kurkle/color (bundled)  $(version @kurkle/color)  $(licence @kurkle/color)  kurkle-color.LICENSE.md"
} > "$vendor/VERSIONS.txt"
cat "$vendor/VERSIONS.txt"
