"""The brief in a real browser: headless Chromium loads every image and shows the key sections.

Two drivers: ``chromium --headless --dump-dom`` (needs only Chromium) and Selenium with
chromedriver (needs the ``selenium`` package and ``chromedriver``; never downloads a driver).
``.ci/install-chromium`` installs both on Debian. Without Chromium the tests skip, saying so.
A screenshot of the page is saved in the test's tmp folder and, if ``DIPLOMACY_LAB_SCREENSHOTS``
is set, in that folder too.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from diplomacy_lab import load_corpus
from diplomacy_lab.paths import data_dir, seed_corpus_dir
from diplomacy_lab.report.brief import write_brief

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")
HAVE_SELENIUM = importlib.util.find_spec("selenium") is not None
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SECTIONS = ("summary", "findings", "statements", "shifts", "coverage", "appendix", "articles", "notes")
# The seed brief before the appendix existed: 17,815 px tall at a 1280 px viewport (the whole page).
HEIGHT_BEFORE = 17_815
# Appended to a copy of the page for the dump-dom driver: writes each image's natural width into the DOM.
PROBE = """<script>window.addEventListener("load", () => { const p = document.createElement("pre"); p.id = "probe";
p.textContent = Array.from(document.images).map(i => i.getAttribute("src") + "\\t" + i.naturalWidth).join("\\n");
document.body.appendChild(p); });</script>"""

pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="Chromium is not installed (run .ci/install-chromium, or apt-get install chromium)")


class DumpDom:
    """``chromium --headless --dump-dom`` on a copy of the page with a probe script."""

    name = "dump-dom"

    def __init__(self, profile: Path):
        self.profile = profile

    def _run(self, *args: str) -> str:
        cmd = [CHROMIUM, *FLAGS, f"--user-data-dir={self.profile}", *args]
        return subprocess.run(cmd, capture_output=True, text=True, timeout=120, check=True).stdout

    def load(self, page: Path) -> tuple[str, list[tuple[str, int]]]:
        probe = page.with_name(f"probe-{page.name}")
        probe.write_text(page.read_text(encoding="utf-8").replace("</body>", PROBE + "</body>"), encoding="utf-8")
        dom = self._run("--virtual-time-budget=10000", "--dump-dom", probe.as_uri())
        probe.unlink()
        found = re.search(r'<pre id="probe">(.*?)</pre>', dom, re.DOTALL)
        assert found, "the probe script did not run: the page did not finish loading"
        rows = [line.rsplit("\t", 1) for line in found.group(1).splitlines() if line]
        return dom, [(src, int(width)) for src, width in rows]

    def screenshot(self, page: Path, png: Path) -> None:
        self._run("--window-size=1200,3000", "--hide-scrollbars", f"--screenshot={png}", page.as_uri())

    def close(self) -> None:
        pass


class Selenium:
    """Selenium WebDriver with the system chromedriver (Selenium Manager is never asked to download one)."""

    name = "selenium"

    def __init__(self, profile: Path):
        os.environ.setdefault("SE_OFFLINE", "true")
        from selenium import webdriver
        from selenium.webdriver.chrome.options import Options
        from selenium.webdriver.chrome.service import Service

        options = Options()
        options.binary_location = CHROMIUM
        for flag in [*FLAGS, f"--user-data-dir={profile}", "--window-size=1200,900", "--hide-scrollbars"]:
            options.add_argument(flag)
        self.driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)

    def load(self, page: Path) -> tuple[str, list[tuple[str, int]]]:
        self.driver.get(page.as_uri())
        images = self.driver.execute_script(
            "return Array.from(document.images).map(i => [i.getAttribute('src'), i.complete ? i.naturalWidth : 0])")
        return self.driver.page_source, [(src, int(width)) for src, width in images]

    def screenshot(self, page: Path, png: Path) -> None:
        self.driver.get(page.as_uri())
        height = self.driver.execute_script("return document.documentElement.scrollHeight")
        self.driver.set_window_size(1200, min(int(height), 16000))
        self.driver.save_screenshot(str(png))

    def close(self) -> None:
        self.driver.quit()


@pytest.fixture(scope="module")
def brief(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("brief")
    write_brief(load_corpus(seed_corpus_dir()), out, corpus_name="seed corpus",
                codebook=data_dir() / "codebooks" / "ukraine_2025.yaml", naming="russia_ukraine", frames="russia_ukraine")
    return out / "index.html"


@pytest.fixture(params=["dump-dom", "selenium"])
def browser(request, tmp_path):
    if request.param == "selenium":
        if not HAVE_SELENIUM:
            pytest.skip("selenium is not installed (pip install 'selenium>=4.20')")
        if CHROMEDRIVER is None:
            pytest.skip("chromedriver is not installed (run .ci/install-chromium, or apt-get install chromium-driver)")
        driver = Selenium(tmp_path / "profile")
    else:
        driver = DumpDom(tmp_path / "profile")
    yield driver
    driver.close()


def test_every_image_loads(browser, brief):
    dom, images = browser.load(brief)
    expected = re.findall(r'<img src="([^"]+)"', brief.read_text(encoding="utf-8"))
    assert len(expected) >= 5
    assert [src for src, _ in images] == expected
    assert [src for src, width in images if width <= 0] == []  # naturalWidth > 0: decoded, not broken
    assert all(width >= 1200 for _, width in images)  # the 200-dpi PNGs, not placeholders


def test_key_sections_are_present(browser, brief):
    dom, _ = browser.load(brief)
    for section in SECTIONS:
        assert f'id="{section}"' in dom, section
    text = re.sub(r"\s+", " ", dom)
    assert "Key findings" in text and "Stances over time" in text
    assert "A new stance, not a shift" in text


def test_a_broken_image_is_caught(browser, tmp_path):
    page = tmp_path / "broken.html"
    page.write_text('<!DOCTYPE html><html><body><img src="figures/missing.png" alt="x"></body></html>', encoding="utf-8")
    _, images = browser.load(page)
    assert images == [("figures/missing.png", 0)]


def test_the_brief_above_its_appendix_is_under_half_its_former_height(brief, tmp_path):
    """Measured as a reader sees it: a 1280 px wide viewport, from the top of the page to the appendix."""
    if not HAVE_SELENIUM or CHROMEDRIVER is None:
        pytest.skip("selenium and chromedriver are needed to measure the page (run .ci/install-chromium)")
    driver = Selenium(tmp_path / "profile")
    try:
        driver.driver.get(brief.as_uri())
        width = 1280
        for _ in range(3):  # the window's frame differs between Chromium versions: aim the viewport at 1280 px
            driver.driver.set_window_size(width, 900)
            width += 1280 - driver.driver.execute_script("return window.innerWidth")
        assert driver.driver.execute_script("return window.innerWidth") == 1280
        top = driver.driver.execute_script(
            "return document.getElementById('appendix').getBoundingClientRect().top + window.scrollY")
        first = driver.driver.execute_script("return document.querySelector('section').id")
        driver.driver.set_window_size(width, int(top))
        png = tmp_path / "brief-above-appendix.png"
        driver.driver.save_screenshot(str(png))
    finally:
        driver.close()
    assert first == "summary"
    assert top < HEIGHT_BEFORE / 2, top
    target = os.environ.get("DIPLOMACY_LAB_SCREENSHOTS")
    if target:
        Path(target).mkdir(parents=True, exist_ok=True)
        shutil.copyfile(png, Path(target) / png.name)


def test_screenshot_of_the_brief(browser, brief, tmp_path):
    png = tmp_path / f"brief-{browser.name}.png"
    browser.screenshot(brief, png)
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 20_000
    width = int.from_bytes(data[16:20], "big")
    assert width >= 1200
    target = os.environ.get("DIPLOMACY_LAB_SCREENSHOTS")
    if target:
        Path(target).mkdir(parents=True, exist_ok=True)
        shutil.copyfile(png, Path(target) / png.name)
