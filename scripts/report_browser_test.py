#!/usr/bin/env python3
"""`noticepipe report` in a real headless browser (Debian's chromium and chromedriver,
driven by selenium): writes the page for the bundled corpus (its fifteen files, five
notices), opens it from file://, and checks that it fetched nothing, that its sections and
charts render, that it shows five notices and that a warning links to its file; saves a
screenshot when asked.

    python3 scripts/report_browser_test.py --binary target/debug/noticepipe [--screenshot docs/report.png]

Prints "N passed, N failed"; exit status 1 when a check fails.
"""

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import unquote, urlparse

from selenium.webdriver.common.by import By

from browser_test import browser  # the same headless chromium as the page's test

REPO = Path(__file__).resolve().parent.parent
SECTIONS = ["years", "issuers", "categories", "units", "recurring", "notices", "warnings", "method"]




def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--binary", default=str(REPO / "target/debug/noticepipe"))
    ap.add_argument("--screenshot", help="where to save a PNG of the page")
    args = ap.parse_args()

    failures = []
    checks = 0

    def check(ok, what):
        nonlocal checks
        checks += 1
        if not ok:
            failures.append(what)

    out = Path(tempfile.mkdtemp(prefix="noticepipe-report-")) / "report.html"
    # The folder of notices itself (its files read for what they are, a notice's three
    # formats one notice).
    inputs = [str(REPO / "corpus")]
    run = subprocess.run([args.binary, "report", *inputs, "--out", str(out)],
                         cwd=REPO, capture_output=True, text=True)
    check(run.returncode == 0, f"report exited {run.returncode}: {run.stderr}")
    driver = None
    try:
        driver = browser()
        driver.get(out.as_uri())
        check("妇女儿童" in driver.title, f"page title: {driver.title!r}")
        resources = driver.execute_script("return performance.getEntriesByType('resource').length")
        check(resources == 0, f"the page fetched {resources} resources")

        for section in SECTIONS:
            element = driver.find_element(By.ID, section)
            check(element.is_displayed() and element.size["height"] > 20,
                  f"section {section} not shown")
        count = driver.find_element(By.ID, "notice-count").text
        check(count == "5", f"notices shown: {count!r}")
        notices = driver.find_elements(By.CSS_SELECTOR, "table.notices tbody tr")
        check(len(notices) == 5, f"notice rows: {len(notices)}")

        charts = driver.find_elements(By.CSS_SELECTOR, "svg.chart")
        check(len(charts) >= 2, f"charts: {len(charts)}")
        check(all(c.size["width"] > 100 and c.size["height"] > 100 for c in charts),
              "a chart renders with no size")
        lines = driver.find_elements(By.CSS_SELECTOR, "#recurring svg.chart circle")
        check(len(lines) >= 2, f"points in the recurring projects' charts: {len(lines)}")
        groups = driver.find_elements(By.CSS_SELECTOR, "#recurring article.group")
        check(any("两癌" in g.find_element(By.TAG_NAME, "h3").text for g in groups),
              "the 两癌 screening among the recurring projects")
        # Chinese text is laid out (a CJK font found): a heading is wider than a few pixels.
        h1 = driver.find_element(By.TAG_NAME, "h1")
        check(h1.size["width"] > 200, f"heading width {h1.size['width']}")

        links = driver.find_elements(By.CSS_SELECTOR, "table.warnings a.file")
        check(len(links) >= 1, "no warning link")
        for link in links:
            href = link.get_attribute("href")  # resolved by the browser
            target = Path(unquote(urlparse(href).path))
            check(href.startswith("file://") and target.is_file(),
                  f"warning link {href} leads to no file")

        if args.screenshot:
            height = driver.execute_script("return document.body.scrollHeight")
            driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
                "width": 1280, "height": min(height + 40, 2600),
                "deviceScaleFactor": 1, "mobile": False})
            driver.execute_script("window.scrollTo(0, 0)")
            driver.save_screenshot(args.screenshot)
            print("saved", args.screenshot)
    except Exception as e:  # a missing element or a timeout is a failed check, said
        failures.append(f"{type(e).__name__}: {e}")
    finally:
        if driver:
            driver.quit()

    for f in failures:
        print("FAIL:", f)
    print(f"{max(0, checks - len(failures))} passed, {len(failures)} failed")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
