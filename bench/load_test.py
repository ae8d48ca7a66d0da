"""Load test: simulated users against the production server (`make serve`: gunicorn and the task worker)
on PostgreSQL. Each user logs in with an account of their own (login throttling counts per user), then
browses and searches the register, downloads published reports, and opens and saves a wizard step of
their own draft, pausing between pages as a reader does. Prints requests/s, p50/p95/p99 per kind of
request, errors, lost writes (every save the server acknowledged must be in the database afterwards)
and the peak memory (RSS) of the server's processes. It asserts nothing.

    .venv/bin/python bench/load_test.py [--users 50] [--seconds 60] [--think 1.0] [--database-url URL]

Without --database-url it starts a throwaway PostgreSQL cluster (127.0.0.1:55442, data under /tmp,
removed at the end; as root it runs the server binaries as the postgres user, like .ci/run).
Targets: 0 errors, 0 lost writes, p95 < 1 s.
"""

from __future__ import annotations

import argparse
import logging
import os
import random
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import tomllib
from collections import defaultdict
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parent.parent
PG_PORT = 55442
BIND = "127.0.0.1:8765"
BASE_URL = f"http://{BIND}"
PASSWORD = "load-test-" + secrets.token_urlsafe(12)
EDITED_QUESTION = "project.summary"
EDITED_STEP = "project"
PUBLICATIONS = 3


# ------------------------------------------------------------------------------------------------
# A throwaway PostgreSQL cluster
# ------------------------------------------------------------------------------------------------
class Cluster:
    def __init__(self):
        self.bin = sorted(Path("/usr/lib/postgresql").glob("*/bin"))[-1]
        self.dir = Path(tempfile.mkdtemp(prefix="dpia-load-pg."))
        self.as_postgres = os.geteuid() == 0

    def _run(self, *command: str) -> None:
        if self.as_postgres:
            shutil.chown(self.dir, "postgres", "postgres")
            command = ("su", "postgres", "-s", "/bin/sh", "-c", " ".join(f"'{c}'" for c in command))
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL)

    def start(self) -> str:
        data = self.dir / "data"
        self._run(f"{self.bin}/initdb", "-D", str(data), "-U", "postgres", "--auth=trust", "-E", "UTF8",
                  "--locale=C.UTF-8")
        self._run(f"{self.bin}/pg_ctl", "-D", str(data), "-l", str(self.dir / "log"), "-w", "-o",
                  f"-c listen_addresses=127.0.0.1 -p {PG_PORT} -k {self.dir} -c max_connections=200", "start")
        self._run(f"{self.bin}/createdb", "-h", "127.0.0.1", "-p", str(PG_PORT), "-U", "postgres", "dpia")
        return f"postgres://postgres@127.0.0.1:{PG_PORT}/dpia"

    def stop(self) -> None:
        try:
            self._run(f"{self.bin}/pg_ctl", "-D", str(self.dir / "data"), "-m", "immediate", "stop")
        finally:
            shutil.rmtree(self.dir, ignore_errors=True)


# ------------------------------------------------------------------------------------------------
# Seeding, with the project's own services (run in this process before the server starts)
# ------------------------------------------------------------------------------------------------
def seed(users: int) -> dict:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password

    from dpia import services
    from dpia.engine.bank import default_bank
    from dpia.management.commands.load_demo import DEMO_CASES_DIR
    from dpia.models import Membership, Organisation
    from dpia.stepforms import StepForm

    bank = default_bank()
    password = make_password(PASSWORD)  # hashed once: the server checks it at each login, as for anyone
    cases = [tomllib.loads(p.read_text(encoding="utf-8")) for p in sorted(DEMO_CASES_DIR.glob("*.toml"))]
    User = get_user_model()

    def member(username, organisation, role):
        user = User.objects.create(username=username, password=password, email=f"{username}@load.test")
        Membership.objects.create(user=user, organisation=organisation, role=role)
        return user

    drafts = {}
    cities = [Organisation.objects.create(kind=Organisation.Kind.PUBLIC_BODY, name=f"Load city {i}",
                                          slug=f"load-city-{i}", city=f"City {i}", country="FR")
              for i in range(max(1, users // 5))]
    for n in range(users):
        username = f"load-user-{n:03}"
        user = member(username, cities[n % len(cities)], Membership.Role.AUTHOR)
        case = cases[n % len(cases)]
        assessment = services.assessment_create(user=user, organisation=cities[n % len(cities)],
                                                title=f"{case['case']['title']} ({username})", bank=bank)
        services.assessment_import_answers(assessment=assessment, user=user, answers=case["answers"], bank=bank)
        drafts[username] = assessment.pk

    watchers = Organisation.objects.create(kind=Organisation.Kind.CIVIL_SOCIETY, name="Load watchers",
                                           slug="load-watchers", city="Paris", country="FR")
    auditor = member("load-watcher", watchers, Membership.Role.AUTHOR)
    # One real report is rendered (without the usual time limit: a busy machine may take minutes) and
    # its bytes stand for every seeded publication's PDF, so that downloads weigh what they do in use.
    from dpia.services import versions

    original, rendered = versions.report_pdf, []

    def render_once(content, bank, **options):
        if not rendered:
            rendered.append(original(content, bank, **{**options, "timeout": 900}))
        return rendered[0]

    versions.report_pdf = render_once
    publications = []
    for n in range(PUBLICATIONS):
        case = cases[n % len(cases)]
        shadow = services.assessment_create(user=auditor, organisation=watchers, bank=bank,
                                            title=f"Shadow {n}: {case['case']['title']}",
                                            shadow_of=case["case"]["title"])
        services.assessment_import_answers(assessment=shadow, user=auditor, answers=case["answers"], bank=bank)
        publications.append(services.shadow_publish(assessment=shadow, user=auditor, bank=bank, language="en").pk)

    form = StepForm(section=bank.section(EDITED_STEP), bank=bank, answers={}, language="en", prefix=EDITED_STEP)
    field_name = next(form.add_prefix(name) for name, binding in form.bindings.items()
                      if binding.question.id == EDITED_QUESTION and binding.role == "answer")
    return {"drafts": drafts, "publications": publications, "field": field_name}


def lost_writes(acknowledged: dict[str, list[str]], drafts: dict[str, int]) -> tuple[int, int]:
    """(saves acknowledged, saves missing): each must be in the draft's revision history, and the
    draft must hold the last one."""
    from dpia.models import AnswerRevision, Assessment

    missing = 0
    for username, markers in acknowledged.items():
        pk = drafts[username]
        saved = {revision.answers.get(EDITED_QUESTION) for revision in AnswerRevision.objects.filter(assessment_id=pk)}
        missing += sum(marker not in saved for marker in markers)
        if markers and Assessment.objects.get(pk=pk).answers.get(EDITED_QUESTION) != markers[-1]:
            missing += 1
    return sum(len(m) for m in acknowledged.values()), missing


# ------------------------------------------------------------------------------------------------
# Peak memory of the server's process tree
# ------------------------------------------------------------------------------------------------
def descendants(root: int) -> list[int]:
    children = defaultdict(list)
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            children[int(stat.rsplit(")", 1)[1].split()[1])].append(int(entry.name))
    found, stack = [], [root]
    while stack:
        pid = stack.pop()
        found.append(pid)
        stack.extend(children.get(pid, []))
    return found


def rss_kib(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


class MemorySampler(threading.Thread):
    def __init__(self, root: int):
        super().__init__(daemon=True)
        self.root, self.peak_total, self.peak_process, self.processes, self.running = root, 0, 0, 0, True

    def run(self):
        while self.running:
            sizes = [rss_kib(pid) for pid in descendants(self.root)]
            self.peak_total = max(self.peak_total, sum(sizes))
            self.peak_process = max(self.peak_process, max(sizes, default=0))
            self.processes = max(self.processes, len([s for s in sizes if s]))
            time.sleep(0.5)


# ------------------------------------------------------------------------------------------------
# The simulated users
# ------------------------------------------------------------------------------------------------
class FormFields(HTMLParser):
    """The values a browser would send for each POST form of a page (`forms`, in page order)."""

    def __init__(self):
        super().__init__()
        self.forms: list[list[tuple[str, str]]] = []
        self.in_form = False
        self.textarea = self.select = None
        self.text: list[str] = []

    def form_with(self, name: str) -> list[tuple[str, str]]:
        return next((form for form in self.forms if any(key == name for key, _ in form)), [])

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and (a.get("method") or "").lower() == "post":
            self.in_form = True
            self.forms.append([])
        elif not self.in_form:
            return
        elif tag == "input" and a.get("name") and a.get("type") not in {"submit", "button", "file"}:
            if a.get("type") in {"checkbox", "radio"}:
                if "checked" in a:
                    self.forms[-1].append((a["name"], a.get("value", "on")))
            else:
                self.forms[-1].append((a["name"], a.get("value") or ""))
        elif tag == "textarea":
            self.textarea, self.text = a.get("name"), []
        elif tag == "select":
            self.select = a.get("name")
        elif tag == "option" and self.select and "selected" in a:
            self.forms[-1].append((self.select, a.get("value", "")))

    def handle_data(self, data):
        if self.textarea:
            self.text.append(data)

    def handle_endtag(self, tag):
        if tag == "textarea" and self.textarea:
            self.forms[-1].append((self.textarea, "".join(self.text).removeprefix("\n")))
            self.textarea = None
        elif tag == "select":
            self.select = None
        elif tag == "form":
            self.in_form = False


@dataclass
class Results:
    timings: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: list[str] = field(default_factory=list)
    saves: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, kind: str, seconds: float, error: str = ""):
        with self.lock:
            self.timings[kind].append(seconds)
            if error:
                self.errors.append(f"{kind}: {error}")


def simulated_user(username: str, seed_data: dict, deadline: float, think: float, results: Results,
                   start_after: float) -> None:
    rng = random.Random(username)  # noqa: S311 (pauses and choices, not secrets)
    time.sleep(start_after)  # people arrive over the first seconds, not all in the same instant
    draft = seed_data["drafts"][username]
    step_url = f"/assessments/{draft}/wizard/{EDITED_STEP}/"
    with httpx.Client(base_url=BASE_URL, timeout=30, follow_redirects=False) as client:

        def request(kind, method, url, expect=(200,), **kwargs):
            started = time.perf_counter()
            try:
                response = client.request(method, url, **kwargs)
                response.read()
            except httpx.HTTPError as exc:
                results.record(kind, time.perf_counter() - started, f"{type(exc).__name__} {url}")
                return None
            error = "" if response.status_code in expect else f"HTTP {response.status_code} {url}"
            results.record(kind, time.perf_counter() - started, error)
            return None if error else response

        def pause():
            time.sleep(think * rng.uniform(0.5, 1.5))

        page = request("login", "GET", "/accounts/login/")
        if page is None:
            return
        fields = FormFields()
        fields.feed(page.text)
        data = dict(fields.form_with("username")) | {"username": username, "password": PASSWORD}
        if request("login", "POST", "/accounts/login/", expect=(302,), data=data) is None:
            return
        saves = 0
        while time.monotonic() < deadline:
            publication = rng.choice(seed_data["publications"])
            for kind, url, expect in [
                ("home", "/", (200,)),
                ("register list", "/register/", (200,)),
                ("register search", f"/register/?q={rng.choice(['camera', 'city', 'plate', 'video'])}", (200,)),
                ("register entry", f"/register/{publication}/", (200,)),
                ("report download", f"/register/{publication}/pdf/", (200,)),
            ]:
                response = request(kind, "GET", url, expect=expect)
                if kind == "report download" and response is not None and \
                        response.headers.get("content-type") != "application/pdf":
                    results.record(kind, 0, f"not a PDF {url}")
                pause()
                if time.monotonic() >= deadline:
                    return
            page = request("wizard step GET", "GET", step_url)
            if page is None:
                continue
            pause()
            fields = FormFields()
            fields.feed(page.text)
            saves += 1
            marker = f"Load test save {saves} by {username} ({secrets.token_hex(4)})"
            form = fields.form_with(seed_data["field"])
            if not form:
                results.record("wizard step POST", 0, f"no field {seed_data['field']} on {step_url}")
                continue
            data = defaultdict(list)
            for key, value in form:
                data[key].append(value)
            data[seed_data["field"]] = [marker]
            if request("wizard step POST", "POST", step_url, expect=(302,), data=data,
                       headers={"Referer": BASE_URL + step_url}) is not None:
                with results.lock:
                    results.saves[username].append(marker)
            pause()


# ------------------------------------------------------------------------------------------------
def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))] if ordered else 0.0


def wait_for_server(process: subprocess.Popen, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"the server stopped (status {process.returncode}) before answering")
        try:
            if httpx.get(BASE_URL + "/accounts/login/", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise SystemExit("the server did not answer within two minutes")


def warm_up(seconds: float, publications: list[int]) -> None:
    """Each gunicorn process loads the question bank and compiles templates on its first requests: send
    some before measuring, as a server that has been up for a while would have had."""
    deadline = time.monotonic() + seconds

    def browse():
        with httpx.Client(base_url=BASE_URL, timeout=30) as client:
            while time.monotonic() < deadline:
                for url in ("/accounts/login/", "/register/", f"/register/{random.choice(publications)}/"):  # noqa: S311
                    client.get(url)

    threads = [threading.Thread(target=browse) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--think", type=float, default=1.0, help="mean pause between a user's pages (s)")
    parser.add_argument("--warm-up", type=float, default=10, help="seconds of a few requests before measuring")
    parser.add_argument("--ramp-up", type=float, default=None,
                        help="seconds over which the users arrive, one after another at an even rate (locust's "
                             "spawn rate = users / ramp-up); default: half of --seconds")
    parser.add_argument("--database-url", help="an empty PostgreSQL database (default: a throwaway cluster)")
    args = parser.parse_args()

    cluster = None if args.database_url else Cluster()
    database_url = args.database_url or cluster.start()
    server = None
    static_root = tempfile.mkdtemp(prefix="dpia-load-static.")
    try:
        env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
        env.update(DATABASE_URL=database_url, DJANGO_SECRET_KEY=secrets.token_urlsafe(50), DJANGO_HTTPS="0",
                   DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost", GUNICORN_BIND=BIND,
                   DJANGO_STATIC_ROOT=static_root)
        subprocess.run([sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=REPO, env=env,
                       check=True)
        # Seeding renders the publications' PDFs at once, in this process; the server uses the worker.
        os.environ.update(env, DJANGO_SETTINGS_MODULE="config.settings",
                          DJANGO_TASKS_BACKEND="django.tasks.backends.immediate.ImmediateBackend")
        sys.path.insert(0, str(REPO))
        import django

        os.environ["DJANGO_LOG_LEVEL"] = "WARNING"  # for this process only: the seeding's audit lines
        django.setup()
        logging.getLogger("httpx").setLevel(logging.WARNING)
        started = time.perf_counter()
        seed_data = seed(args.users)
        print(f"seeded {args.users} users with a draft each and {PUBLICATIONS} publications "
              f"in {time.perf_counter() - started:.1f} s")
        from django.db import connections

        connections.close_all()

        server = subprocess.Popen(["bash", "scripts/serve.sh"], cwd=REPO, env=env, start_new_session=True,
                                  stdout=subprocess.DEVNULL)
        wait_for_server(server)
        warm_up(args.warm_up, seed_data["publications"])
        sampler = MemorySampler(server.pid)
        sampler.start()
        results = Results()
        deadline = time.monotonic() + args.seconds
        started = time.perf_counter()
        ramp_up = args.seconds / 2 if args.ramp_up is None else args.ramp_up
        load_before = os.getloadavg()
        users = [threading.Thread(target=simulated_user,
                                  args=(name, seed_data, deadline, args.think, results, ramp_up * n / args.users))
                 for n, name in enumerate(seed_data["drafts"])]
        for user in users:
            user.start()
        for user in users:
            user.join()
        elapsed = time.perf_counter() - started
        sampler.running = False
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=60)
        server = None
        acknowledged, missing = lost_writes(results.saves, seed_data["drafts"])
    finally:
        if server is not None:
            os.killpg(server.pid, signal.SIGKILL)
        if cluster is not None:
            cluster.stop()
        shutil.rmtree(static_root, ignore_errors=True)

    every = [t for timings in results.timings.values() for t in timings]
    import runpy

    from django.conf import settings as django_settings

    gunicorn = runpy.run_path(str(REPO / "config" / "gunicorn.conf.py"))  # its values in the server's environment
    spawn = args.users / ramp_up if ramp_up else float("inf")
    print(f"\n{args.users} users for {args.seconds:.0f} s, arriving over the first {ramp_up:.0f} s "
          f"(spawn rate {spawn:.2f} users/s), think time {args.think} s mean; gunicorn "
          f"{gunicorn['workers']} workers × {gunicorn['threads']} threads; password hasher "
          f"{django_settings.PASSWORD_HASHERS[0].rsplit('.', 1)[-1]}; {os.cpu_count()} cores; "
          f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; load average before {load_before[0]:.2f}, "
          f"after {os.getloadavg()[0]:.2f} (1 min)")
    print(f"{'request':<20} {'count':>6} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'max ms':>8}")
    for kind, timings in sorted(results.timings.items()) + [("all", every)]:
        print(f"{kind:<20} {len(timings):>6} {percentile(timings, .5) * 1000:>8.0f} "
              f"{percentile(timings, .95) * 1000:>8.0f} {percentile(timings, .99) * 1000:>8.0f} "
              f"{max(timings, default=0) * 1000:>8.0f}")
    print(f"requests/s: {len(every) / elapsed:.1f}")
    print(f"errors: {len(results.errors)}" + "".join(f"\n  {e}" for e in results.errors[:10]))
    print(f"saves acknowledged: {acknowledged}, lost writes: {missing}")
    print(f"peak memory of the server processes: {sampler.peak_total / 1024:.0f} MiB in all "
          f"({sampler.processes} processes; largest {sampler.peak_process / 1024:.0f} MiB)")
    pages = [t for kind, timings in results.timings.items() if kind != "login" for t in timings]
    print(f"without the logins (password hashing): p95 {percentile(pages, .95) * 1000:.0f} ms, "
          f"p99 {percentile(pages, .99) * 1000:.0f} ms")
    p95 = percentile(every, .95)
    met = not results.errors and not missing and p95 < 1
    print(f"targets (0 errors, 0 lost writes, p95 < 1 s): {'met' if met else 'NOT met'} (p95 {p95 * 1000:.0f} ms)")
    print("(statistics: median of all requests "
          f"{statistics.median(every) * 1000 if every else 0:.0f} ms)")


if __name__ == "__main__":
    main()
