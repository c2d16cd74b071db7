#!/usr/bin/env python3
"""The plans of the hot queries, as PostgreSQL runs them on the bench database.

    .venv/bin/python bench/explain.py --db gov_bench > bench/results/plans.md

Each hot request is made in-process (Django's test client, the production settings), its SQL
captured, and every SELECT that takes part is run again under EXPLAIN (ANALYZE, BUFFERS). The
deadline sweep's two claim queries are explained the same way. Output is Markdown, ready for
docs/PERFORMANCE.md.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import common


def explain(sql: str, params=None) -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", default=common.FULL_DB)
    parser.add_argument("--min-ms", type=float, default=0.0, help="only queries slower than this")
    args = parser.parse_args()
    common.django_setup(args.db)

    from django.conf import settings
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone
    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient

    from bench.run import prepare
    from governance.models import Deadline, DeadlineState

    settings.ALLOWED_HOSTS = ["*"]
    ctx = prepare()
    year = f"date_from={ctx.date_from}&date_to={ctx.date_to}"
    requests = [
        ("Dashboard summary, county, one year", "leader", f"/api/dashboard/summary/?center={ctx.county.pk}&{year}"),
        (
            "Drill-down: a township's labour cases of the year",
            "leader",
            f"/api/cases/?center={ctx.township.pk}&category=labour"
            f"&created_after={ctx.date_from}&created_before={ctx.date_to}",
        ),
        ("Liaison inbox", "liaison", "/api/dispatches/?status=pending"),
        ("Search by case number", "leader", f"/api/cases/?search={ctx.numbers[0]}"),
        ("Search by party name", "leader", f"/api/cases/?search={ctx.names[0]}"),
        ("Search by phone", "leader", f"/api/cases/?search={ctx.phones[0]}"),
    ]
    print(f"# Plans of the hot queries ({args.db})\n")
    for title, who, url in requests:
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION="Token " + Token.objects.get(user__username=who).key)
        client.get(url)  # warm
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        print(f"## {title}\n\n`GET {url}` as {who} → {response.status_code}, {len(captured)} queries\n")
        for query in captured:
            sql = query["sql"]
            if not sql.lstrip().upper().startswith("SELECT") or float(query["time"]) * 1000 < args.min_ms:
                continue
            if "authtoken_token" in sql or "governance_userrole" in sql:
                continue  # the per-request authentication and roles, 0.1 ms each
            print("```")
            print(sql[:600] + (" …" if len(sql) > 600 else ""))
            print()
            print(explain(sql))
            print("```\n")
    now = timezone.now()
    breach = Deadline.objects.filter(state=DeadlineState.OPEN, due_at__lte=now).order_by("due_at")
    warn = Deadline.objects.filter(
        state=DeadlineState.OPEN, warned_at__isnull=True, warn_at__lte=now, due_at__gt=now
    ).order_by("warn_at")
    for title, qs in (("Sweep: breaches due now", breach), ("Sweep: warnings due now", warn)):
        sql, params = qs.values_list("id", flat=True)[:500].query.sql_with_params()
        print(f"## {title}\n\n```\n{sql}\n\n{explain(sql + ' FOR UPDATE SKIP LOCKED', params)}\n```\n")


if __name__ == "__main__":
    main()
