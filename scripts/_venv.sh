# Sourced by scripts/run and scripts/test: create or reuse .venv and install the
# project into it, re-installing only when pyproject.toml changed.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
venv=${ADVISOR_VENV:-$root/.venv}
py=${PYTHON:-python3}
if ! "$py" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
  echo "Framework Advisor needs Python 3.11 or newer (found: $("$py" --version 2>&1))." >&2
  exit 1
fi
if [ ! -x "$venv/bin/python" ]; then
  echo "Creating a virtual environment in $venv ..." >&2
  "$py" -m venv "$venv"
fi
stamp="$venv/.installed-$(sha256sum "$root/pyproject.toml" | cut -c1-16)-${ADVISOR_EXTRAS:-test}"
if [ ! -f "$stamp" ]; then
  echo "Installing dependencies (first run only) ..." >&2
  "$venv/bin/python" -m pip install -q --upgrade pip >&2
  "$venv/bin/python" -m pip install -q -e "$root[${ADVISOR_EXTRAS:-test}]" >&2
  rm -f "$venv"/.installed-*
  touch "$stamp"
fi
