#!/usr/bin/env bash
# Set up everything the workstation needs on a Debian/Ubuntu machine: system packages (fonts,
# Xvfb, PDF tools) and a virtual environment with the project installed. Safe to run again:
# it only does what is missing. Used by `make demo` and `make test`.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3}
VENV=${VENV:-.venv}
APT_PACKAGES=(xvfb xauth xdotool libxcb-icccm4 libxcb-keysyms1 libxcb-cursor0 fonts-wqy-microhei poppler-utils qpdf libnss3-tools)

missing=()
if command -v dpkg-query >/dev/null 2>&1; then
  for pkg in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
fi
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ]; then SUDO=""; elif command -v sudo >/dev/null; then SUDO="sudo"; else SUDO="none"; fi
  if [ "$SUDO" = "none" ] || ! command -v apt-get >/dev/null; then
    echo "bootstrap: please install these system packages: ${missing[*]}" >&2
  else
    echo "bootstrap: installing system packages: ${missing[*]}"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
fi

if [ ! -x "$VENV/bin/python" ]; then
  echo "bootstrap: creating $VENV"
  "$PYTHON" -m venv "$VENV"
fi
stamp="$VENV/.installed-$(sha256sum pyproject.toml | cut -c1-16)"
if [ ! -f "$stamp" ]; then
  echo "bootstrap: installing Python packages (about a minute the first time)"
  log="$VENV/pip-install.log"
  if ! { "$VENV/bin/python" -m pip install -q --upgrade pip \
         && "$VENV/bin/python" -m pip install -q -e '.[test,postgres]'; } >"$log" 2>&1; then
    tail -n 40 "$log" >&2
    echo "bootstrap: pip install failed (full log: $log)" >&2
    exit 1
  fi
  "$VENV/bin/python" -c "import workstation, PySide6, sqlalchemy, folium" \
    || { echo "bootstrap: Python packages failed to install" >&2; exit 1; }
  rm -f "$VENV"/.installed-* && touch "$stamp"
fi
