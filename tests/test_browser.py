"""The reports in a real browser: headless Chromium opens each one, offline.

Every report this module writes (compare and plan, an office with a calendar
and one without, plan by hour) is opened from its file by Chromium, driven by
Playwright. The page must render, every ``<img>`` must be decoded
(``complete`` and a natural width), and no request may leave the file. A
screenshot of each page is saved under the test's ``tmp_path``.

Needs Debian's ``chromium`` (``apt-get install -y chromium``) and the Python
package ``playwright`` (in the ``test`` extra; no ``playwright install``: the
system Chromium is used). Without them the tests are skipped, and the end of
the run says so (see ``conftest.py``).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from test_reports import CLINIC

from huntsim import compare, plan
from huntsim.cli.main import main
from huntsim.views.report import write_comparison, write_plan

# HUNTSIM_CHROMIUM names another Chromium (or, naming none there, shows the skip)
CHROMIUM = os.environ.get("HUNTSIM_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
HOW_TO_ENABLE = ("install Chromium (Debian/Ubuntu: sudo apt-get install -y chromium) and "
                 "the test extra (.venv/bin/pip install -e '.[test]')")

sync_api = pytest.importorskip("playwright.sync_api", reason=f"playwright missing: "
                               f"{HOW_TO_ENABLE}")
if not Path(CHROMIUM).exists():
    pytest.skip(f"no Chromium at {CHROMIUM}: {HOW_TO_ENABLE}", allow_module_level=True)

SMALL_OFFICE: dict[str, Any] = {
    "name": "small office", "duration": "8h", "seed": 3,
    "agent_defaults": {"talk_time": {"dist": "exponential", "mean": "3min"}},
    "agents": [{"number": "101", "name": "Ann"}, {"number": "102", "name": "Bob"},
               {"number": "103", "name": "Cy"}],
    "hunt_groups": [{"pilot": "100", "members": ["101", "102", "103"], "voicemail": True,
                     "arrivals": {"rate": "40/h"}}],
}


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def open_report(browser: Any, report: Path, screenshot: Path) -> dict[str, Any]:
    """Open ``report`` from its file; what the page shows, and every request it made."""
    assert report.is_file()
    page = browser.new_page(viewport={"width": 1200, "height": 900})
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    # anything that is not the file itself is refused before it reaches the network
    page.route("**/*", lambda route: route.continue_() if route.request.url.startswith("file:")
               else route.abort())
    page.goto(report.as_uri(), wait_until="load")
    images = page.evaluate("Array.from(document.images).map(i => ({complete: i.complete, "
                           "width: i.naturalWidth, alt: i.alt}))")
    seen = {
        "title": page.title(),
        "h1": page.inner_text("h1"),
        "height": page.evaluate("document.body.scrollHeight"),
        "images": images,
        "requests": requests,
        "details": page.locator("details").count(),
    }
    page.screenshot(path=str(screenshot), full_page=True)
    page.close()
    return seen


def assert_renders(seen: dict[str, Any], screenshot: Path, least_images: int) -> None:
    assert seen["title"] and seen["h1"]
    assert seen["height"] > 900  # a page of content, not an error stub
    assert len(seen["images"]) >= least_images
    broken = [i["alt"] for i in seen["images"] if not (i["complete"] and i["width"] > 0)]
    assert broken == []
    outside = [u for u in seen["requests"] if not u.startswith(("file:", "data:"))]
    assert outside == []  # nothing left the file
    assert screenshot.stat().st_size > 10_000


@pytest.fixture(scope="module")
def clinic_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("scenario") / "clinic.yaml"
    path.write_text(yaml.safe_dump(CLINIC))
    return path


def test_comparison_report_of_an_office_with_a_calendar(browser, clinic_file, tmp_path):
    out = tmp_path / "cmp"
    assert main(["compare", str(clinic_file), "--policies", "regular,circular",
                 "--replications", "2", "--jobs", "1", "--quiet", "--out", str(out)]) == 0
    seen = open_report(browser, out / "report.html", tmp_path / "compare.png")
    assert_renders(seen, tmp_path / "compare.png", least_images=5)
    assert seen["h1"].startswith("Hunt policy comparison")
    assert seen["details"] >= 2  # the agents and the full table of paired differences, folded


def test_comparison_report_without_a_calendar(browser, tmp_path):
    comparison = compare(SMALL_OFFICE, ["regular", "uniform"], replications=2, jobs=1)
    (tmp_path / "cmp").mkdir()
    write_comparison(comparison, tmp_path / "cmp")
    seen = open_report(browser, tmp_path / "cmp" / "report.html", tmp_path / "compare.png")
    assert_renders(seen, tmp_path / "compare.png", least_images=4)


ROUTING_OFFICE: dict[str, Any] = {
    "name": "office that forwards", "duration": "4h", "seed": 1,
    "redial": {"on": ["busy", "voicemail"], "probability": 0.5, "delay": "5min",
               "max_attempts": 3},
    "agents": [{"numbers": "101..102", "talk_time": {"dist": "exponential", "mean": 240}},
               {"number": "201", "talk_time": "2min"}],
    "hunt_groups": [
        {"pilot": "100", "members": ["101..102"], "voicemail": True,
         "arrivals": {"rate": "30/h"}, "forward": {"when": ["all_busy"], "to": "200"}},
        {"pilot": "200", "members": ["201"], "voicemail": True},
    ],
}


def test_comparison_report_with_redials_and_forwards(browser, tmp_path):
    comparison = compare(ROUTING_OFFICE, ["regular", "circular"], replications=2, jobs=1)
    (tmp_path / "cmp").mkdir()
    write_comparison(comparison, tmp_path / "cmp")
    seen = open_report(browser, tmp_path / "cmp" / "report.html", tmp_path / "compare.png")
    assert_renders(seen, tmp_path / "compare.png", least_images=5)
    # the figure of where callers ended (redials, forwards) is there and decoded
    assert any(i["alt"].startswith("Callers who dialled") for i in seen["images"])


def test_plan_report(browser, tmp_path):
    staffing = plan(SMALL_OFFICE, "100", ["voicemail_rate<=0.1", "service_level_20s>=0.8"],
                    members=[2, 3, 4], policies=["circular", "regular"], replications=2,
                    jobs=1)
    (tmp_path / "plan").mkdir()
    write_plan(staffing, tmp_path / "plan")
    seen = open_report(browser, tmp_path / "plan" / "report.html", tmp_path / "plan.png")
    assert_renders(seen, tmp_path / "plan.png", least_images=2)
    assert seen["h1"].startswith("Capacity plan")


def test_plan_by_hour_report(browser, clinic_file, tmp_path):
    out = tmp_path / "plan"
    assert main(["plan", str(clinic_file), "--group", "100", "--target", "voicemail_rate<=0.1",
                 "--members", "1..4", "--replications", "2", "--jobs", "1", "--quiet",
                 "--by-hour", "--hour-length", "3h", "--out", str(out)]) == 0
    seen = open_report(browser, out / "report.html", tmp_path / "plan.png")
    assert_renders(seen, tmp_path / "plan.png", least_images=2)


def test_the_checks_catch_a_broken_image_and_a_request_leaving_the_file(browser, tmp_path):
    page = tmp_path / "bad.html"
    page.write_text("<!DOCTYPE html><html><head><title>bad</title></head><body><h1>bad</h1>"
                    "<img alt='broken' src='data:image/png;base64,AAAA'>"
                    "<img alt='remote' src='http://example.invalid/figure.png'></body></html>")
    seen = open_report(browser, page, tmp_path / "bad.png")
    broken = [i["alt"] for i in seen["images"] if not (i["complete"] and i["width"] > 0)]
    assert broken == ["broken", "remote"]
    assert "http://example.invalid/figure.png" in seen["requests"]  # seen, and refused


def test_roster_report(browser, tmp_path):
    from test_roster import SHIFTS, erlang_office

    from huntsim import roster

    result = roster(erlang_office("1d"), "100", ["voicemail_rate<=0.05"], SHIFTS,
                    replications=2, hour_length_s=3 * 3600.0, jobs=1, progress=False)
    report = result.report(tmp_path / "roster")
    seen = open_report(browser, report, tmp_path / "roster.png")
    assert_renders(seen, tmp_path / "roster.png", least_images=1)
    assert seen["h1"].startswith("Roster")
