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
    # the BI client test (test/bi/bi-clients.sh): pgJDBC and a JDK to compile against it,
    # psqlODBC with unixODBC and pyodbc, node (npm installs node-postgres there)
    libpostgresql-jdbc-java
    default-jdk-headless
    odbc-postgresql
    unixodbc
    python3-pyodbc
    nodejs
    # the report pages (test/tools/report-test.sh): Chromium renders them, xmllint checks them
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
# npm: Debian's package, unless the node installed already brings its own (NodeSource's
# nodejs does, and conflicts with Debian's npm)
command -v npm >/dev/null || missing+=(npm)

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
