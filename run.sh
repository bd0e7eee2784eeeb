#!/usr/bin/env bash
# One entry point for people and CI. On a fresh machine (Python 3.11 and pip) it creates .venv
# inside the clone and installs the project the first time, then:
#   bash run.sh pipeline   run the main job on the bundled sample data (or POLICING_LANDING_DIR)
#   bash run.sh test       run the test suite
#   bash run.sh ui         open the Dagster UI (http://localhost:3000) on the same warehouse and run history
#   bash run.sh publish 2022-Q1  the main job, published for the board: freezes that quarter
#   bash run.sh sql "..."  query the published warehouse read-only
#   bash run.sh bench [--forces N --years M]  the main job against a bare DuckDB load, with figures
set -euo pipefail
cd "$(dirname "$0")"
VENV="${POLICING_VENV:-.venv}"
export DAGSTER_HOME="${DAGSTER_HOME:-$PWD/warehouse/dagster-home}"

setup() {
    if [ ! -x "$VENV/bin/python" ]; then
        echo "creating $VENV"
        python3 -m venv "$VENV"
    fi
    local stamp
    stamp="$VENV/.installed-$(cat pyproject.toml | sha256sum | cut -c1-16)"
    if [ ! -f "$stamp" ]; then
        echo "installing the project into $VENV (first run only; a few minutes)"
        "$VENV/bin/python" -m pip install --quiet --upgrade pip
        "$VENV/bin/python" -m pip install --quiet -e ".[dev]"
        rm -f "$VENV"/.installed-*
        touch "$stamp"
    fi
    mkdir -p "$DAGSTER_HOME"
    cp pipelines/dagster.yaml "$DAGSTER_HOME/dagster.yaml"
}

sample() {
    # the bundled sample landing folder, unless another folder is given; rewritten only when the generator changed
    [ -n "${POLICING_LANDING_DIR:-}" ] || "$VENV/bin/python" -m sample_data.generate --ensure
}

command="${1:-}"
[ $# -gt 0 ] && shift
case "$command" in
    pipeline) setup; sample; exec "$VENV/bin/python" -m pipelines.main "$@" ;;
    publish)
        # publish for the board: bash run.sh publish 2022-Q1 (freezes the quarter if its windows are complete)
        [ $# -ge 1 ] || { echo "usage: bash run.sh publish <YYYY>-Q<n>" >&2; exit 2; }
        quarter="$1"; shift
        setup; sample; exec "$VENV/bin/python" -m pipelines.main --publish-quarter "$quarter" "$@" ;;
    test)
        setup
        # the browser test drives the Dagster UI in Debian's Chromium (not a browser download); the print test
        # renders the workbook to PDF with Debian's LibreOffice (calc, without the GUI)
        if ! command -v chromium >/dev/null 2>&1 || ! command -v soffice >/dev/null 2>&1; then
            if [ "$(id -u)" = 0 ]; then
                echo "installing Debian's chromium and libreoffice-calc-nogui for the browser and print tests"
                apt-get update -qq
                command -v chromium >/dev/null 2>&1 || \
                    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
                command -v soffice >/dev/null 2>&1 || \
                    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
                        libreoffice-calc-nogui >/dev/null
            else
                echo "the browser and print tests need: sudo apt-get install chromium libreoffice-calc-nogui" >&2
            fi
        fi
        # two workers, a test module each at a time (its module fixtures stay in one process): the suite is mostly
        # single-threaded Python (Dagster), so the second core halves the wall time
        exec "$VENV/bin/python" -m pytest -n 2 --dist loadfile "$@" ;;
    ui) setup; exec "$VENV/bin/dagster" dev -w workspace.yaml "$@" ;;
    sql) setup; exec "$VENV/bin/python" -m pipelines.analyst "$@" ;;
    bench) setup; exec "$VENV/bin/python" -m pipelines.bench "$@" ;;
    *) echo "usage: bash run.sh pipeline|publish|test|ui|sql|bench [args]" >&2; exit 2 ;;
esac
