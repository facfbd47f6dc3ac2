"""The evidence browser in a real JupyterLab, driven by headless Chromium.

JupyterLab starts headless on a free port of 127.0.0.1 with a token, on a copy of
``notebooks/07_explore.ipynb`` (so autosave never touches the committed notebook) and with its
own settings and workspace folders. Chromium (Selenium, the system chromedriver: nothing is
downloaded) opens the notebook, runs every cell, widens the browser to all statements, changes
the outlet filter and checks that the table changes, presses Accept on a row not yet coded and
checks that the coding sheet on disk has that decision. A screenshot is saved in the test's tmp
folder and, if ``DIPLOMACY_LAB_SCREENSHOTS`` is set, there too. Every wait is bounded, and
JupyterLab (with its kernel) is always shut down. Without Chromium, chromedriver, Selenium or
the widgets extension the test skips and says which is missing. ``make test-lab`` runs it alone.
"""

from __future__ import annotations

import importlib.util
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from diplomacy_lab.paths import REPO_DIR
from diplomacy_lab.statements.coding import load_coding_sheet

NOTEBOOK = Path(__file__).resolve().parents[1] / "notebooks" / "07_explore.ipynb"
SHEET = REPO_DIR / "build" / "notebooks" / "07_explore" / "coding_sheet.csv"  # where the notebook writes it
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")
JUPYTER = shutil.which("jupyter", path=str(Path(sys.executable).parent))
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync", "--hide-scrollbars"]
START, RUN, STEP = 90, 240, 45  # seconds: JupyterLab up, the notebook run, one interaction


def _missing() -> str | None:
    if CHROMIUM is None:
        return "Chromium is not installed (run .ci/install-chromium, or apt-get install chromium)"
    if CHROMEDRIVER is None:
        return "chromedriver is not installed (run .ci/install-chromium, or apt-get install chromium-driver)"
    if importlib.util.find_spec("selenium") is None:
        return "selenium is not installed (pip install 'selenium>=4.20')"
    if JUPYTER is None or importlib.util.find_spec("jupyterlab") is None:
        return "JupyterLab is not installed in this environment (pip install -e '.[dev]')"
    if importlib.util.find_spec("jupyterlab_widgets") is None:
        return "the JupyterLab widgets extension is not installed (pip install ipywidgets)"
    return None


pytestmark = pytest.mark.skipif(_missing() is not None, reason=_missing() or "")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _settings(folder: Path) -> None:
    """Every cell in the page (no windowing), no news or update checks (offline)."""
    for name, values in (("@jupyterlab/notebook-extension/tracker", {"windowingMode": "none"}),
                         ("@jupyterlab/apputils-extension/notification", {"fetchNews": "false", "checkForUpdates": False})):
        path = folder / f"{name}.jupyterlab-settings"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values), encoding="utf-8")


@pytest.fixture
def lab(tmp_path):
    """JupyterLab on a copy of the notebook; yields (base url, token); always shut down."""
    root = tmp_path / "lab"
    root.mkdir()
    shutil.copyfile(NOTEBOOK, root / NOTEBOOK.name)
    _settings(tmp_path / "settings")
    port, token = _free_port(), secrets.token_hex(16)
    env = dict(os.environ, JUPYTER_CONFIG_DIR=str(tmp_path / "config"), JUPYTER_RUNTIME_DIR=str(tmp_path / "runtime"),
               IPYTHONDIR=str(tmp_path / "ipython"), PYTHONPATH=os.pathsep.join(
                   p for p in (str(REPO_DIR), os.environ.get("PYTHONPATH", "")) if p))
    command = [JUPYTER, "lab", "--no-browser", "--allow-root", "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}",
               "--ServerApp.port_retries=0", f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={root}",
               f"--LabApp.user_settings_dir={tmp_path / 'settings'}", f"--LabApp.workspaces_dir={tmp_path / 'workspaces'}",
               "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate", "--LabApp.expose_app_in_browser=True"]
    log = (tmp_path / "jupyterlab.log").open("w")
    server = subprocess.Popen(command, cwd=root, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + START
        while True:
            try:
                with urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=5) as answer:
                    if answer.status == 200:
                        break
            except OSError:
                pass
            if server.poll() is not None or time.monotonic() > deadline:
                log.flush()
                pytest.fail(f"JupyterLab did not start within {START} s:\n" + (tmp_path / "jupyterlab.log").read_text()[-3000:])
            time.sleep(0.5)
        yield base, token
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGTERM)  # the server and the kernel it started, nothing else
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
                server.wait(timeout=10)
        log.close()


@pytest.fixture
def chrome(tmp_path):
    os.environ.setdefault("SE_OFFLINE", "true")  # Selenium Manager never downloads a driver
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    options = Options()
    options.binary_location = CHROMIUM
    for flag in [*FLAGS, f"--user-data-dir={tmp_path / 'profile'}", "--window-size=1400,1800"]:
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(START)
    driver.set_script_timeout(STEP)
    try:
        yield driver
    finally:
        driver.quit()


def _count(driver) -> str:
    return driver.find_element("css selector", ".dl-browser .dl-count").text


def test_the_evidence_browser_in_jupyterlab(lab, chrome, tmp_path):
    from selenium.webdriver.support.ui import Select, WebDriverWait

    base, token = lab
    chrome.get(f"{base}/lab/tree/{NOTEBOOK.name}?token={token}")
    WebDriverWait(chrome, START).until(lambda d: d.execute_script(
        "const app = window.jupyterapp; return !!(app && app.shell.currentWidget && "
        "app.shell.currentWidget.sessionContext && app.shell.currentWidget.sessionContext.session && "
        "app.shell.currentWidget.sessionContext.session.kernel);"))
    SHEET.unlink(missing_ok=True)
    chrome.execute_script("window.jupyterapp.commands.execute('notebook:run-all-cells');")
    # The last cell shows the stance matrix as a picture: the whole notebook ran.
    WebDriverWait(chrome, RUN).until(lambda d: d.execute_script(
        "const cells = document.querySelectorAll('.jp-Notebook .jp-CodeCell');"
        "const last = cells[cells.length - 1]; return !!(last && last.querySelector('.jp-OutputArea-output img'));"))
    errors = chrome.find_elements("css selector", ".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']")
    assert not [e.text for e in errors if "Traceback" in e.text or "Error" in e.text]
    WebDriverWait(chrome, STEP).until(lambda d: d.find_elements("css selector", ".dl-browser .dl-count"))

    # All statements, then one outlet: the table changes.
    browser = chrome.find_element("css selector", ".dl-browser")
    browser.find_element("xpath", ".//button[normalize-space()='Show all']").click()
    WebDriverWait(chrome, STEP).until(lambda d: _count(d).startswith("70 of 70"))
    outlet = Select(browser.find_element("css selector", ".dl-filter-outlet select"))
    outlet.select_by_visible_text("Opinion blog (At a Glance)")
    WebDriverWait(chrome, STEP).until(lambda d: not _count(d).startswith("70 of 70"))
    shown = int(_count(chrome).split()[0])
    assert 0 < shown < 70 and "outlet = Opinion blog (At a Glance)" in _count(chrome)
    rows = [r for r in browser.find_elements("css selector", ".dl-row") if r.is_displayed()]
    assert len(rows) == min(shown, 8)
    assert all("Opinion blog (At a Glance)" in r.text for r in rows)

    # Accept a row not yet coded: the coding sheet on disk has the decision.
    row = next(r for r in rows if not r.find_elements("css selector", ".dl-status"))
    statement_id = row.find_element("css selector", ".dl-statement").get_attribute("data-statement-id")
    chrome.execute_script("arguments[0].scrollIntoView({block: 'center'});", row)
    row.find_element("css selector", ".dl-accept button, button.dl-accept").click()
    WebDriverWait(chrome, STEP).until(lambda d: row.find_elements("css selector", ".dl-status"))
    assert row.find_element("css selector", ".dl-status").text == "accepted"

    def decided(_):
        if not SHEET.exists():
            return False
        sheet = load_coding_sheet(SHEET).set_index("statement_id")
        return statement_id in sheet.index and sheet.at[statement_id, "stance_gold"] != ""

    WebDriverWait(chrome, STEP).until(decided)
    sheet = load_coding_sheet(SHEET).set_index("statement_id")
    assert sheet.at[statement_id, "stance_gold"] == sheet.at[statement_id, "stance_predicted"]

    chrome.execute_script("arguments[0].scrollIntoView({block: 'start'});", browser)
    _screenshot(chrome, tmp_path / "jupyterlab-explore.png")

    # A cell of the stance matrix filters the browser to its statements.
    browser.find_element("xpath", ".//*[contains(@class, 'lm-AccordionPanel-title') or contains(@class, "
                                  "'p-Accordion-title') or contains(@class, 'jupyter-widget-Collapse-header')]"
                                  "[contains(., 'Stance matrix')]").click()
    cell = WebDriverWait(chrome, STEP).until(lambda d: next((b for b in d.find_elements(
        "css selector", ".dl-matrix-cell") if b.is_displayed() and (b.get_attribute("title") or "").startswith(
        "Giorgia Meloni on Sending troops to Ukraine")), None))
    chrome.execute_script("arguments[0].scrollIntoView({block: 'center'});", cell)
    cell.click()
    WebDriverWait(chrome, STEP).until(lambda d: "actor = meloni, target = troops_to_ukraine" in _count(d))
    assert _count(chrome).startswith("8 of 70")
    chrome.execute_script("arguments[0].scrollIntoView({block: 'start'});", browser)
    _screenshot(chrome, tmp_path / "jupyterlab-explore-matrix.png")


def _screenshot(driver, png: Path) -> None:
    driver.save_screenshot(str(png))
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    target = os.environ.get("DIPLOMACY_LAB_SCREENSHOTS")
    if target:
        Path(target).mkdir(parents=True, exist_ok=True)
        shutil.copyfile(png, Path(target) / png.name)
