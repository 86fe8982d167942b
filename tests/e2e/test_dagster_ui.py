"""Screenshot-level check of the Dagster UI: the webserver serves the project and the asset
graph page renders the expected asset names in headless Chromium (Debian's package)."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

PROJECT_ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
LOCATION = "orchestration.definitions"
# Pages of a group: its lineage graph (assets and their neighbours, raw -> staging) and its
# asset list (keys as `schema / name`).
EXPECTED = {
    "raw_slack/lineage": [
        "users",
        "channels",
        "messages",
        "message_reactions",
        "stg_slack__messages",
    ],
    "marts/list": ["marts / dim_members", "marts / member_identities", "marts / fct_activities"],
}


def _ensure_chromium() -> str:
    if Path(CHROMIUM).exists():
        return CHROMIUM
    if shutil.which("apt-get") is None or os.geteuid() != 0:
        pytest.skip("Debian's chromium is not installed and apt-get as root is not available here")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for cmd in (["apt-get", "update", "-qq"], ["apt-get", "install", "-y", "-qq", "chromium"]):
        done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=600)
        if done.returncode != 0:
            pytest.skip(
                f"could not install Debian's chromium ({' '.join(cmd)}): {done.stderr[-500:]}"
            )
    return CHROMIUM


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def webserver(tmp_path_factory: pytest.TempPathFactory):
    port = _free_port()
    home = tmp_path_factory.mktemp("dagster_home")
    env = {
        **os.environ,
        "DAGSTER_HOME": str(home),
        "COMMOPS_WAREHOUSE": str(home / "warehouse.duckdb"),
    }
    webserver_bin = Path(sys.executable).with_name("dagster-webserver")
    proc = subprocess.Popen(
        [str(webserver_bin), "-m", "orchestration.definitions", "-h", "127.0.0.1", "-p", str(port)],
        cwd=PROJECT_ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 180
    try:
        while True:
            if proc.poll() is not None:
                raise AssertionError(f"dagster-webserver exited: {proc.stdout.read()[-3000:]}")
            try:
                with urllib.request.urlopen(f"{url}/server_info", timeout=2) as resp:
                    if resp.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise AssertionError("dagster-webserver did not answer within 180 s")
            time.sleep(1)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()


def _wait_for_names(page, names: list[str], timeout_s: float) -> None:
    """Poll the rendered page text until every name shows (the graph renders asynchronously)."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if all(name in page.inner_text("body") for name in names):
            return
        page.wait_for_timeout(500)


def test_asset_graph_pages_show_the_pipeline_assets(webserver: str, tmp_path: Path) -> None:
    chromium = _ensure_chromium()
    from playwright.sync_api import sync_playwright

    bodies: dict[str, str] = {}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=chromium,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        try:
            page = browser.new_page(viewport={"width": 1600, "height": 2400})
            for group, names in EXPECTED.items():
                page.goto(
                    f"{webserver}/locations/{LOCATION}/asset-groups/{group}",
                    wait_until="domcontentloaded",
                )
                _wait_for_names(page, names, timeout_s=90)
                skip = page.get_by_role("button", name="Skip")  # first-visit newsletter pop-up
                if skip.count():
                    skip.first.click()
                page.screenshot(path=str(tmp_path / f"{group.replace('/', '-')}.png"))
                bodies[group] = page.inner_text("body")
        finally:
            browser.close()
    for group, names in EXPECTED.items():
        missing = [name for name in names if name not in bodies[group]]
        assert not missing, f"the {group} page lacks {missing}"
