"""Server time of every page on the demo data: each page rendered through Django's test client
(no network, no browser: what the server spends), with production settings (DEBUG off, the
manifest static storage), against PostgreSQL. Prints a table: median and worst of N runs, and
the number of SQL queries.

    createdb -h 127.0.0.1 -U postgres gov_web          # once
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/gov_web
    .venv/bin/python manage.py migrate && .venv/bin/python manage.py seed_demo --cases 100000
    .venv/bin/python bench/pages.py [--runs 7] [--budget-ms 300]

Exit status 1 when a page's median is over the budget. The Excel export is timed too, but it is
a download, not a page, and has no budget.
"""

from __future__ import annotations

import argparse
import os
import secrets
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))


def configure() -> None:
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        raise SystemExit("set DATABASE_URL to the PostgreSQL demo database (e.g. .../gov_web)")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "governance.settings")
    os.environ.update(
        {
            "DEBUG": "false",
            "SECRET_KEY": os.environ.get("SECRET_KEY") or secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "testserver",
            "SECURE_SSL_REDIRECT": "false",
            "SESSION_COOKIE_SECURE": "false",
            "CSRF_COOKIE_SECURE": "false",
            "LOG_LEVEL": "ERROR",
            "VAR_DIR": os.environ.get("BENCH_VAR_DIR", "/tmp/gov_web_bench_var"),
        }
    )
    import django

    django.setup()
    from django.core.management import call_command

    call_command("collectstatic", interactive=False, verbosity=0)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--budget-ms", type=float, default=300.0)
    parser.add_argument("--export-runs", type=int, default=1, help="runs of each Excel export (0: skip)")
    args = parser.parse_args()
    configure()

    from django.db import connection, transaction
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from governance.models import Case, CaseParty, Category, Center, Dispatch, DispatchStatus, User

    users = {name: User.objects.get(username=name) for name in ("window", "liaison", "leader")}
    cases = Case.objects.count()
    if cases < 1000:
        raise SystemExit(f"only {cases} cases: seed the demo first (manage.py seed_demo --cases 100000)")
    busy = (
        Dispatch.objects.filter(case__center=users["window"].center)
        .exclude(status=DispatchStatus.PENDING)
        .order_by("-case_id")
        .values_list("case_id", flat=True)
        .first()
    )
    red = Case.objects.filter(risk_level="red").order_by("-id").values_list("id", flat=True).first()
    returning = (
        CaseParty.objects.filter(person__id_number__isnull=False)
        .values_list("person__id_number", flat=True)
        .order_by("-case_id")
        .first()
    )
    township = Center.objects.filter(depth=2).order_by("path").first()
    last_dispatch = Dispatch.objects.filter(department=users["liaison"].department).order_by("-id").first()
    today = timezone.localdate()
    year_ago = today.replace(year=today.year - 1)
    month_ago = today.fromordinal(today.toordinal() - 30)

    clients = {}
    for name, user in users.items():
        clients[name] = Client()
        clients[name].force_login(user)
    search_key = None

    def search():
        nonlocal search_key
        response = clients["window"].post("/cases/search/", {"term": "王"})
        search_key = response["Location"].split("s=")[-1]

    search()
    labour = Category.objects.get(key="labour").pk

    def register_post():
        """One registration, rolled back (the bench does not grow the data)."""
        with transaction.atomic():
            response = clients["window"].post(
                "/intake/register/",
                {
                    "parties-TOTAL_FORMS": "2",
                    "parties-INITIAL_FORMS": "0",
                    "parties-MIN_NUM_FORMS": "1",
                    "parties-MAX_NUM_FORMS": "50",
                    "parties-0-id_number": returning or "",
                    "parties-0-name": "测试",
                    "parties-0-phone": "13812345678",
                    "parties-0-role": "applicant",
                    "parties-1-name": "某公司",
                    "parties-1-role": "respondent",
                    "service_line": "mediation",
                    "category": str(labour),
                    "risk_level": "yellow",
                    "summary": "拖欠工资",
                },
            )
            transaction.set_rollback(True)
        return response

    pages = [
        ("window", "GET", "/intake/register/", None),
        ("window", "POST", "/intake/check-person/ (returning ID)", "check"),
        ("window", "POST", "/intake/register/ (saved, rolled back)", "register"),
        ("window", "GET", "/cases/", None),
        ("window", "GET", "/cases/?status=registered&risk_level=red", None),
        ("window", "GET", f"/cases/?center={township.pk}&created_after={month_ago}", None),
        ("window", "GET", "/cases/?s=<search by name>", "search"),
        ("window", "GET", "/cases/?page=400", None),
        ("window", "GET", f"/cases/{busy}/", None),
        ("window", "GET", f"/intake/receipt/{busy}/", None),
        ("window", "GET", "/dispatches/", None),
        ("window", "GET", "/dispatches/?open_overdue=true", None),
        ("window", "GET", "/intake/visits/", None),
        ("window", "GET", "/notifications/", None),
        ("liaison", "GET", "/inbox/", None),
        ("liaison", "GET", f"/inbox/new/?after={last_dispatch.pk if last_dispatch else 0}", None),
        ("liaison", "GET", f"/cases/{last_dispatch.case_id if last_dispatch else busy}/", None),
        ("leader", "GET", "/dashboard/", None),
        ("leader", "GET", f"/dashboard/?date_from={year_ago}&date_to={today}", None),
        ("leader", "GET", f"/dashboard/?center={township.pk}", None),
        ("leader", "GET", f"/cases/{red}/", None),
        ("leader", "GET", "/cases/?is_open=true&risk_level=red", None),
    ]
    downloads = [
        ("window", "GET", f"/cases/export/?created_after={month_ago}", None),
        ("window", "GET", f"/cases/export/?created_after={year_ago}", None),
    ]

    def request(user: str, method: str, url: str, special):
        client = clients[user]
        if special == "check":
            return client.post(
                "/intake/check-person/",
                {"parties-0-id_number": returning},
                HTTP_HX_REQUEST="true",
                HTTP_HX_TRIGGER_NAME="parties-0-id_number",
            )
        if special == "register":
            return register_post()
        if special == "search":
            return client.get(f"/cases/?s={search_key}")
        return client.get(url)

    def measure(rows, runs):
        results = []
        for user, method, url, special in rows:
            request(user, method, url, special)  # warm: connection, caches, template loading
            times = []
            cpu_times = []
            sql_times = []
            status = None
            queries = 0
            for _ in range(runs):
                with CaptureQueriesContext(connection) as captured:
                    started, cpu_started = time.perf_counter(), time.process_time()
                    response = request(user, method, url, special)
                    if hasattr(response, "streaming_content"):
                        b"".join(response.streaming_content)
                    times.append((time.perf_counter() - started) * 1000)
                    cpu_times.append((time.process_time() - cpu_started) * 1000)
                status = response.status_code
                queries = len(captured)
                sql_times.append(sum(float(q["time"]) for q in captured.captured_queries) * 1000)
                size = len(response.content) if not hasattr(response, "streaming_content") else 0
            results.append(
                (
                    user,
                    method,
                    url,
                    statistics.median(times),
                    max(times),
                    statistics.median(cpu_times),
                    statistics.median(sql_times),
                    queries,
                    status,
                    size,
                )
            )
        return results

    print(f"pages on {connection.settings_dict['NAME']}: {cases:,} cases; {args.runs} runs each; DEBUG off")
    load = " ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"load average before: {load} on {os.cpu_count()} CPUs (a busy machine inflates every figure)")
    print("median/max: wall time of the request; cpu: this process's CPU (Python); sql: time in queries")
    header = f"{'user':<8} {'page':<62} {'median ms':>9} {'max ms':>8} {'cpu ms':>7} {'sql ms':>7} {'queries':>7} {'status':>6}"
    print(header)
    print("-" * len(header))
    over = []
    for user, method, url, median, worst, cpu, sql, queries, status, _size in measure(pages, args.runs):
        flag = "  OVER BUDGET" if median > args.budget_ms else ""
        print(
            f"{user:<8} {method + ' ' + url:<62} {median:>9.1f} {worst:>8.1f} {cpu:>7.1f} {sql:>7.1f} {queries:>7}"
            f" {status:>6}{flag}"
        )
        if median > args.budget_ms or status >= 500:
            over.append(url)
    print()
    print("downloads (no budget):" if args.export_runs else "downloads skipped (--export-runs 0)")
    if not args.export_runs:
        downloads = []
    for user, method, url, median, worst, cpu, sql, queries, status, size in measure(
        downloads, max(1, args.export_runs)
    ):
        print(
            f"{user:<8} {method + ' ' + url:<62} {median:>9.1f} {worst:>8.1f} {cpu:>7.1f} {sql:>7.1f} {queries:>7}"
            f" {status:>6}  {size:,} bytes"
        )
    if over:
        print(f"\nover the {args.budget_ms:.0f} ms budget: {', '.join(over)}")
        return 1
    print(f"\nevery page under {args.budget_ms:.0f} ms (median)")
    print(f"load average after: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
