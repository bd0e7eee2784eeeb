"""The Dagster UI as a data engineer uses it, in headless Chromium (Debian's chromium package):
the asset graph and its checks are shown, a materialization launched from the UI succeeds."""

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from dagster import DagsterInstance, DagsterRunStatus, RunsFilter

from pipelines.main import run_pipeline
from tests.conftest import REPO, Pipeline, crime, write_extract

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = REPO / "warehouse" / "test-artifacts"
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(url: str, seconds: float) -> None:
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(1)
    raise TimeoutError(f"{url} did not answer in {seconds:.0f} s")


@pytest.fixture(scope="module")
def dagster_ui(tmp_path_factory):
    assert Path(CHROMIUM).exists(), "Debian's chromium is needed: apt-get install chromium (run.sh test does it)"
    root = tmp_path_factory.mktemp("ui")
    home = root / "dagster-home"
    home.mkdir()
    shutil.copyfile(REPO / "pipelines" / "dagster.yaml", home / "dagster.yaml")
    pipeline = Pipeline(root)
    for month in ("2021-01", "2021-02", "2021-03"):
        write_extract(pipeline.landing, month, [crime(f"{month}/1", f"{month}-05", "1")])
    env = {**os.environ, "DAGSTER_HOME": str(home), "POLICING_LANDING_DIR": str(pipeline.landing),
           "POLICING_WAREHOUSE_PATH": str(pipeline.warehouse_path)}
    with DagsterInstance.from_config(str(home)) as instance:
        assert run_pipeline(pipeline.resources, instance, say=lambda _: None).problems == []
    port = free_port()
    bin_dir = Path(sys.executable).parent
    processes = [
        subprocess.Popen([str(bin_dir / "dagster-webserver"), "-w", "workspace.yaml", "-h", "127.0.0.1",
                          "-p", str(port)], cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL),
        subprocess.Popen([str(bin_dir / "dagster-daemon"), "run", "-w", "workspace.yaml"], cwd=REPO, env=env,
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL),
    ]
    try:
        wait_for(f"http://127.0.0.1:{port}/server_info", 180)
        yield f"http://127.0.0.1:{port}", home, env
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=60)


@pytest.fixture(scope="module")
def page(dagster_ui):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        page = browser.new_page(viewport={"width": 1600, "height": 1000})
        page.set_default_timeout(60_000)
        yield page
        browser.close()


def dismiss_welcome(page) -> None:
    """A first visit shows a 'Join the Dagster community' dialog over the page."""
    skip = page.get_by_role("button", name="Skip")
    try:
        skip.wait_for(timeout=5_000)
        skip.click()
    except Exception:  # noqa: BLE001 - no dialog this time
        pass


@pytest.mark.parametrize(("asset", "group"), [
    ("crime_extracts", "ingest"), ("validated_crime_extracts", "validation"), ("fact_recorded_crime", "warehouse"),
    ("national_measures", "marts"), ("pcp_scorecard", "marts"),
])
def test_each_layer_is_shown_with_its_assets(dagster_ui, page, asset, group):
    url, _, _ = dagster_ui
    page.goto(f"{url}/assets/{asset}")
    dismiss_welcome(page)
    page.get_by_text("Definition", exact=True).first.wait_for()
    page.get_by_text("Code location", exact=True).first.wait_for()
    body = page.inner_text("body")
    assert f"Group\n{group}" in body
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"dagster-ui-{asset}.png"))


def test_asset_graph_draws_the_lineage(dagster_ui, page):
    url, _, _ = dagster_ui
    page.goto(f"{url}/assets")
    dismiss_welcome(page)
    page.get_by_text("View lineage").first.click()
    # the whole graph opens collapsed into its layers
    for group in ("ingest", "validation", "warehouse", "marts"):
        page.get_by_text(group, exact=True).first.wait_for()
    page.screenshot(path=str(ARTIFACTS / "dagster-ui-lineage.png"), full_page=True)


def test_checks_are_shown_beside_their_asset(dagster_ui, page):
    url, _, _ = dagster_ui
    page.goto(f"{url}/assets/validated_crime_extracts?view=checks")
    dismiss_welcome(page)
    page.get_by_text("recorded_date_is_a_date").first.wait_for()
    page.get_by_text("offence_code_known").first.wait_for()
    page.screenshot(path=str(ARTIFACTS / "dagster-ui-checks.png"), full_page=True)


def test_materialization_launched_from_the_ui_succeeds(dagster_ui, page):
    url, home, _ = dagster_ui
    with DagsterInstance.from_config(str(home)) as instance:
        before = {r.run_id for r in instance.get_runs()}
    page.goto(f"{url}/assets/dim_date")
    dismiss_welcome(page)
    page.get_by_text("Materialize", exact=True).first.click()
    deadline = time.time() + 240
    status = None
    while time.time() < deadline:
        with DagsterInstance.from_config(str(home)) as instance:
            new = [r for r in instance.get_runs(RunsFilter()) if r.run_id not in before]
        if new and new[0].status in (DagsterRunStatus.SUCCESS, DagsterRunStatus.FAILURE):
            status = new[0].status
            break
        time.sleep(2)
    assert status == DagsterRunStatus.SUCCESS
    page.goto(f"{url}/runs")
    page.get_by_text("Success").first.wait_for()
    page.screenshot(path=str(ARTIFACTS / "dagster-ui-run.png"), full_page=True)


def test_backfill_of_a_month_range_from_the_cli(dagster_ui):
    _, home, env = dagster_ui
    dagster = Path(sys.executable).parent / "dagster"
    subprocess.run([str(dagster), "job", "backfill", "-w", "workspace.yaml", "-j", "monthly_sources",
                    "--from", "2021-01-01", "--to", "2021-03-01", "--noprompt"], cwd=REPO, env=env, check=True,
                   capture_output=True, timeout=300)
    deadline = time.time() + 420
    while time.time() < deadline:  # the daemon started by the fixture runs the backfill, one run a month
        with DagsterInstance.from_config(str(home)) as instance:
            runs = [r for r in instance.get_runs(RunsFilter(job_name="monthly_sources"))
                    if "dagster/backfill" in r.tags]
        done = {r.tags["dagster/partition"]: r.status for r in runs
                if r.status in (DagsterRunStatus.SUCCESS, DagsterRunStatus.FAILURE)}
        if len(done) == 3:
            break
        time.sleep(3)
    assert done == {month: DagsterRunStatus.SUCCESS for month in ("2021-01-01", "2021-02-01", "2021-03-01")}


def test_sensor_loads_a_new_month_and_the_marts_follow(dagster_ui):
    _, home, env = dagster_ui
    dagster = Path(sys.executable).parent / "dagster"
    for name in ("landing_files_sensor", "marts_after_monthly_load"):
        subprocess.run([str(dagster), "sensor", "start", name, "-w", "workspace.yaml"], cwd=REPO, env=env,
                       check=True, capture_output=True, timeout=300)
    landing = Path(env["POLICING_LANDING_DIR"])
    published = env["POLICING_WAREHOUSE_PATH"]

    def runs(job: str) -> list:
        with DagsterInstance.from_config(str(home)) as instance:
            return [r for r in instance.get_runs(RunsFilter(job_name=job)) if "dagster/sensor_name" in r.tags]

    def wait(condition, seconds: float):
        deadline = time.time() + seconds
        while time.time() < deadline:
            if condition():
                return True
            time.sleep(3)
        return False

    # the first tick sees the folder as it is; then a new month lands
    assert wait(lambda: runs("monthly_sources"), 240)
    assert wait(lambda: all(r.status == DagsterRunStatus.SUCCESS for r in runs("monthly_sources")) and
                all(r.status == DagsterRunStatus.SUCCESS for r in runs("marts_refresh")) and runs("marts_refresh"), 600)
    april = write_extract(landing, "2021-04", [crime("2021-04/1", "2021-04-05", "34B")])
    assert wait(lambda: any(r.tags.get("dagster/partition") == "2021-04-01" and r.status == DagsterRunStatus.SUCCESS
                            for r in runs("monthly_sources")), 300)

    def april_published() -> bool:
        import duckdb

        try:
            with duckdb.connect(published, read_only=True) as conn:
                return conn.execute("select count(*) from marts.measure_monthly where month = '2021-04-01' "
                                    "and measure_id = 'robbery' and value = 1").fetchone()[0] == 1
        except duckdb.Error:
            return False

    assert wait(april_published, 300)  # the marts were rebuilt and published after the month's run
    count = len(runs("monthly_sources"))
    april.write_bytes(april.read_bytes())  # the same file delivered again
    time.sleep(150)  # two sensor ticks
    assert len(runs("monthly_sources")) == count


def test_the_main_jobs_runs_show_under_their_jobs_and_can_be_re_executed(dagster_ui, page):
    url, home, _ = dagster_ui
    with DagsterInstance.from_config(str(home)) as instance:
        launched = [r for r in instance.get_runs() if r.tags.get("policing/launched_by") == "main_job"]
    # the fixture's main job: the sources, the three months in one run, the marts
    assert sorted({r.job_name for r in launched}) == ["marts_refresh", "monthly_sources", "sources_refresh"]
    (monthly,) = [r for r in launched if r.job_name == "monthly_sources"]
    assert (monthly.tags["dagster/asset_partition_range_start"],
            monthly.tags["dagster/asset_partition_range_end"]) == ("2021-01-01", "2021-03-01")
    page.goto(f"{url}/runs/{monthly.run_id}")
    dismiss_welcome(page)
    page.get_by_text("monthly_sources").first.wait_for()  # "Run of monthly_sources", not an ephemeral job
    # the UI marks it "(*)" (launched from outside the workspace) but lets it be re-executed
    button = page.get_by_role("button", name="Re-execute all")
    button.first.wait_for()
    assert button.first.is_enabled()
    page.screenshot(path=str(ARTIFACTS / "dagster-ui-main-job-run.png"), full_page=True)
