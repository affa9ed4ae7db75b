"""The site in a real browser: Debian's headless Chromium loads every page from ``file://``.

Skipped when ``/usr/bin/chromium`` is missing, unless ``CIVICINNOV_REQUIRE_BROWSER`` is set
(``.ci/run`` installs Chromium and sets it, so CI cannot pass by skipping). One browser is driven
over the DevTools protocol on a pipe (``--remote-debugging-pipe``: JSON messages ending in a NUL
byte on file descriptors 3 and 4), every read bounded by a timeout. For each page of the site
built from the bundled programme and from a generated programme of 50 cities it checks:

- no console error, no uncaught exception, no log entry at error level;
- no request leaving the folder (every request the page makes is a ``file://`` URL inside it);
- every chart's SVG is in the DOM (as many ``svg`` elements as the HTML holds);
- every internal link resolves (checked on the files: :func:`tests.site_checks.check_site`);

and that a screenshot of the overview is not blank (more than one colour).
"""

from __future__ import annotations

import base64
import contextlib
import io
import json
import os
import pathlib
import select
import subprocess
import time
from typing import Any

import pytest
from tests.site_checks import check_site
from tests.site_portfolios import generated_portfolio

from civicinnov.datasets import load_iteams
from civicinnov.site import build_site

CHROMIUM = pathlib.Path("/usr/bin/chromium")
if not CHROMIUM.exists() and os.environ.get("CIVICINNOV_REQUIRE_BROWSER"):
    raise RuntimeError("CIVICINNOV_REQUIRE_BROWSER is set but /usr/bin/chromium is missing")
pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="needs /usr/bin/chromium")
TIMEOUT = 60.0  # seconds for any one answer from the browser


class Browser:
    """A headless Chromium driven over the DevTools protocol on a pipe."""

    def __init__(self, profile: pathlib.Path) -> None:
        to_child, self._write = os.pipe()  # our commands, read by the browser on fd 3
        self._read, from_child = os.pipe()  # its answers, written on fd 4

        def fds() -> None:  # in the child, before exec: put the pipes on fds 3 and 4
            os.dup2(to_child, 3)
            os.dup2(from_child, 4)

        self.proc = subprocess.Popen(
            [
                str(CHROMIUM),
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--hide-scrollbars",
                # nothing may leave the machine even if a page asked for it
                "--host-resolver-rules=MAP * ~NOTFOUND",
                f"--user-data-dir={profile}",
                "--remote-debugging-pipe",
                "about:blank",
            ],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            preexec_fn=fds,
            pass_fds=(3, 4),
        )
        os.close(to_child)
        os.close(from_child)
        self._buffer = b""
        self._next = 0
        self.events: list[dict[str, Any]] = []
        target = self.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        self.session = self.call("Target.attachToTarget", {"targetId": target, "flatten": True})[
            "sessionId"
        ]
        for domain in ("Page", "Runtime", "Log", "Network"):
            self.call(f"{domain}.enable", session=True)

    def _message(self, deadline: float) -> dict[str, Any]:
        while b"\0" not in self._buffer:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([self._read], [], [], left)[0]:
                raise TimeoutError("the browser did not answer in time")
            chunk = os.read(self._read, 1 << 20)
            if not chunk:
                raise RuntimeError("the browser closed the pipe")
            self._buffer += chunk
        raw, self._buffer = self._buffer.split(b"\0", 1)
        message: dict[str, Any] = json.loads(raw)
        return message

    def call(
        self, method: str, params: dict[str, Any] | None = None, *, session: bool = False
    ) -> dict[str, Any]:
        self._next += 1
        message: dict[str, Any] = {"id": self._next, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = self.session
        os.write(self._write, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + TIMEOUT
        while True:
            answer = self._message(deadline)
            if answer.get("id") == self._next:
                if "error" in answer:
                    raise RuntimeError(f"{method}: {answer['error']}")
                result: dict[str, Any] = answer.get("result", {})
                return result
            self.events.append(answer)

    def load(self, url: str) -> list[dict[str, Any]]:
        """Open ``url`` and wait for its load event; return the events it caused."""
        self.events = []
        self.call("Page.navigate", {"url": url}, session=True)
        deadline = time.monotonic() + TIMEOUT
        while not any(e.get("method") == "Page.loadEventFired" for e in self.events):
            self.events.append(self._message(deadline))
        return self.events

    def evaluate(self, expression: str) -> Any:
        result = self.call(
            "Runtime.evaluate", {"expression": expression, "returnByValue": True}, session=True
        )
        return result["result"].get("value")

    def close(self) -> None:
        with contextlib.suppress(RuntimeError, TimeoutError, OSError):
            self.call("Browser.close")
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=10)
        os.close(self._read)
        os.close(self._write)


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Any:
    b = Browser(tmp_path_factory.mktemp("chromium-profile"))
    yield b
    b.close()


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> list[pathlib.Path]:
    root = tmp_path_factory.mktemp("sites")
    build_site(load_iteams(), root / "iteams", lang="en")
    build_site(generated_portfolio(50, 3, 36), root / "fifty", lang="fr")
    return [root / "iteams", root / "fifty"]


def _problems(events: list[dict[str, Any]], root: pathlib.Path) -> list[str]:
    problems = []
    inside = root.resolve().as_uri()
    for event in events:
        method, params = event.get("method"), event.get("params", {})
        if method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
            problems.append(f"console error: {params.get('args')}")
        elif method == "Runtime.exceptionThrown":
            problems.append(f"exception: {params.get('exceptionDetails', {}).get('text')}")
        elif method == "Log.entryAdded" and params.get("entry", {}).get("level") == "error":
            problems.append(
                f"log error: {params['entry'].get('text')} {params['entry'].get('url')}"
            )
        elif method == "Network.requestWillBeSent":
            url = params.get("request", {}).get("url", "")
            if not url.startswith(inside + "/"):
                problems.append(f"request leaving the folder: {url}")
        elif method == "Network.loadingFailed":
            problems.append(f"failed to load: {params.get('errorText')}")
    return problems


def test_every_page_loads_cleanly_with_its_charts(
    browser: Browser, sites: list[pathlib.Path]
) -> None:
    checked = 0
    for root in sites:
        assert check_site(root) == []
        for page in sorted(root.rglob("*.html")):
            events = browser.load(page.resolve().as_uri())
            assert _problems(events, root) == [], page
            in_html = page.read_text(encoding="utf-8").count("<svg")
            in_dom = browser.evaluate("document.querySelectorAll('svg').length")
            assert in_dom == in_html, page
            titled = browser.evaluate(
                "[...document.querySelectorAll('svg')].every("
                "s => s.querySelector('title') && s.querySelector('desc'))"
            )
            assert titled is True, page
            checked += 1
    assert checked > 200  # the bundled programme's pages and the 50 cities' pages


def test_the_checks_would_see_a_console_error_and_an_outside_request(
    browser: Browser, tmp_path: pathlib.Path
) -> None:
    page = tmp_path / "bad.html"
    page.write_text(
        "<!DOCTYPE html><html lang='en'><head><title>x</title>"
        "<link rel='stylesheet' href='https://cdn.example.org/x.css'></head>"
        "<body><script>console.error('boom')</script></body></html>",
        encoding="utf-8",
    )
    problems = "\n".join(_problems(browser.load(page.as_uri()), tmp_path))
    assert "console error" in problems
    assert "request leaving the folder: https://cdn.example.org/x.css" in problems


def test_overview_screenshot_is_not_blank(browser: Browser, sites: list[pathlib.Path]) -> None:
    image = pytest.importorskip("PIL.Image")
    browser.call(
        "Emulation.setDeviceMetricsOverride",
        {"width": 1024, "height": 1400, "deviceScaleFactor": 1, "mobile": False},
        session=True,
    )
    browser.load((sites[0] / "index.html").resolve().as_uri())
    shot = browser.call("Page.captureScreenshot", {"format": "png"}, session=True)
    png = image.open(io.BytesIO(base64.b64decode(shot["data"]))).convert("RGB")
    assert png.size == (1024, 1400)
    colours = png.getcolors(maxcolors=1 << 16)
    assert colours is None or len(colours) > 10  # text, map, links: far more than one colour
