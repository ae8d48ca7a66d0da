#!/usr/bin/env bash
# Sets up everything the workbench needs on this machine, idempotently.
#   scripts/bootstrap.sh run   -> system packages for the app, .venv, translations
#   scripts/bootstrap.sh test  -> the same plus Chromium for the browser tests
#   scripts/bootstrap.sh serve -> the same as run plus the PostgreSQL driver
# A second run skips what is already done.
set -euo pipefail
cd "$(dirname "$0")/.."
want="${1:-run}"
stamps=.stamps
mkdir -p "$stamps"

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

# --- System packages -------------------------------------------------------------------------
apt_packages=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core gettext)
if [ "$want" = test ]; then
  apt_packages+=(chromium poppler-utils postgresql)
fi
missing=()
for pkg in "${apt_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ "${#missing[@]}" -gt 0 ]; then
  say "Installing system packages: ${missing[*]}"
  if [ "$(id -u)" -ne 0 ]; then sudo=sudo; else sudo=; fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# --- Python >= 3.12, found explicitly --------------------------------------------------------
find_python() {
  local candidates=()
  [ -n "${PYTHON:-}" ] && candidates+=("$PYTHON")
  candidates+=(python3.13 python3.12)
  for dir in "$HOME"/.pyenv/versions/3.13* "$HOME"/.pyenv/versions/3.12* /root/.pyenv/versions/3.13* \
             /root/.pyenv/versions/3.12* /usr/local/bin /usr/bin; do
    [ -x "$dir/bin/python3" ] && candidates+=("$dir/bin/python3")
    [ -x "$dir/python3.13" ] && candidates+=("$dir/python3.13")
    [ -x "$dir/python3.12" ] && candidates+=("$dir/python3.12")
  done
  candidates+=(python3)
  for py in "${candidates[@]}"; do
    if "$py" -c 'import sys, venv; sys.exit(0 if sys.version_info >= (3, 12) else 1)' >/dev/null 2>&1; then
      command -v "$py" 2>/dev/null || echo "$py"
      return 0
    fi
  done
  return 1
}

if [ ! -x .venv/bin/python ] || ! .venv/bin/python -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)'; then
  if ! py=$(find_python); then
    echo "ERROR: the workbench needs Python 3.12 or newer and none was found." >&2
    echo "       Install python3.12 (or 3.13), or set PYTHON=/path/to/python3.12, and run again." >&2
    exit 1
  fi
  say "Creating .venv with $py ($("$py" --version))"
  rm -rf .venv
  "$py" -m venv .venv
fi

deps_stamp="$stamps/pip-$want"
if [ ! -f "$deps_stamp" ] || [ pyproject.toml -nt "$deps_stamp" ]; then
  say "Installing Python dependencies"
  .venv/bin/python -m pip install -q --upgrade pip
  case "$want" in test) extra='.[dev]' ;; serve) extra='.[postgres]' ;; *) extra='.' ;; esac
  .venv/bin/python -m pip install -q -e "$extra"
  touch "$deps_stamp"
fi

# --- Translations ----------------------------------------------------------------------------
say "Compiling translations"
DJANGO_SETTINGS_MODULE=config.settings_test .venv/bin/python manage.py compilemessages --ignore=.venv -v 0
