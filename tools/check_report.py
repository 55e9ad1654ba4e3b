"""Open the exported report in headless Chromium and check it as a reader's browser shows it.

Checks, in the HTML: every image loaded (``naturalWidth > 0``), no horizontal overflow (the page is no wider
than the window), no two blocks of text or images drawn over each other, no console error or uncaught
exception. In the PDF beside it (``report.pdf``, rendered to pictures by poppler's ``pdftoppm``): no page but
the last is less than ``MIN_PAGE_FILL`` full (a figure pushed to the next page leaves a half-empty one), and
nothing is drawn into the bottom margin (a figure taller than the page would be cut there), and every figure's
smallest text is at least ``MIN_PRINTED_PT`` on paper: the size ``save_figure`` wrote into the PNG, scaled as
the PDF prints that picture (its pixels per inch, from poppler's ``pdfimages``), and no figure has overlapping
labels (``figures.base.overlapping_labels``, counted into the PNG too).

Saves a screenshot of each screenful of the page to ``.cache/report-screenshots/`` (git-ignored). Uses
Debian's ``chromium`` through the DevTools protocol (``websocket-client``, already in the lock); nothing is
downloaded.

    python tools/check_report.py [reports/report.html ...] [--width 1200]

Exit code 0 when every check passes, 1 when one fails, 2 when Chromium is missing (with the command
that installs it).
"""

from __future__ import annotations

import argparse
import base64
import itertools
import json
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import websocket

ROOT = Path(__file__).resolve().parents[1]
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--hide-scrollbars", "--remote-debugging-port=0"]
CHECKS = """(() => {
  const images = [...document.images];
  return {
    images: images.length,
    broken: images.filter(i => !i.complete || i.naturalWidth === 0).map(i => i.alt || i.src.slice(0, 60)),
    pageWidth: document.documentElement.scrollWidth,
    windowWidth: window.innerWidth,
    height: document.documentElement.scrollHeight,
    wide: [...document.querySelectorAll('table, img, figure, pre')]
      .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
      .map(e => e.tagName + ' ' + (e.className || '')).slice(0, 10),
    overlaps: (() => {
      const blocks = [...document.querySelectorAll('h1, h2, h3, p, li, figcaption, img, th, td')]
        .filter(e => e.getBoundingClientRect().height > 0 && e.checkVisibility());  // not inside a closed <details>
      const found = [];
      for (let i = 0; i < blocks.length; i++) {
        const a = blocks[i].getBoundingClientRect();
        for (let j = i + 1; j < blocks.length && found.length < 10; j++) {
          if (blocks[i].contains(blocks[j]) || blocks[j].contains(blocks[i])) continue;
          const b = blocks[j].getBoundingClientRect();
          const x = Math.min(a.right, b.right) - Math.max(a.left, b.left);
          const y = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
          if (x > 2 && y > 2) found.push(blocks[i].tagName + ' "' + blocks[i].textContent.slice(0, 30) + '" / ' +
                                         blocks[j].tagName + ' "' + blocks[j].textContent.slice(0, 30) + '"');
        }
      }
      return found;
    })(),
  };
})()"""
#: A page of the PDF, but the last, must be at least this full (ink from the top margin to the last ink).
MIN_PAGE_FILL = 0.5
#: The share of a page's height at its foot that stays blank (weasyprint's bottom margin is about 7%).
BOTTOM_MARGIN = 0.03
#: The smallest text of a figure on paper, in points (``figures.base.MIN_PRINTED_PT``), and the PNG keys.
MIN_PRINTED_PT = 7.0
TEXT_PT_KEY, OVERLAPS_KEY = "topicmap-smallest-text-pt", "topicmap-overlapping-labels"


class DevTools:
    """A minimal DevTools-protocol client for one page: send commands, collect console errors."""

    def __init__(self, url: str) -> None:
        self.socket = websocket.create_connection(url, timeout=60)
        self.ids = itertools.count(1)
        self.errors: list[str] = []

    def call(self, method: str, **params) -> dict:
        message_id = next(self.ids)
        self.socket.send(json.dumps({"id": message_id, "method": method, "params": params}))
        while True:
            message = json.loads(self.socket.recv())
            if message.get("id") == message_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})
            self._note(message)

    def _note(self, message: dict) -> None:
        method, params = message.get("method"), message.get("params", {})
        if method == "Runtime.consoleAPICalled" and params.get("type") == "error":
            self.errors.append(" ".join(str(a.get("value", a.get("description", ""))) for a in params.get("args", [])))
        elif method == "Runtime.exceptionThrown":
            self.errors.append(params.get("exceptionDetails", {}).get("text", "exception"))
        elif method == "Log.entryAdded" and params.get("entry", {}).get("level") == "error":
            self.errors.append(params["entry"].get("text", ""))


def start_chromium(profile: Path, width: int) -> tuple[subprocess.Popen, str]:
    binary = shutil.which("chromium") or shutil.which("chromium-browser")
    if binary is None:
        print("check_report: Chromium is not installed; install it with `apt-get install chromium`", file=sys.stderr)
        sys.exit(2)
    process = subprocess.Popen([binary, *FLAGS, f"--user-data-dir={profile}", f"--window-size={width},900",
                                "about:blank"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    port_file = profile / "DevToolsActivePort"
    for _ in range(200):
        if port_file.is_file() and port_file.read_text().strip():
            break
        time.sleep(0.1)
    port = port_file.read_text().split()[0]
    pages = json.loads(urllib.request.urlopen(f"http://127.0.0.1:{port}/json").read())
    return process, next(p["webSocketDebuggerUrl"] for p in pages if p.get("type") == "page")


def check(report: Path, width: int, screenshots: Path) -> list[str]:
    """The failed checks (empty when the report passes); screenshots are written along the way."""
    with tempfile.TemporaryDirectory(ignore_cleanup_errors=True) as profile:  # Chromium may still write
        process, url = start_chromium(Path(profile), width)
        try:
            page = DevTools(url)
            for domain in ("Runtime", "Log", "Page"):
                page.call(f"{domain}.enable")
            page.call("Emulation.setDeviceMetricsOverride", width=width, height=900, deviceScaleFactor=1, mobile=False)
            page.call("Page.navigate", url=report.resolve().as_uri())
            for _ in range(100):  # wait until every image has loaded or failed
                state = page.call("Runtime.evaluate", expression="document.readyState", returnByValue=True)
                if state["result"]["value"] == "complete":
                    break
                time.sleep(0.1)
            found = page.call("Runtime.evaluate", expression=CHECKS, returnByValue=True)["result"]["value"]
            screenshots.mkdir(parents=True, exist_ok=True)
            for old in screenshots.glob("report-*.png"):
                old.unlink()
            for index, top in enumerate(range(0, found["height"], 900)):
                shot = page.call("Page.captureScreenshot", format="png", captureBeyondViewport=True,
                                 clip={"x": 0, "y": top, "width": width, "height": 900, "scale": 1})
                (screenshots / f"report-{index + 1:02d}.png").write_bytes(base64.b64decode(shot["data"]))
            errors = list(page.errors)
        finally:
            process.terminate()
            process.wait(timeout=10)
    failures = [f"image not loaded: {name}" for name in found["broken"]]
    if found["pageWidth"] > found["windowWidth"]:
        failures.append(f"horizontal overflow: page {found['pageWidth']} px wide in a {found['windowWidth']} px "
                        f"window ({', '.join(found['wide']) or 'no single element'})")
    failures += [f"drawn over each other: {pair}" for pair in found["overlaps"]]
    failures += [f"console error: {e}" for e in errors]
    print(f"check_report: {found['images']} images, page {found['pageWidth']} x {found['height']} px, "
          f"{len(errors)} console errors; screenshots in {screenshots}")
    return failures


def page_fill(pdf: Path) -> list[tuple[float, bool]]:
    """For each page of ``pdf``: how far down its last ink reaches (0 to 1), and whether ink lies in the
    bottom ``BOTTOM_MARGIN`` of the page."""
    import numpy as np
    from PIL import Image

    with tempfile.TemporaryDirectory() as folder:
        subprocess.run(["pdftoppm", "-r", "30", "-gray", "-png", str(pdf), f"{folder}/page"], check=True)
        pages = []
        for picture in sorted(Path(folder).glob("page-*.png")):
            ink = np.where((np.asarray(Image.open(picture)) < 200).any(axis=1))[0]
            height = Image.open(picture).height
            last = (ink.max() + 1) / height if len(ink) else 0.0
            pages.append((float(last), bool(len(ink)) and last > 1 - BOTTOM_MARGIN))
        return pages


def check_pdf(pdf: Path) -> list[str]:
    """The failed checks of the PDF: half-empty pages (not the last) and ink in the bottom margin."""
    if shutil.which("pdftoppm") is None:
        return [f"cannot check {pdf.name}: pdftoppm is missing (`apt-get install poppler-utils`)"]
    pages = page_fill(pdf)
    failures = [f"{pdf.name} page {number} is only {fill:.0%} full" for number, (fill, _) in enumerate(pages[:-1], 1)
                if fill < MIN_PAGE_FILL]
    failures += [f"{pdf.name} page {number} has ink in its bottom margin (cut off?)"
                 for number, (_, cut) in enumerate(pages, 1) if cut]
    print(f"check_report: {pdf.name}, {len(pages)} pages, the least full but the last "
          f"{min((fill for fill, _ in pages[:-1]), default=1):.0%}")
    return failures


def report_figures(report: Path) -> list[dict]:
    """The figures embedded in ``report`` in order: caption, pixel size, dpi, and what ``save_figure`` noted."""
    import io
    import re

    from PIL import Image

    found = []
    for alt, data in re.findall(r'<img[^>]*?alt="([^"]*)"[^>]*?src="data:image/png;base64,([^"]+)"',
                                report.read_text(encoding="utf-8")):
        picture = Image.open(io.BytesIO(base64.b64decode(data)))
        found.append({"name": alt, "size": picture.size, "dpi": float(picture.info.get("dpi", (150, 150))[0]),
                      "text_pt": picture.info.get(TEXT_PT_KEY), "overlaps": picture.info.get(OVERLAPS_KEY)})
    return found


def check_figures(report: Path, pdf: Path) -> list[str]:
    """The figures whose smallest text is under ``MIN_PRINTED_PT`` as the PDF prints them, or whose labels
    overlap. A figure drawn before ``save_figure`` noted its sizes is skipped (and counted)."""
    if shutil.which("pdfimages") is None:
        return [f"cannot check the figures of {pdf.name}: pdfimages is missing (`apt-get install poppler-utils`)"]
    listing = subprocess.run(["pdfimages", "-list", str(pdf)], check=True, capture_output=True, text=True).stdout
    printed = [(int(cols[0]), int(cols[3]), int(cols[4]), float(cols[12])) for cols in
               (line.split() for line in listing.splitlines()[2:]) if len(cols) > 12 and cols[2] == "image"]
    failures, unnoted, smallest = [], 0, (float("inf"), "")
    for figure in report_figures(report):
        match = next((row for row in printed if row[1:3] == figure["size"]), None)
        if match is None:
            failures.append(f"figure not found in {pdf.name}: {figure['name']}")
            continue
        printed = printed[printed.index(match) + 1:]
        if figure["text_pt"] is None:
            unnoted += 1
            continue
        page, _, _, ppi = match
        size = float(figure["text_pt"]) * figure["dpi"] / ppi
        smallest = min(smallest, (size, figure["name"]))
        if size < MIN_PRINTED_PT - 0.05:
            failures.append(f"{pdf.name} page {page}: text of {size:.1f} pt in the figure '{figure['name']}' "
                            f"(at least {MIN_PRINTED_PT:.0f} pt)")
        if figure["overlaps"] not in (None, "0"):
            failures.append(f"{figure['overlaps']} pairs of labels overlap in the figure '{figure['name']}'")
    print(f"check_report: figures' smallest text on paper {smallest[0]:.1f} pt ({smallest[1]})"
          + (f"; {unnoted} figures drawn before their text was measured, not checked" if unnoted else ""))
    return failures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("reports", nargs="*", type=Path, default=[ROOT / "reports" / "report.html"],
                        help="the HTML reports to open, each with its report.pdf beside it if there is one "
                             "(default: reports/report.html)")
    parser.add_argument("--width", type=int, default=1200, help="window width in pixels (default: 1200)")
    parser.add_argument("--screenshots", type=Path, default=ROOT / ".cache" / "report-screenshots",
                        help="folder for the page screenshots (default: .cache/report-screenshots)")
    args = parser.parse_args(argv)
    missing = [report for report in args.reports if not report.is_file()]
    if missing:
        print(f"check_report: no report at {missing[0]}; run `make report` first", file=sys.stderr)
        return 2
    failures = []
    for index, report in enumerate(args.reports):
        print(f"check_report: {report}")
        shots = args.screenshots if len(args.reports) == 1 else args.screenshots / f"report-{index + 1}"
        failures += [f"{report}: {failure}" for failure in check(report, args.width, shots)]
        if report.with_suffix(".pdf").is_file():
            failures += [f"{report.parent}: {failure}" for failure in check_pdf(report.with_suffix(".pdf"))]
            failures += [f"{report.parent}: {failure}" for failure in check_figures(report, report.with_suffix(".pdf"))]
    for failure in failures:
        print(f"check_report: FAILED {failure}", file=sys.stderr)
    print("check_report: " + ("all checks passed" if not failures else f"{len(failures)} checks failed"))
    return 0 if not failures else 1


if __name__ == "__main__":
    sys.exit(main())
