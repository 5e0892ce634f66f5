# Sourced by run.sh and test.sh: makes .venv from the lock file on a fresh machine.
# Needs only Python 3.11+; uv comes from PyPI into .tools/ (never onto the system).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
python="${PYTHON:-python3}"
if [ ! -x "$root/.tools/bin/uv" ]; then
  "$python" -m venv "$root/.tools"
  "$root/.tools/bin/python" -m pip install --quiet --disable-pip-version-check "uv>=0.5"
fi
export UV_PROJECT_ENVIRONMENT="$root/.venv"
# Bytecode is compiled once here: where PYTHONDONTWRITEBYTECODE is set, every command
# would otherwise recompile pandas and ibis from source (about 2 s per process).
"$root/.tools/bin/uv" sync --quiet --frozen --compile-bytecode --python "$python" --project "$root" ${FUNDTRAIL_SYNC_ARGS:-}
