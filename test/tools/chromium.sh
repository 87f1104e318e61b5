# Headless Chromium for the report pages (source it): make report and report-test.sh.
# Debian's package `chromium` (test/tools/setup-packages.sh installs it).  As root it
# needs --no-sandbox; every run gets a throw-away HOME so that no profile is shared.

# chromium_bin: the path of the Chromium binary, or nothing (status 1) when missing.
chromium_bin() { command -v chromium || command -v chromium-browser; }

# chromium_run ARGS...: headless Chromium with the given arguments and a fresh HOME;
# its console messages (--enable-logging=stderr --v=0) go to stderr, as "...:CONSOLE..." lines.
chromium_run() {
    local home rc=0
    home=$(mktemp -d /tmp/sroi-chromium.XXXXXX)
    HOME=$home XDG_CONFIG_HOME=$home XDG_CACHE_HOME=$home \
        timeout 120 "$(chromium_bin)" --headless --no-sandbox --disable-gpu --disable-dev-shm-usage \
        --no-first-run --no-default-browser-check --hide-scrollbars --user-data-dir="$home/profile" \
        --enable-logging=stderr --v=0 "$@" || rc=$?
    rm -rf "$home"
    return "$rc"
}

# chromium_pdf HTML PDF: prints an HTML file to PDF (A4, as the page's @page says).
chromium_pdf() { chromium_run --no-pdf-header-footer --print-to-pdf="$2" "file://$(realpath "$1")" 2>/dev/null; }

# chromium_png HTML PNG: a screenshot of the page, 900 px wide.
chromium_png() { chromium_run --window-size=900,2600 --screenshot="$2" "file://$(realpath "$1")" 2>/dev/null; }
