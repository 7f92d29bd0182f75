"""The playground in headless Chromium, driven as a candidate would (Selenium with Debian's
chromium and chromium-driver). Skipped, with the reason, where either is missing.

The server is the real command, `python -m designgrade serve DIR --port 0`, in its own process.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from .conftest import EXAMPLES, HOSTILE, HOSTILE_TITLE, ROOT, flows_last, needs_graphviz

WAIT_S = 20


def _chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    pytest.skip("headless Chromium is not installed (scripts/setup --test installs Debian's chromium)")


def _chromedriver() -> str:
    found = shutil.which("chromedriver")
    if not found:
        pytest.skip("chromedriver is not installed (scripts/setup --test installs Debian's chromium-driver)")
    return found


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    needs_graphviz()
    _chromium()
    _chromedriver()
    pytest.importorskip("selenium", reason="selenium is not installed (pip install -e '.[test]')")
    folder = tmp_path_factory.mktemp("served")
    (folder / "practice.yaml").write_text(flows_last((EXAMPLES / "fraud-detection.yaml").read_text("utf-8")),
                                          encoding="utf-8")
    (folder / "hostile.yaml").write_text(HOSTILE, encoding="utf-8")
    env = dict(os.environ, PYTHONPATH=str(ROOT), PYTHONUNBUFFERED="1")
    process = subprocess.Popen([sys.executable, "-m", "designgrade", "serve", str(folder), "--port", "0"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=ROOT)
    try:
        line = process.stdout.readline()
        assert line.startswith("designgrade serve: http://127.0.0.1:"), line + process.stderr.read()
        url = line.split()[2]
        yield url, folder
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


@pytest.fixture(scope="module")
def browser(served):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = _chromium()
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--window-size=1500,950", "--disable-background-networking", "--no-first-run",
                "--disable-extensions", "--disable-component-update"):
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    options.set_capability("unhandledPromptBehavior", "accept")  # "leave with unsaved changes?" between tests
    try:
        driver = webdriver.Chrome(service=Service(executable_path=_chromedriver()), options=options)
    except Exception as exc:  # noqa: BLE001 - a driver that does not match its browser
        pytest.skip(f"chromedriver could not start Chromium: {type(exc).__name__}: {str(exc).splitlines()[0]}")
    driver.set_page_load_timeout(WAIT_S)
    try:
        yield driver
    finally:
        driver.quit()


def wait(driver, condition, message: str):
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, WAIT_S, poll_frequency=0.05).until(lambda d: condition(d), message)


def status(driver) -> str:
    return driver.find_element("id", "status").text


def open_design(driver, url: str, name: str) -> None:
    driver.get("about:blank")  # a fresh page each time, not a jump within the last one
    driver.get(f"{url}#file={name}")
    wait(driver, lambda d: d.find_element("id", "path").get_attribute("value") == name, f"{name} did not open")
    wait(driver, lambda d: status(d).startswith("up to date") and d.find_elements("css selector", "#diagram svg"),
         "the first update did not arrive")


def tab(driver, name: str) -> None:
    driver.find_element("css selector", f'.tab[data-tab="{name}"]').click()


def severe_console_messages(driver) -> list[str]:
    """Errors in the console (a CSP violation would be one). A save answered 409 (the page
    then asks the candidate) is logged by Chromium as a failed load: expected, so left out."""
    return [entry["message"] for entry in driver.get_log("browser") if entry["level"] == "SEVERE"
            and not ("/api/save?" in entry["message"] and "status of 409" in entry["message"])]


def test_typing_a_flaw_shows_its_finding_badge_and_score(served, browser):
    url, folder = served
    open_design(browser, url, "practice.yaml")
    verdict_before = browser.find_element("id", "verdict").text
    assert "L6 meets" in verdict_before and "100%" in verdict_before
    assert browser.find_elements("css selector", "#findings li") == []
    text = browser.find_element("id", "text")
    lines_before = text.get_attribute("value").count("\n")

    from selenium.webdriver.common.keys import Keys

    text.click()
    text.send_keys(Keys.CONTROL, Keys.END)
    text.send_keys('  - "scoring -> featurs"')  # a typo a tired candidate makes
    typed_line = lines_before + 1

    def typo_finding(d):
        found = [li for li in d.find_elements("css selector", "#findings li.finding")
                 if "'featurs'" in li.get_attribute("textContent")]
        return found[0] if found else None

    finding = wait(browser, typo_finding, "no finding for the typed flow appeared")
    assert "DG004" in finding.get_attribute("textContent")
    # The badge in the diagram: the finding's anchor is the id of a badge in the SVG.
    anchor = finding.get_attribute("data-anchor")
    assert anchor and browser.find_elements("id", f"a_badge-{anchor}")
    # The editor marks the line; the score and the verdicts moved.
    mark = browser.find_element("css selector", f'#gutter div[data-line="{typed_line}"]')
    assert "mark" in mark.get_attribute("class") and "error" in mark.get_attribute("class")
    wait(browser, lambda d: "L6 below" in d.find_element("id", "verdict").text, "the verdict did not change")
    assert "100%" not in browser.find_element("id", "verdict").text
    tab(browser, "score")
    assert "blocked by unknown-reference" in browser.find_element("id", "score").text
    tab(browser, "questions")
    assert browser.find_elements("css selector", "#questions li.question")
    assert severe_console_messages(browser) == []


def test_clicking_a_finding_lands_on_its_line(served, browser):
    url, _ = served
    open_design(browser, url, "hostile.yaml")
    tab(browser, "findings")
    items = browser.find_elements("css selector", "#findings li.finding")
    assert len(items) >= 3
    target = items[-1]
    line = int(target.find_element("css selector", ".where").text.split()[1].split(":")[0])
    target.find_element("css selector", ".where").click()
    value = browser.find_element("id", "text").get_attribute("value")
    start = browser.execute_script("return document.getElementById('text').selectionStart")
    assert value[:start].count("\n") == line - 1
    assert browser.execute_script("return document.activeElement.id") == "text"
    current = browser.find_element("css selector", "#gutter div.current")
    assert current.get_attribute("data-line") == str(line)
    # A badge in the diagram leads to its finding and line too.
    tab(browser, "diagram")
    first = browser.find_elements("css selector", "#findings li.finding")[0]
    anchor = first.get_attribute("data-anchor")
    for selector in (f'[id="a_badge-{anchor}"] a text', f'[id="a_key-{anchor}"] a text'):  # badge, key row
        tab(browser, "diagram")
        shape = browser.find_element("css selector", selector)
        browser.execute_script("arguments[0].dispatchEvent(new MouseEvent('click', {bubbles: true, "
                               "cancelable: true}))", shape)
        assert browser.find_element("id", "pane-findings").is_displayed()
        card = browser.find_element("css selector", f'li[data-anchor="{anchor}"]')
        assert "selected" in card.get_attribute("class")
        assert browser.execute_script("return location.hash") == "#file=hostile.yaml"
    assert severe_console_messages(browser) == []


def test_a_hostile_title_stays_text(served, browser):
    url, _ = served
    open_design(browser, url, "hostile.yaml")
    assert browser.execute_script("return window.__pwned === undefined && document.querySelectorAll("
                                  "'img, script:not([src]), iframe').length") == 0
    scripts = browser.execute_script("return Array.from(document.scripts).map(s => s.src)")
    assert scripts == [url + "static/app.js"]
    svg_text = browser.find_element("css selector", "#diagram svg").get_attribute("textContent")
    assert "<script>alert(1)</script>" in svg_text  # drawn as text
    tab(browser, "findings")
    messages = browser.find_element("id", "findings").text
    assert "<script>x</script>" in messages
    handlers = browser.execute_script(
        "return Array.from(document.querySelectorAll('*')).flatMap(e => Array.from(e.attributes)"
        ".filter(a => a.name.startsWith('on')).map(a => e.tagName + ' ' + a.name))")
    assert handlers == []
    assert HOSTILE_TITLE.split(" ")[0] in browser.find_element("id", "text").get_attribute("value")
    assert severe_console_messages(browser) == []


def test_a_parse_error_keeps_the_last_good_diagram(served, browser):
    url, _ = served
    open_design(browser, url, "practice.yaml")
    svg_before = browser.find_element("css selector", "#diagram svg").get_attribute("outerHTML")
    from selenium.webdriver.common.keys import Keys

    text = browser.find_element("id", "text")
    text.click()
    text.send_keys(Keys.CONTROL, Keys.END)
    text.send_keys("  - [unclosed")
    wait(browser, lambda d: "line " in status(d) and "up to date" not in status(d), "no parse error shown")
    assert "last good" in browser.find_element("id", "diagram-note").text
    assert browser.find_element("css selector", "#diagram svg").get_attribute("outerHTML") == svg_before
    assert browser.find_elements("css selector", "#gutter div.parse")
    assert severe_console_messages(browser) == []


def test_saving_over_a_file_changed_on_disk_asks(served, browser):
    url, folder = served
    open_design(browser, url, "practice.yaml")
    path = folder / "practice.yaml"
    original = path.read_text(encoding="utf-8")
    try:
        path.write_text(original + "# changed elsewhere\n", encoding="utf-8")
        text = browser.find_element("id", "text")
        text.send_keys("# mine")
        browser.find_element("id", "save").click()
        wait(browser, lambda d: d.find_element("id", "ask-dialog").is_displayed(), "no question was asked")
        question = browser.find_element("id", "ask-text").text
        assert "overwrite" in question.lower() or "changed on disk" in question
        # First the page asks to overwrite the opened file at all, then about the change on disk.
        if "changed on disk" not in question:
            browser.find_element("css selector", '#ask-buttons [data-choice="overwrite"]').click()
            wait(browser, lambda d: "changed on disk" in d.find_element("id", "ask-text").text,
                 "the change on disk was not reported")
        browser.find_element("css selector", '#ask-buttons [data-choice="cancel"]').click()
        time.sleep(0.2)
        assert path.read_text(encoding="utf-8").endswith("# changed elsewhere\n")
        assert "not saved" in browser.find_element("id", "file-note").text
        assert severe_console_messages(browser) == []
    finally:
        path.write_text(original, encoding="utf-8")


def test_a_new_design_from_a_starter_is_saved_in_the_folder(served, browser):
    url, folder = served
    open_design(browser, url, "practice.yaml")
    browser.find_element("id", "new").click()
    wait(browser, lambda d: d.find_element("id", "starter-dialog").is_displayed(), "no starter dialog")
    from selenium.webdriver.support.ui import Select

    Select(browser.find_element("id", "starter-task")).select_by_value("llm_rag")
    browser.find_element("id", "starter-title").send_keys("Night-before RAG")
    browser.find_element("id", "starter-ok").click()
    wait(browser, lambda d: "task: llm_rag" in d.find_element("id", "text").get_attribute("value"), "no starter")
    wait(browser, lambda d: d.find_elements("css selector", "#findings li.finding"), "the starter has no to-dos")
    name = browser.find_element("id", "path")
    name.clear()
    name.send_keys("rag-practice.yaml")
    browser.find_element("id", "save").click()
    wait(browser, lambda d: "saved rag-practice.yaml" in d.find_element("id", "file-note").text, "not saved")
    assert "Night-before RAG" in (folder / "rag-practice.yaml").read_text(encoding="utf-8")
    # Saving again over the file it just wrote needs no question.
    browser.find_element("id", "text").send_keys("# more")
    browser.find_element("id", "save").click()
    wait(browser, lambda d: (folder / "rag-practice.yaml").read_text(encoding="utf-8").endswith("# more"),
         "the second save did not happen")
    assert not browser.find_element("id", "ask-dialog").is_displayed()
    assert severe_console_messages(browser) == []
