"""`make load`: many people on the dashboard at once, while uploads commit.

Two kinds of session run at the same moment on one dashboard:

- `--sessions` (default 30) websocket sessions. Each is what the server sees of a browser
  tab: a websocket on /_stcore/stream speaking Streamlit's own protocol (the BackMsg and
  ForwardMsg protobufs its frontend sends and reads). It signs in through the sign-in form
  (roles mixed: chair, lead, member), walks every page its role may open, then opens a
  recommendation by its link, `--rounds` times. A page is done when the script run's last
  message has arrived: the server's share of rendering; nothing is drawn.
- `--browsers` (default 3) Chromium sessions (one headless Chromium, a context each,
  signed in as the chair) that walk the same pages by their sidebar links and, on the Upload page,
  download the pre-filled CSV template as a lead does, write an update into one row,
  upload it and commit it (clicking Commit again if told another upload is being saved).
  A page is done when its heading is shown, the script run has ended and its charts are
  drawn: what a person waits for.

Why not 30 Chromium sessions: on a 2-core machine 30 Chromium pages spend the CPU
loading the frontend (measured: 30 contexts used 77 s of CPU to the server's 3.5 s and
no page loaded within 60 s), so they measure Chromium, not the dashboard. `--sessions 0
--browsers 30` still runs that.

An error is anything a person would see go wrong: a page not done within `--timeout`
seconds, a traceback or error box, a script error in the page, a lost connection, an
upload not committed. After `--duration` seconds no session starts another page.

    python -m benchmarks.load                      # a fresh demo database, its own server
    python -m benchmarks.load --sessions 10 --rounds 2
    python -m benchmarks.load --db data/tracker.duckdb   # its own server on that file
    python -m benchmarks.load --url http://127.0.0.1:8501  # an app already running

Sign-in uses the demo accounts (`cjb-tracker init --demo`); give others with
`--account ROLE=USERNAME:PASSWORD`. Prints the figures (`--json`: one object); exits 1
when there was any error.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import csv
import io
import json
import os
import re
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from benchmarks.pages import _browserkit, _peak_memory_mib, running_server
from cjb_tracker import seed, store

ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"
ROLES = ("chair", "lead", "member")
# The pages in each role's sidebar, in order (cjb_tracker.web.PAGES), with their headings.
WALK = {
    "member": ["Recommendations", "Meetings", "Overdue", "Outcomes", "Accessibility", "Overview"],
    "lead": [
        "Recommendations", "Meetings", "Overdue", "Outcomes", "Upload", "Accessibility",
        "Overview",
    ],
    "chair": [
        "Recommendations", "Meetings", "Overdue", "Outcomes", "Upload", "Closure decisions",
        "Audit trail", "Accessibility", "Overview",
    ],
}  # fmt: skip
HEADINGS = {"Accessibility": "Accessibility statement"}
CHARTS = {"Overview": 3, "Recommendation detail": 1}  # plotly charts drawn when finished
RETRY = "Another upload is still being saved"


@dataclass
class Figures:
    """What the sessions measured: render times per page, upload times, errors."""

    renders: dict[str, list[float]] = field(default_factory=dict)
    uploads: list[float] = field(default_factory=list)
    retries: int = 0
    errors: list[tuple[int, str, str]] = field(default_factory=list)
    unfinished: int = 0  # steps still under way when the run's time was up

    def rendered(self, page: str, seconds: float) -> None:
        self.renders.setdefault(page, []).append(seconds)

    def error(self, session: int, step: str, what: str) -> None:
        self.errors.append((session, step, what.strip().splitlines()[0][:300] if what else "?"))


@dataclass(frozen=True)
class Plan:
    url: str
    accounts: dict[str, tuple[str, str]]
    rounds: int
    rec: str
    timeout_ms: int
    duration_s: float  # after this long no session starts another page
    ramp_s: float  # websocket session i starts i * ramp_s / sessions seconds in
    sessions: int = 0
    deadline: float = float("inf")  # the same as a time.perf_counter(), set by run()


# --- A browser session ------------------------------------------------------------------


async def browser_session(index: int, browser: Any, plan: Plan, figures: Figures) -> None:
    """A person in Chromium: signs in, walks the pages, and on the Upload page uploads an
    update and commits it, every round."""
    # The chair: the demo lead's recommendations belong to bodies with no meeting ahead, so
    # their template has no meeting date to report at (they would have to type one).
    role = "chair"
    context = await browser.new_context(viewport={"width": 1400, "height": 1000})
    tab = await context.new_page()
    tab.set_default_timeout(plan.timeout_ms)
    tab.on("pageerror", lambda error: figures.error(index, "script error", str(error)))
    try:
        if not await step(figures, index, "Overview (sign-in)", sign_in(tab, plan, role), tab):
            return  # not signed in: nothing else can be walked
        for round_number in range(plan.rounds):
            for title in WALK[role]:
                if time.perf_counter() > plan.deadline:
                    return
                await step(figures, index, title, visit(tab, plan, title), tab)
                if title == "Upload":
                    await upload(tab, index, round_number, figures)
            detail = f"recommendations?rec={plan.rec}"
            await step(figures, index, "Recommendation detail", visit(tab, plan, detail), tab)
    finally:
        await context.close()


async def step(figures: Figures, index: int, page: str, action: Any, tab: Any) -> bool:
    """Time one page visit to the end of its rendering; an error is recorded (with a
    screenshot of the first few in test-artifacts/), not raised."""
    page = f"browser: {page}"
    started = time.perf_counter()
    try:
        await action
    except asyncio.CancelledError:
        figures.unfinished += 1
        raise
    except Exception as error:  # noqa: BLE001 (every failure is a figure, not a crash)
        figures.error(index, page, f"{type(error).__name__}: {error}")
        if len(figures.errors) <= 3:
            ARTIFACTS.mkdir(exist_ok=True)
            await tab.screenshot(path=str(ARTIFACTS / f"load-error-{len(figures.errors)}.png"))
        return False
    figures.rendered(page, time.perf_counter() - started)
    return True


async def sign_in(tab: Any, plan: Plan, role: str) -> None:
    username, password = plan.accounts[role]
    await tab.goto(plan.url)
    await tab.get_by_role("heading", name="Sign in", exact=True).wait_for()
    await tab.get_by_label("Username", exact=True).fill(username)
    await tab.get_by_label("Password", exact=True).fill(password)
    await tab.get_by_role("button", name="Sign in", exact=True).click()
    await finished(tab, "Overview")


async def visit(tab: Any, plan: Plan, target: str) -> None:
    """Every page visit goes through here: a page title is opened by its sidebar link (as a
    person walks the pages, in the same Streamlit session); a path by its address (a shared
    link: a new page load, signed in by the session cookie)."""
    if "?" in target or "/" in target:
        await tab.goto(f"{plan.url}/{target}")
        await finished(tab, "Recommendation detail", heading=re.compile(r"^RAPE\w*-R\d+: "))
        return
    sidebar = tab.locator('[data-testid="stSidebar"] [data-testid="stPageLink"]')
    await sidebar.get_by_text(target, exact=True).click()
    await finished(tab, target)


async def finished(tab: Any, page: str, heading: Any = None) -> None:
    """The page's heading shown, the script run over, its charts drawn, nothing broken."""
    name = heading or HEADINGS.get(page, page)
    await tab.get_by_role("heading", name=name, exact=heading is None).first.wait_for()
    await tab.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]')
    if page in CHARTS:
        await tab.wait_for_function(
            f"document.querySelectorAll('.js-plotly-plot .main-svg').length >= {CHARTS[page]}"
        )
    await assert_nothing_broken(tab)


async def assert_nothing_broken(tab: Any) -> None:
    broken = await tab.evaluate(
        """() => {
            const found = [];
            for (const e of document.querySelectorAll('[data-testid="stException"]'))
                found.push('exception: ' + e.innerText);
            for (const e of document.querySelectorAll('[data-testid="stAlertContentError"]'))
                found.push('error box: ' + e.innerText);
            if (document.body.innerText.includes('Traceback')) found.push('traceback shown');
            if (document.body.innerText.includes('Connection error')) found.push('connection lost');
            return found;
        }"""
    )
    if broken:
        raise RuntimeError("; ".join(broken))


# --- A websocket session ----------------------------------------------------------------


class StreamlitClient:
    """One browser tab as the server sees it: a websocket on /_stcore/stream speaking
    Streamlit's own protocol (the BackMsg and ForwardMsg protobufs its frontend sends and
    reads). A page is asked for as the frontend asks (a rerun with the page's script hash,
    the query string and the widget states); it is served when the script run's last
    message has arrived. Nothing is drawn: this measures the server, not a browser."""

    def __init__(self, socket: Any, url: str) -> None:
        self.socket = socket
        self.url = url
        self.pages: dict[str, str] = {}  # page title -> script hash (from navigation)

    async def run(
        self, page: str = "", query: str = "", widgets: tuple[Any, ...] = ()
    ) -> list[Any]:
        """Ask for a script run; return the elements it drew, once it has finished."""
        from streamlit.proto.BackMsg_pb2 import BackMsg

        message = BackMsg()
        state = message.rerun_script
        state.query_string = query
        state.page_script_hash = self.pages.get(page, "")
        state.context_info.timezone = "Europe/London"
        state.context_info.locale = "en-GB"
        state.context_info.url = f"{self.url}/?{query}" if query else self.url
        state.widget_states.widgets.extend(widgets)
        await self.socket.send(message.SerializeToString())
        return await self._elements_until_finished()

    async def _elements_until_finished(self) -> list[Any]:
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        elements: list[Any] = []
        while True:
            message = ForwardMsg()
            message.ParseFromString(await self.socket.recv())
            kind = message.WhichOneof("type")
            if kind == "delta" and message.delta.WhichOneof("type") == "new_element":
                elements.append(message.delta.new_element)
            elif kind == "navigation":
                self.pages = {p.page_name: p.page_script_hash for p in message.navigation.app_pages}
            elif kind == "new_session":
                elements = []  # a rerun (st.rerun, sign-in) starts the page again
            elif (
                kind == "script_finished"
                and message.script_finished != ForwardMsg.FINISHED_EARLY_FOR_RERUN
            ):
                return elements


def widget_ids(elements: list[Any]) -> dict[str, str]:
    found = {}
    for element in elements:
        kind = element.WhichOneof("type")
        if kind in {"text_input", "button"}:
            found[f"{kind}:{getattr(element, kind).label}"] = getattr(element, kind).id
    return found


def check_page(elements: list[Any], heading: str | re.Pattern[str]) -> None:
    """The page's own heading is there, and no exception or error box."""
    from streamlit.proto.Alert_pb2 import Alert

    headings = [e.heading.body for e in elements if e.WhichOneof("type") == "heading"]
    found = [
        h
        for h in headings
        if (heading.match(h) if isinstance(heading, re.Pattern) else h == heading)
    ]
    broken = [
        f"exception: {e.exception.message}" for e in elements if e.WhichOneof("type") == "exception"
    ]
    broken += [
        f"error box: {e.alert.body}"
        for e in elements
        if e.WhichOneof("type") == "alert" and e.alert.format == Alert.ERROR
    ]
    if broken:
        raise RuntimeError("; ".join(broken))
    if not found:
        raise RuntimeError(f"no heading {heading!r}; headings: {headings[:4]}")


async def websocket_session(index: int, plan: Plan, figures: Figures) -> None:
    """A person reading: signs in with the sign-in form, walks every page their role may
    open, then opens a recommendation by its link, `rounds` times."""
    import websockets
    from streamlit.proto.WidgetStates_pb2 import WidgetState
    from websockets.typing import Subprotocol

    role = ROLES[index % len(ROLES)]
    await asyncio.sleep(index * plan.ramp_s / max(plan.sessions, 1))
    stream = plan.url.replace("http", "ws", 1) + "/_stcore/stream"
    timeout = plan.timeout_ms / 1000

    async def timed(page: str, action: Any) -> bool:
        started = time.perf_counter()
        try:
            await asyncio.wait_for(action, timeout)
        except asyncio.CancelledError:
            figures.unfinished += 1
            raise
        except TimeoutError:
            figures.error(index, f"websocket: {page}", f"not served within {timeout:.0f} s")
            return False
        except websockets.ConnectionClosed as error:
            figures.error(index, f"websocket: {page}", f"connection lost: {error}")
            raise  # the session is over, as a tab that lost its server
        except Exception as error:  # noqa: BLE001 (every failure is a figure, not a crash)
            figures.error(index, f"websocket: {page}", f"{type(error).__name__}: {error}")
            return False
        figures.rendered(f"websocket: {page}", time.perf_counter() - started)
        return True

    async def sign_in(client: StreamlitClient) -> None:
        ids = widget_ids(await client.run())
        username, password = plan.accounts[role]
        widgets = (
            WidgetState(id=ids["text_input:Username"], string_value=username),
            WidgetState(id=ids["text_input:Password"], string_value=password),
            WidgetState(id=ids["button:Sign in"], trigger_value=True),
        )
        check_page(await client.run(widgets=widgets), "Overview")

    async def visit(client: StreamlitClient, title: str, query: str = "") -> None:
        """Every page visit of a websocket session goes through here."""
        heading: str | re.Pattern[str] = HEADINGS.get(title, title)
        if query:
            heading = re.compile(r"^RAPE\w*-R\d+: ")
        check_page(await client.run(title, query), heading)

    async def walk(client: StreamlitClient) -> None:
        if not await timed("Overview (sign-in)", sign_in(client)):
            return
        for _ in range(plan.rounds):
            for title in WALK[role]:
                if time.perf_counter() > plan.deadline:
                    return
                await timed(title, visit(client, title))
            await timed(
                "Recommendation detail", visit(client, "Recommendations", f"rec={plan.rec}")
            )

    # No keep-alive pings: a browser sends none, and a busy server that cannot answer one in
    # time would have the connection closed by this client, not by anything a user sees.
    connecting = websockets.connect(
        stream, subprotocols=[Subprotocol("streamlit")], max_size=None, ping_interval=None
    )
    async with connecting as socket:
        client = StreamlitClient(socket, plan.url)
        with contextlib.suppress(websockets.ConnectionClosed):
            await walk(client)


# --- An upload, as a lead makes it ------------------------------------------------------


async def upload(tab: Any, index: int, round_number: int, figures: Figures) -> None:
    """Download the template, fill in one row, upload it, commit it; timed from choosing the
    file to 'Committed as batch N'."""
    try:
        data = await filled_template(tab, index, round_number)
        started = time.perf_counter()
        await tab.locator("input[type=file]").set_input_files(
            {"name": f"load-{index}-{round_number}.csv", "mimeType": "text/csv", "buffer": data}
        )
        await tab.get_by_text(re.compile(r"^The file is valid: ")).wait_for()
        await commit(tab, figures)
        figures.uploads.append(time.perf_counter() - started)
    except Exception as error:  # noqa: BLE001
        figures.error(index, "upload", f"{type(error).__name__}: {error}")


async def filled_template(tab: Any, index: int, round_number: int) -> bytes:
    async with tab.expect_download() as started:
        await tab.get_by_role("button", name=re.compile(r"^Download .*\.csv$")).click()
    path = await (await started.value).path()
    rows = list(csv.DictReader(io.StringIO(Path(path).read_text(encoding="utf-8-sig"))))
    ready = [r for r in rows if r["meeting_date"]]
    if not ready:
        raise RuntimeError("the template has no row with a meeting to report at")
    row = ready[(index + round_number) % len(ready)]
    row["update"] = f"Load test: session {index}, round {round_number}, {time.time():.6f}."
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerow(row)
    return out.getvalue().encode("utf-8")


async def commit(tab: Any, figures: Figures) -> None:
    for _ in range(5):
        await tab.get_by_role("button", name="Commit").click()
        outcome = tab.get_by_text(re.compile(rf"^(Committed as batch \d+|{RETRY}|This file)"))
        await outcome.first.wait_for()
        said = await outcome.first.inner_text()
        if not said.startswith(RETRY):
            if not said.startswith("Committed as batch"):
                raise RuntimeError(said)
            return
        figures.retries += 1
        await tab.wait_for_timeout(1_000)
    raise RuntimeError("told to retry five times")


# --- Where the CPU went -------------------------------------------------------------------

_TICK = os.sysconf("SC_CLK_TCK")


def _stat(pid: int) -> list[str] | None:
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return text[text.rindex(")") + 2 :].split()  # fields from the 3rd (state) on


def cpu_seconds(pid: int) -> float:
    """User plus system CPU seconds of one process so far."""
    fields = _stat(pid)
    return 0.0 if fields is None else (int(fields[11]) + int(fields[12])) / _TICK


def descendants(root: int) -> list[int]:
    parents = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and (fields := _stat(int(entry.name))) is not None:
            parents[int(entry.name)] = int(fields[1])
    found, frontier = [], [root]
    while frontier:
        parent = frontier.pop()
        children = [pid for pid, ppid in parents.items() if ppid == parent]
        found += children
        frontier += children
    return found


def machine_busy() -> tuple[float, float]:
    """(busy, total) CPU seconds of the whole machine since boot."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n")[0].split()[1:]]
    idle = values[3] + values[4]
    return (sum(values) - idle) / _TICK, sum(values) / _TICK


class CpuWatch:
    """CPU seconds used during the run by the server, by this script's browser (every
    process under this one but the server) and by the whole machine, sampled every second
    so that renderers which exit are still counted."""

    def __init__(self, server_pid: int | None) -> None:
        self.server_pid = server_pid
        self.server_start = cpu_seconds(server_pid) if server_pid else 0.0
        self.browser: dict[int, float] = {}
        self.machine_start = machine_busy()
        self.server = self.machine = 0.0
        self.cores = os.cpu_count() or 1

    def sample(self) -> None:
        server = {self.server_pid, *descendants(self.server_pid)} if self.server_pid else set()
        for pid in set(descendants(os.getpid())) - server:
            self.browser[pid] = max(self.browser.get(pid, 0.0), cpu_seconds(pid))
        if self.server_pid:
            self.server = cpu_seconds(self.server_pid) - self.server_start
        busy, total = machine_busy()
        self.machine = (busy - self.machine_start[0]) / max(total - self.machine_start[1], 1e-9)

    async def run(self) -> None:
        while True:
            self.sample()
            await asyncio.sleep(1)


# --- The run --------------------------------------------------------------------------


async def progress(figures: Figures, started: float) -> None:
    while True:
        await asyncio.sleep(15)
        done = sum(len(times) for times in figures.renders.values())
        print(
            f"[{time.perf_counter() - started:5.0f} s] {done} pages rendered, "
            f"{len(figures.uploads)} uploads, {len(figures.errors)} errors",
            file=sys.stderr,
            flush=True,
        )


async def run(plan: Plan, sessions: int, browsers: int, cpu: CpuWatch) -> tuple[Figures, float]:
    from playwright.async_api import async_playwright

    figures = Figures()
    async with async_playwright() as p:
        kit = _browserkit()
        browser = await p.chromium.launch(executable_path=kit.CHROMIUM, args=kit.CHROMIUM_ARGS)
        watching = asyncio.create_task(cpu.run())
        started = time.perf_counter()
        plan = replace(plan, deadline=started + plan.duration_s, sessions=sessions)
        tasks = [
            *(asyncio.create_task(websocket_session(i, plan, figures)) for i in range(sessions)),
            *(
                asyncio.create_task(browser_session(i, browser, plan, figures))
                for i in range(browsers)
            ),
        ]
        reporting = asyncio.create_task(progress(figures, started))
        # Steps under way when the time is up get one more timeout to finish, then stop.
        limit = plan.deadline - started + plan.timeout_ms / 1000
        _, late = await asyncio.wait(tasks, timeout=limit)
        for task in late:
            task.cancel()
        await asyncio.gather(*late, return_exceptions=True)
        elapsed = time.perf_counter() - started
        reporting.cancel()
        cpu.sample()
        watching.cancel()
        await browser.close()
    return figures, elapsed


def percentile(values: list[float], share: float) -> float:
    """The nearest-rank percentile (share in 0..1)."""
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, round(share * len(ordered) + 0.5) - 1))]


def summary(
    figures: Figures, sessions: int, elapsed: float, memory: float | None, cpu: CpuWatch
) -> dict[str, Any]:
    def of(kind: str) -> list[float]:
        return [
            t for page, times in figures.renders.items() if page.startswith(kind) for t in times
        ]

    def rank(values: list[float], share: float) -> float | None:
        return round(percentile(values, share), 2) if values else None

    every = of("")
    return {
        "sessions": sessions,
        "pages_rendered": len(every),
        "uploads_committed": len(figures.uploads),
        "upload_retries": figures.retries,
        "errors": len(figures.errors),
        "unfinished_at_the_end": figures.unfinished,
        "error_kinds": dict(Counter(step for _, step, _ in figures.errors)),
        "first_error_of_each_kind": list(
            {s: f"session {i}, {s}: {w}" for i, s, w in reversed(figures.errors)}.values()
        )[::-1],
        "websocket_pages": len(of("websocket")),
        "websocket_p50_s": rank(of("websocket"), 0.5),
        "websocket_p95_s": rank(of("websocket"), 0.95),
        "browser_pages": len(of("browser")),
        "browser_p50_s": rank(of("browser"), 0.5),
        "browser_p95_s": rank(of("browser"), 0.95),
        "render_max_s": round(max(every), 2) if every else None,
        "by_page": {
            page: {
                "n": len(times),
                "p50_s": round(percentile(times, 0.5), 2),
                "p95_s": round(percentile(times, 0.95), 2),
            }
            for page, times in sorted(figures.renders.items())
        },
        "upload_p50_s": round(statistics.median(figures.uploads), 2) if figures.uploads else None,
        "wall_s": round(elapsed, 1),
        "server_peak_mib": None if memory is None else round(memory),
        "server_cpu_s": round(cpu.server, 1) if cpu.server_pid else None,
        "browser_cpu_s": round(sum(cpu.browser.values()), 1),
        "machine_busy_pct": round(100 * cpu.machine),
        "cores": cpu.cores,
    }


def report(found: dict[str, Any]) -> None:
    print(
        f"{found['sessions']} sessions at once: {found['pages_rendered']} pages rendered, "
        f"{found['uploads_committed']} uploads committed ({found['upload_retries']} told to "
        f"retry), {found['errors']} errors, {found['unfinished_at_the_end']} pages still "
        f"rendering when the time was up, in {found['wall_s']} s"
    )
    print(
        f"time for a page to finish: websocket sessions (served: the run's last message "
        f"arrived) p50 {found['websocket_p50_s']} s, p95 {found['websocket_p95_s']} s over "
        f"{found['websocket_pages']} pages; Chromium sessions (drawn) p50 "
        f"{found['browser_p50_s']} s, p95 {found['browser_p95_s']} s over "
        f"{found['browser_pages']} pages; slowest {found['render_max_s']} s; "
        f"upload to committed p50 {found['upload_p50_s']} s"
    )
    if found["server_peak_mib"] is not None:
        print(f"server: peak memory {found['server_peak_mib']} MiB, CPU {found['server_cpu_s']} s")
    print(
        f"browser CPU {found['browser_cpu_s']} s; the machine's {found['cores']} cores were "
        f"{found['machine_busy_pct']}% busy (everything running on it, not only this run)"
    )
    print(f"{'page':<40}{'n':>5}{'p50 s':>8}{'p95 s':>8}")
    for page, row in found["by_page"].items():
        print(f"{page:<40}{row['n']:>5}{row['p50_s']:>8}{row['p95_s']:>8}")
    for line in found["first_error_of_each_kind"]:
        print(f"error: {line}")


# --- Where the app runs -----------------------------------------------------------------


@contextmanager
def demo_database(keep: Path | None) -> Iterator[Path]:
    """A fresh demo database (its demo accounts sign the sessions in)."""
    with tempfile.TemporaryDirectory(prefix="cjb-load-") as scratch:
        path = keep or Path(scratch) / "tracker.duckdb"
        con = store.connect(path)
        try:
            seed.init_database(con, demo=True)
        finally:
            con.close()
        yield path


def accounts(given: list[str]) -> dict[str, tuple[str, str]]:
    found = {role: (f"demo-{role}", password) for role, password in seed.DEMO_PASSWORDS.items()}
    for item in given:
        role, _, credentials = item.partition("=")
        username, _, password = credentials.partition(":")
        if role not in ROLES or not username or not password:
            raise SystemExit(
                f"--account {item!r}: give ROLE=USERNAME:PASSWORD, ROLE one of {ROLES}"
            )
        found[role] = (username, password)
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=30, help="websocket sessions")
    parser.add_argument(
        "--browsers", type=int, default=3, help="Chromium sessions (these also upload)"
    )
    parser.add_argument("--rounds", type=int, default=3, help="walks of every page per session")
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--db", type=Path, help="start the dashboard on this database file")
    where.add_argument("--url", help="an app already running (not started or stopped here)")
    parser.add_argument("--account", action="append", default=[], metavar="ROLE=USER:PASSWORD")
    parser.add_argument("--rec", default="RAPE1-R4", help="the recommendation opened by link")
    parser.add_argument(
        "--duration",
        type=float,
        default=120,
        help="seconds after which no session starts another page",
    )
    parser.add_argument("--timeout", type=float, default=60, help="seconds a page may take")
    parser.add_argument(
        "--ramp", type=float, default=0, help="spread the websocket sessions' starts over this"
    )
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)

    database = nullcontext(args.db) if args.db or args.url else demo_database(None)
    with database as db:
        server = (
            nullcontext((args.url, None))
            if args.url
            else running_server(db, log=ARTIFACTS / "load-server.log")
        )
        with server as (url, pid):
            plan = Plan(url.rstrip("/"), accounts(args.account), args.rounds, args.rec,
                        int(args.timeout * 1000), args.duration, args.ramp)  # fmt: skip
            cpu = CpuWatch(pid)
            figures, elapsed = asyncio.run(run(plan, args.sessions, args.browsers, cpu))
            memory = _peak_memory_mib(pid) if pid else None
    found = summary(figures, args.sessions, elapsed, memory, cpu)
    if args.json:
        print(json.dumps(found, indent=2))
    else:
        report(found)
    return 1 if found["errors"] or found["unfinished_at_the_end"] else 0


if __name__ == "__main__":
    sys.exit(main())
