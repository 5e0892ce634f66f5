#!/usr/bin/env bash
# The main job: set up (first run only), build the demo store, then serve the web site.
set -euo pipefail
cd "$(dirname "$0")"
FUNDTRAIL_SYNC_ARGS="--no-dev" source scripts/bootstrap.sh
.venv/bin/fundtrail demo --db demo.duckdb --out demo-out
exec .venv/bin/fundtrail serve --db demo.duckdb "$@"
