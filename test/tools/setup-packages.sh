#!/usr/bin/env bash
# Installs the Debian packages needed to build and test sroi, if any are missing.
# Note: installing postgresql-15 may create and start a system cluster "15/main";
# the tests never use it, and this script leaves it alone.
set -euo pipefail

packages=(
    postgresql-common
    postgresql-15
    postgresql-server-dev-15
    postgresql-15-pgtap
    libtap-parser-sourcehandler-pgtap-perl
    make
    gcc
    python3
    libxml2-utils
    chromium
    fonts-dejavu-core
)

missing=()
for pkg in "${packages[@]}"; do
    status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
    [[ $status == "install ok installed" ]] || missing+=("$pkg")
done

if ((${#missing[@]} == 0)); then
    echo "setup-packages: all required packages are installed"
    exit 0
fi

echo "setup-packages: missing: ${missing[*]}"
if ((EUID != 0)); then
    echo "Run as root, or install them with:" >&2
    echo "  sudo apt-get install -y --no-install-recommends ${missing[*]}" >&2
    exit 1
fi

apt-get update
DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"
