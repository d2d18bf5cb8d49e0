#!/usr/bin/env python3
"""The page at `/` in a real headless browser (Debian's chromium and chromedriver, driven
by selenium): upload a corpus notice through the page's file input, wait for its table,
check the rows against `fixtures/expected/`, the amounts and canonical unit names against
the record, the highlighted warning in Chinese with its code, the two downloads, an
error in Chinese, the report of the parsed files (/v1/report), and save a screenshot.

    python3 scripts/browser_test.py --binary target/debug/noticepipe [--screenshot docs/serve-page.png]

Prints "N passed, N failed"; exit status 1 when a check fails.
"""

import argparse
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

REPO = Path(__file__).resolve().parent.parent
NOTICE = "2024-zichuan.docx"  # its item 10 carries a units_mismatch warning
EXPECTED = REPO / "fixtures/expected/2024-zichuan.json"


def browser(download_dir=None):
    """Headless chromium in Chinese, 1280×900; downloads go to `download_dir` when given.
    (scripts/report_browser_test.py opens its page with this too.)"""
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1280,900",
                "--lang=zh-CN"):
        options.add_argument(arg)
    if download_dir is not None:
        options.add_experimental_option("prefs", {
            "download.default_directory": str(download_dir),
            "download.prompt_for_download": False,
        })
    return webdriver.Chrome(options=options, service=Service("/usr/bin/chromedriver"))


def wait_for_file(folder, suffix, seconds=30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        done = [p for p in Path(folder).iterdir() if p.name.endswith(suffix)]
        if done:
            return done[0]
        time.sleep(0.2)
    return None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--binary", default=str(REPO / "target/debug/noticepipe"))
    ap.add_argument("--screenshot", help="where to save a PNG of the page")
    args = ap.parse_args()

    server = subprocess.Popen([args.binary, "serve", "--listen", "127.0.0.1:0"],
                              stderr=subprocess.PIPE, text=True)
    failures = []
    checks = 0

    def check(ok, what):
        nonlocal checks
        checks += 1
        if not ok:
            failures.append(what)

    downloads = tempfile.mkdtemp(prefix="noticepipe-browser-")
    driver = None
    try:
        url = re.search(r"http://[0-9.:]+", server.stderr.readline()).group(0)
        driver = browser(downloads)
        driver.get(url + "/")
        check("实事通知解析" in driver.title, f"page title: {driver.title!r}")

        driver.find_element(By.ID, "file-input").send_keys(str(REPO / "corpus" / NOTICE))
        section = WebDriverWait(driver, 60).until(
            lambda d: d.find_element(By.CSS_SELECTOR, "section.doc:not([data-state=working])"))
        check(section.get_attribute("data-state") == "done",
              "parsed: " + section.text[:300])

        expected = json.loads(EXPECTED.read_text())
        rows = section.find_elements(By.CSS_SELECTOR, "table.items tbody tr")

        def written(row, column):
            return "、".join(u.text for u in row.find_elements(
                By.CSS_SELECTOR, f"td.{column} .unit .written"))

        shown = [(r.find_element(By.CSS_SELECTOR, "td.number").text,
                  r.find_element(By.CSS_SELECTOR, "td.title").text,
                  written(r, "responsible")) for r in rows]
        wanted = [(str(i["number"]), i["title"], "、".join(i["responsible_units"]))
                  for i in expected["items"]]
        check(shown == wanted, f"rows {shown} != {wanted}")
        head = section.find_element(By.CSS_SELECTOR, "dl.head").text
        check(expected["doc_number"]["text"] in head and expected["title"] in head,
              f"head fields: {head!r}")
        warned = [r.find_element(By.CSS_SELECTOR, "td.number").text
                  for r in rows if "warn" in r.get_attribute("class").split()]
        check(warned == ["10"], f"highlighted rows: {warned}")

        # The warning in Chinese, filled from the message's own values, its code beside.
        note = section.find_element(By.CSS_SELECTOR, "tr.warn td.note .coded")
        zh = note.find_element(By.CSS_SELECTOR, ".zh").text
        code = note.find_element(By.CSS_SELECTOR, "code").text
        check(zh == "第10项写的单位是区教育局，附件表第10行写的是区教体局" and code == "units_mismatch",
              f"the warning: {zh!r} {code!r}")
        check("where attachment row" in note.get_attribute("title"),
              "the message as written, on hover")

        section.find_element(By.CSS_SELECTOR, "button.json").click()
        record_file = wait_for_file(downloads, ".json")
        record = json.loads(record_file.read_text()) if record_file else {"items": []}
        check(len(record["items"]) == len(wanted), "the JSON download")

        # The amounts column shows each quantity as written, what it was read as on hover;
        # units carry their canonical full name where it differs.
        headings = [th.text for th in section.find_elements(By.CSS_SELECTOR, "table.items th")]
        check(headings == ["序号", "实事名称", "数量", "牵头单位", "责任单位", "提示"],
              f"columns: {headings}")
        amounts = [[(q.text, q.get_attribute("data-value"), q.get_attribute("data-unit"),
                     q.get_attribute("data-op"))
                    for q in r.find_elements(By.CSS_SELECTOR, "td.quantities .quantity")]
                   for r in rows]
        from_record = [[(q["text"], str(q["value"]), q["unit"], q["op"])
                        for q in i.get("quantities", [])] for i in record["items"]]
        check(amounts == from_record and any(amounts), f"amounts {amounts} != {from_record}")
        first = section.find_elements(By.CSS_SELECTOR, "td.quantities .quantity")
        check(bool(first) and first[0].get_attribute("title").startswith("读作"),
              "an amount's reading on hover")
        canonical = {u.find_element(By.CSS_SELECTOR, ".written").text: u.get_attribute("data-canonical")
                     for u in section.find_elements(By.CSS_SELECTOR, ".unit[data-canonical]")}
        wanted_canonical = {w: c for i in record["items"]
                            for w, c in (i.get("canonical_units") or {}).items() if w != c}
        check(canonical == wanted_canonical and canonical.get("区人社局") == "区人力资源和社会保障局",
              f"canonical names {canonical} != {wanted_canonical}")
        check("→ 区人力资源和社会保障局" in section.find_element(By.CSS_SELECTOR, "table.items").text,
              "a canonical name shown beside the written one")

        section.find_element(By.CSS_SELECTOR, "button.xlsx").click()
        xlsx = wait_for_file(downloads, "-items.xlsx")
        check(xlsx is not None and xlsx.read_bytes()[:4] == b"PK\x03\x04", "the XLSX download")

        # A bad file: its error, in Chinese, with its code.
        driver.find_element(By.ID, "file-input").send_keys(
            str(REPO / "fixtures/bad/user-password.pdf"))
        failed = WebDriverWait(driver, 60).until(
            lambda d: d.find_element(By.CSS_SELECTOR, "section.doc[data-state=failed]"))
        error = failed.find_element(By.CSS_SELECTOR, ".error .coded")
        check(error.find_element(By.CSS_SELECTOR, ".zh").text.startswith("文件已加密")
              and error.find_element(By.CSS_SELECTOR, "code").text == "encrypted",
              f"error: {failed.text!r}")

        # The report of the files parsed (the failed one is not sent).
        driver.find_element(By.ID, "report").click()
        report = wait_for_file(downloads, "noticepipe-report.html")
        state = driver.find_element(By.ID, "report-state").text
        check(report is not None and "报告已下载" in state, f"the report download: {state!r}")

        if args.screenshot:
            height = driver.execute_script("return document.body.scrollHeight")
            # The whole page: a headless window cannot grow past its screen.
            driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
                "width": 1280, "height": min(height + 40, 4000),
                "deviceScaleFactor": 1, "mobile": False})
            driver.execute_script("window.scrollTo(0, 0)")
            driver.save_screenshot(args.screenshot)
            print("saved", args.screenshot)

        if report is not None:
            driver.get(report.as_uri())
            sections = [e.get_attribute("id") for e in driver.find_elements(By.CSS_SELECTOR, "section[id]")]
            check(all(s in sections for s in
                      ("years", "issuers", "units", "recurring", "notices", "warnings")),
                  f"report sections: {sections}")
            count = driver.find_element(By.ID, "notice-count")
            check(count.get_attribute("data-notices") == "1", "one notice in the report")
            check("区人力资源和社会保障局" in driver.find_element(By.ID, "units").text,
                  "units by canonical name in the report")
            check(NOTICE in driver.find_element(By.ID, "warnings").text, "the warning's file")
    except Exception as e:  # a missing element or a timeout is a failed check, said
        failures.append(f"{type(e).__name__}: {e}")
    finally:
        if driver:
            driver.quit()
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=60)

    for f in failures:
        print("FAIL:", f)
    print(f"{max(0, checks - len(failures))} passed, {len(failures)} failed")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
