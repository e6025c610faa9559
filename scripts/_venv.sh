# Sourced by scripts/run, scripts/test and scripts/lock: create or reuse .venv and install the
# project into it with the versions uv.lock pins (hash-checked), re-installing only when
# pyproject.toml or uv.lock changed. Needs only Python: uv, the installer that reads the lock,
# comes from PyPI into the same venv, at the version pyproject.toml names ([tool.uv]).
#   ADVISOR_EXTRAS=dev             also the static checks (ruff, mypy, import-linter); default: test
#   ADVISOR_RESOLUTION=lowest-direct   every direct dependency at the lowest version
#                                  pyproject.toml allows, instead of the lock (CI's second run)
#   ADVISOR_VENV=DIR               another virtual environment than ./.venv
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
venv=${ADVISOR_VENV:-$root/.venv}
py=${PYTHON:-python3}
extras=${ADVISOR_EXTRAS:-test}
resolution=${ADVISOR_RESOLUTION:-locked}
if ! "$py" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
  echo "Framework Advisor needs Python 3.11 or newer (found: $("$py" --version 2>&1))." >&2
  exit 1
fi
if [ ! -x "$venv/bin/python" ]; then
  echo "Creating a virtual environment in $venv ..." >&2
  "$py" -m venv "$venv"
fi
stamp="$venv/.installed-$(cat "$root/pyproject.toml" "$root/uv.lock" | sha256sum | cut -c1-16)-$extras-$resolution"
if [ ! -f "$stamp" ]; then
  echo "Installing dependencies (first run only) ..." >&2
  uv_wanted=$("$venv/bin/python" -c 'import sys, tomllib; print(tomllib.load(open(sys.argv[1], "rb"))["tool"]["uv"]["required-version"])' "$root/pyproject.toml")
  "$venv/bin/python" -m pip install -q --disable-pip-version-check "uv$uv_wanted" >&2
  if [ "$resolution" = locked ]; then
    # --inexact: keep pip and uv themselves in the venv
    UV_PROJECT_ENVIRONMENT="$venv" "$venv/bin/uv" sync -q --frozen --inexact --extra "$extras" --project "$root" >&2
  else
    "$venv/bin/uv" pip install -q --python "$venv/bin/python" --resolution "$resolution" -e "$root[$extras]" >&2
  fi
  rm -f "$venv"/.installed-*
  touch "$stamp"
fi
