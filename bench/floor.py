#!/usr/bin/env python3
"""The floor: the rows one registration writes (two persons, the case, its two parties, the
timeline event, the rollup upserts for every scope and dimension, the case-number counter and the
number itself), inserted with plain psycopg — no Django, no HTTP — one transaction per case.
It shows how far the application is from the database's own limit on this machine.

Reads a job (JSON) on stdin, prints measurements (JSON) on stdout, like bench/client.py:

    {"dsn", "concurrency", "warmup", "center_id", "scope_ids", "category_id", "category_key",
     "handler_id", "counter_scope", "registrations": [{"applicant": {...}, "respondent": {...},
     "summary", "channel", "service_line", "risk_level"}]}
"""

from __future__ import annotations

import json
import sys
import threading
import time
from datetime import UTC, datetime, timedelta, timezone

import psycopg
from psycopg.types.json import Jsonb

SHANGHAI = timezone(timedelta(hours=8))

PERSON = (
    "INSERT INTO governance_person (name, id_number, phone, birth_date, sex, address, created_at, updated_at) "
    "VALUES (%s, %s, %s, %s, %s, '', %s, %s) RETURNING id"
)
CASE = (
    "INSERT INTO governance_case (number, center_id, channel, service_line, category_id, risk_level, flag_urgent, "
    "flag_homicide_risk, flag_mass_incident, flag_threat_upward, flag_bypass_levels, headcount, summary, "
    "external_ref, first_handler_id, status, outcome, close_note, registered_at, registered_on, updated_at) "
    "VALUES (NULL, %s, %s, %s, %s, %s, false, false, false, false, false, 2, %s, '', %s, 'registered', '', '', "
    "%s, %s, %s) RETURNING id"
)
PARTIES = 'INSERT INTO governance_caseparty (case_id, person_id, role, "order") VALUES (%s, %s, %s, 0), (%s, %s, %s, 1)'
EVENT = "INSERT INTO governance_caseevent (case_id, kind, actor_id, at, message, data) VALUES (%s, 'registered', %s, %s, %s, %s)"
COUNTER = (
    "INSERT INTO governance_casecounter (scope, value) VALUES (%s, 1) "
    "ON CONFLICT (scope) DO UPDATE SET value = governance_casecounter.value + 1 RETURNING value"
)
NUMBER = "UPDATE governance_case SET number = %s WHERE id = %s"


def stat_sql(rows: int) -> str:
    values = ", ".join(["(%s, %s, %s, %s, %s, 1, 2)"] * rows)
    return (
        f"INSERT INTO governance_casestat (scope_id, period, day, dimension, key, cases, persons) VALUES {values} "
        "ON CONFLICT (scope_id, period, day, dimension, key) DO UPDATE SET "
        "cases = governance_casestat.cases + EXCLUDED.cases, persons = governance_casestat.persons + EXCLUDED.persons"
    )


def register(conn: psycopg.Connection, job: dict, item: dict) -> None:
    now = datetime.now(UTC)
    day = now.astimezone(SHANGHAI).date()
    applicant, respondent = item["applicant"], item["respondent"]
    keys = sorted(
        (scope, period, first, dimension, key)
        for scope in job["scope_ids"]
        for period, first in (("day", day), ("month", day.replace(day=1)))
        for dimension, key in (
            ("service_line", item["service_line"]),
            ("category", job["category_key"]),
            ("channel", item["channel"]),
            ("risk_level", item["risk_level"]),
            ("line_category", f"{item['service_line']}:{job['category_key']}"),
        )
    )
    with conn.transaction():
        a = conn.execute(
            PERSON,
            [
                applicant["name"],
                applicant["id_number"],
                applicant["phone"],
                applicant["birth_date"],
                applicant["sex"],
                now,
                now,
            ],
        ).fetchone()[0]
        r = conn.execute(PERSON, [respondent["name"], None, respondent["phone"], None, "", now, now]).fetchone()[0]
        case_id = conn.execute(
            CASE,
            [
                job["center_id"],
                item["channel"],
                item["service_line"],
                job["category_id"],
                item["risk_level"],
                item["summary"],
                job["handler_id"],
                now,
                day,
                now,
            ],
        ).fetchone()[0]
        conn.execute(PARTIES, [case_id, a, "applicant", case_id, r, "respondent"])
        conn.execute(EVENT, [case_id, job["handler_id"], now, "登记受理", Jsonb({})])
        conn.execute(stat_sql(len(keys)), [value for key in keys for value in key])
        value = conn.execute(COUNTER, [job["counter_scope"]]).fetchone()[0]
        conn.execute(NUMBER, [f"{job['counter_scope']}-{value:06d}", case_id])


def run(job: dict) -> dict:
    concurrency = max(1, int(job.get("concurrency", 1)))
    items = job["registrations"]
    warmup = int(job.get("warmup", 0))
    errors: list[str] = []
    latencies: list[float] = []
    lock = threading.Lock()

    with psycopg.connect(job["dsn"], autocommit=True) as conn:
        for item in items[:warmup]:
            register(conn, job, item)
    measured = items[warmup:]
    shares = [measured[i::concurrency] for i in range(concurrency)]
    ready = threading.Barrier(concurrency + 1)

    def worker(share):
        mine = []
        with psycopg.connect(job["dsn"], autocommit=True) as conn:
            ready.wait()
            for item in share:
                started = time.perf_counter()
                try:
                    register(conn, job, item)
                except Exception as exc:
                    with lock:
                        errors.append(str(exc))
                    continue
                mine.append(time.perf_counter() - started)
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=worker, args=(share,)) for share in shares]
    for thread in threads:
        thread.start()
    ready.wait()
    started = time.perf_counter()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    return {"latencies": latencies, "steps": [], "wall": wall, "errors": errors[:20], "error_count": len(errors)}


def main() -> None:
    json.dump(run(json.load(sys.stdin)), sys.stdout)


if __name__ == "__main__":
    main()
