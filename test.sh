#!/usr/bin/env bash
# The tests: set up (first run only, with the test tools), then run pytest.
# Browser tests drive Debian's Chromium (/usr/bin/chromium, `apt-get install chromium`);
# they are skipped with a reason when it is absent.
set -euo pipefail
cd "$(dirname "$0")"
source scripts/bootstrap.sh
exec .venv/bin/python -m pytest "$@"
