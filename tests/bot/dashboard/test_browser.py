"""The dashboard in a real browser: headless Chromium driven by Selenium.

Signs in through a chat link, reads the overview, awards points through the
member page's form and sees the ledger change; a tampered CSRF token and a
browser without a session are refused. Set GUILDHALL_SCREENSHOTS_DIR=docs to
refresh the README's screenshots.
"""

from __future__ import annotations

import asyncio
import os
import re
import shutil
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import WebDriverWait

from bot.app import App
from domain.core.clock import FixedClock
from tests.conftest import invoke
from tests.support.dashboard import serve_dashboard, sign_in_link

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
DRIVER = shutil.which("chromedriver")


@pytest.fixture
def engine_name() -> str:
    return "sqlite"  # the browser path is engine-independent; storage runs on both elsewhere


@pytest.fixture
def driver(tmp_path: Path) -> Iterator[webdriver.Chrome]:
    assert CHROMIUM and DRIVER, "install Debian's chromium and chromium-driver (.ci/run does)"
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"):
        options.add_argument(flag)
    options.add_argument("--window-size=1280,1600")
    options.add_argument(f"--user-data-dir={tmp_path / 'profile'}")
    browser = webdriver.Chrome(service=Service(DRIVER), options=options)
    browser.set_page_load_timeout(30)
    try:
        yield browser
    finally:
        browser.quit()


async def _points(app: App, who: str) -> int:
    text = (await invoke(app, who, "points balance")).text
    found = re.search(r"\*\*(\d+)\*\* points?", text)
    assert found, text
    return int(found.group(1))


def _go(browser: webdriver.Chrome, target: WebElement) -> None:
    """Click a link or a form's button and wait until the next page replaced this one.

    Without the wait, the next `find_element` can still find the old page's
    element, which goes stale under it when the new page arrives.
    """
    page = browser.find_element(By.TAG_NAME, "html")
    target.click()
    WebDriverWait(browser, 30).until(expected_conditions.staleness_of(page))


def _shot(browser: webdriver.Chrome, tmp_path: Path, name: str) -> None:
    folder = Path(os.environ.get("GUILDHALL_SCREENSHOTS_DIR") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    browser.save_screenshot(str(folder / name))


async def test_a_moderator_signs_in_and_awards_points_in_the_browser(
    app: App, clock: FixedClock, driver: webdriver.Chrome, tmp_path: Path
) -> None:
    # Three weeks of a growing community, so the charts have something to draw.
    now = clock.now()
    names = ["ana", "bob", "cleo", "dev", "eli", "fay", "gus", "hal", "ida", "jo"]
    for days_ago in range(20, -1, -1):
        clock.set(now - timedelta(days=days_ago))
        joined = names[: 3 + (20 - days_ago) // 3]
        for i, who in enumerate(joined):
            if (i + days_ago) % 3 != 1:
                await invoke(app, who, "checkin")
    clock.set(now)
    await invoke(app, "bob", "points give", "@ana 3 for the notes")
    roll_up = next(j for j in app.registry.jobs if j.name == "analytics.roll_up")
    await roll_up.handler(app.clock.now())
    async with serve_dashboard(app) as base:
        link = await sign_in_link(app)

        def sign_in_and_read() -> str:
            driver.get(link)
            _shot(driver, tmp_path, "dashboard-overview.png")
            return driver.find_element(By.TAG_NAME, "h1").text

        assert await asyncio.to_thread(sign_in_and_read) == "Guildhall Community"

        def award() -> tuple[str, str]:
            _go(driver, driver.find_element(By.LINK_TEXT, "Members"))
            _go(driver, driver.find_element(By.LINK_TEXT, "ana"))
            form = driver.find_element(By.CSS_SELECTOR, 'form[data-command="admin award"]')
            form.find_element(By.NAME, "amount").send_keys("25")
            form.find_element(By.NAME, "reason").send_keys("ran the meetup")
            _go(driver, form.find_element(By.TAG_NAME, "button"))
            result = driver.find_element(By.CSS_SELECTOR, "section.reply").text
            _go(driver, driver.find_element(By.ID, "back"))
            _shot(driver, tmp_path, "dashboard-member.png")
            return result, driver.find_element(By.TAG_NAME, "main").text

        before = await _points(app, "ana")
        result, member_page = await asyncio.to_thread(award)
        assert "25" in result and "ana" in result
        assert "ran the meetup" in member_page  # the ledger on the member page shows it
        assert await _points(app, "ana") == before + 25

        def forged_csrf() -> str:
            form = driver.find_element(By.CSS_SELECTOR, 'form[data-command="admin award"]')
            driver.execute_script(
                "arguments[0].querySelector('[name=csrf]').value = 'forged';", form
            )
            form.find_element(By.NAME, "amount").send_keys("1000")
            form.find_element(By.NAME, "reason").send_keys("forged")
            _go(driver, form.find_element(By.TAG_NAME, "button"))
            return driver.find_element(By.ID, "refused").text

        assert "form has expired" in await asyncio.to_thread(forged_csrf)
        assert await _points(app, "ana") == before + 25

        def without_session() -> str:
            driver.delete_all_cookies()
            driver.get(f"{base}/dashboard/c/1/members")
            return driver.find_element(By.ID, "refused").text

        assert "signed out" in await asyncio.to_thread(without_session)
