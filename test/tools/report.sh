#!/usr/bin/env bash
# Usage: test/tools/report.sh [DIR]
# Loads the demo like demo.sh (test/tools/demo-load.sh), then writes the report pages of
# sroi.report_html (each municipality) and sroi.contract_report_html (two contracts: the
# first behind and the first on track) into DIR (default: REPORT_DIR, else ./report) as
# HTML, and, when Chromium is installed, as PDF (headless print-to-PDF, A4) and as a PNG
# screenshot; prints the paths, and fails when a file is not written (with CI=true also
# when Chromium is missing).  `make report` runs it in a throw-away cluster.
# The pages are as of DEMO_AS_OF (default 2026-10-15, the date the demo is calibrated on)
# for the quarter before it (the last one ended: 2026-Q3).
set -euo pipefail

root=$(cd "$(dirname "$(realpath "${BASH_SOURCE[0]}")")/../.." && pwd)
out=$(realpath -m "${1:-${REPORT_DIR:-$root/report}}")
cd "$root"
source test/tools/demo-load.sh
source test/tools/chromium.sh

as_of=${DEMO_AS_OF:-2026-10-15}
psql=(psql -X -q -v ON_ERROR_STOP=1 -A -t)
demo_load
mkdir -p "$out"

# made FILE KIND MAGIC: FILE was written and starts as a KIND file does, else the run fails.
made() {
    if [[ ! -s $1 ]] || [[ $(head -c ${#3} "$1") != "$3" ]]; then
        echo "report: $1: no $2 written (headless Chromium, test/tools/chromium.sh)" >&2
        exit 1
    fi
    echo "$1"
}

# page NAME SQL: one page as HTML (and PDF, PNG); prints the paths.  A page, PDF or
# screenshot that is not written stops the run (non-zero exit).
page() {
    local html=$out/$1.html
    "${psql[@]}" -c "$2" >"$html"
    made "$html" HTML '<!DOCTYPE html>'
    if chromium_bin >/dev/null; then
        chromium_pdf "$html" "$out/$1.pdf" || true
        made "$out/$1.pdf" PDF '%PDF-'
        chromium_png "$html" "$out/$1.png" || true
        made "$out/$1.png" PNG $'\x89PNG'
    fi
}

quarter=$("${psql[@]}" -c "SELECT (sroi.quarter('$as_of'::date) OPERATOR(sroi.-) 1)::text")
while IFS= read -r m; do
    name=$(tr 'A-Z ' 'a-z-' <<<"$m")
    page "$name-$quarter" "SELECT sroi.report_html('${m//\'/\'\'}', '$quarter', '$as_of')"
done < <("${psql[@]}" -c "SELECT DISTINCT municipality FROM sroi.contract ORDER BY 1")
while IFS= read -r id; do
    page "contract-$id" "SELECT sroi.contract_report_html('$id', '$as_of')"
done < <("${psql[@]}" -c "SELECT min(contract_id) FROM sroi.compliance('$as_of') WHERE status IN ('behind', 'on_track')
                          GROUP BY status ORDER BY status")
if ! chromium_bin >/dev/null; then
    echo "report: chromium is not installed: HTML only (make setup, as root, installs it)" >&2
    # in CI the PDFs and screenshots are part of what is checked (.ci/run)
    if [[ ${CI:-} == true ]]; then exit 1; fi
fi
