#!/bin/sh
# ctest driver: generate CoT events with the C++ adapter, then parse them with node-cot.
# Usage: run_check.sh GENERATOR OUT_DIR NODE_COT_DIR. Exit 77 (skipped) when node is not installed.
set -e
generator=$1 out=$2 dir=$3
if ! command -v node >/dev/null 2>&1; then
  echo "node not found: cannot run the node-cot check (install Node.js >= 20 and run scripts/setup)"
  exit 77
fi
if [ ! -d "$dir/node_modules/@tak-ps/node-cot" ]; then
  echo "$dir/node_modules is missing: run scripts/setup (it runs npm ci --prefix test/node-cot)"
  exit 1
fi
rm -rf "$out"
"$generator" "$out"
node "$dir/check_cot.mjs" "$out"
