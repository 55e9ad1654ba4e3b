"""Open the exported report in headless Chromium and check it as a reader's browser shows it.

Checks: every image loaded (``naturalWidth > 0``), no horizontal overflow (the page is no wider than the
window), no console error or uncaught exception. Saves a screenshot of each screenful of the page to
``.cache/report-screenshots/`` (git-ignored). Uses Debian's ``chromium`` through the DevTools protocol
(``websocket-client``, already in the lock); nothing is downloaded.

    python tools/check_report.py [reports/report.html] [--width 1200]

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
  };
})()"""


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
    with tempfile.TemporaryDirectory() as profile:
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
    failures += [f"console error: {e}" for e in errors]
    print(f"check_report: {found['images']} images, page {found['pageWidth']} x {found['height']} px, "
          f"{len(errors)} console errors; screenshots in {screenshots}")
    return failures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("report", nargs="?", type=Path, default=ROOT / "reports" / "report.html",
                        help="the HTML report to open (default: reports/report.html)")
    parser.add_argument("--width", type=int, default=1200, help="window width in pixels (default: 1200)")
    parser.add_argument("--screenshots", type=Path, default=ROOT / ".cache" / "report-screenshots",
                        help="folder for the page screenshots (default: .cache/report-screenshots)")
    args = parser.parse_args(argv)
    if not args.report.is_file():
        print(f"check_report: no report at {args.report}; run `make report` first", file=sys.stderr)
        return 2
    failures = check(args.report, args.width, args.screenshots)
    for failure in failures:
        print(f"check_report: FAILED {failure}", file=sys.stderr)
    print("check_report: " + ("all checks passed" if not failures else f"{len(failures)} checks failed"))
    return 0 if not failures else 1


if __name__ == "__main__":
    sys.exit(main())
