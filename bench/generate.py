#!/usr/bin/env python3
"""Fill a PostgreSQL database with a realistic city for the benchmarks.

    .venv/bin/python bench/generate.py --cases 1000000            # the record (database gov_bench)
    .venv/bin/python bench/generate.py --cases 20000 --db gov_bench_quick

1 county, 12 townships, 150 villages, 1,800 grids, 26 county departments (and each township's
司法所 and 派出所), N cases over two years with ~1.5 dispatches per case, every deadline row and
timeline event, recurring persons, walk-in visits, and the other centers' share (petitions, grid
events, mediation files) from the generators the apps register. Written with COPY by
`governance.demo.generator.CaseGenerator` (the same generator as `seed_demo`, with the city's
parameters). Running it again tops up to N cases; `--fresh` starts from an empty database.

At the end it runs ANALYZE and the invariant check of `manage.py rebuild_stats --check-only`
(the dashboard's totals equal direct counts of the ledger) and prints both.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import common

# The city (issue 5): 12 townships × 12.5 villages, 1,800 grids, two years of history.
TOWNSHIPS = 12
VILLAGES = 150
GRIDS = 1800
DAYS = 730
# ~1.5 dispatches per case: 90 % of cases are dispatched (the rest are settled at the window),
# 60 % of those jointly to a second department, ~3 % are rejected and re-dispatched.
DISPATCH_SHARE = 0.9
JOINT_SHARE = 0.6


def seed_city(password: str):
    """The demo structure (seed_structure and every app's registered structure seeder) for the
    city's 150 villages and 1,800 grids."""
    from dataclasses import replace

    from django.apps import apps

    from governance.demo import structure as demo_structure
    from governance.models import Center, CenterLevel
    from governance.registry import demo_structure_seeders

    if apps.is_installed("grids"):
        # grids/demo.py makes GRIDS_PER_VILLAGE grids under each village (3 for the demo); the
        # city has 1,800 grids over 150 villages. A module setting, not a parameter, so set here.
        import grids.demo

        grids.demo.GRIDS_PER_VILLAGE = GRIDS // VILLAGES
    per_township = VILLAGES // TOWNSHIPS
    result = demo_structure.seed_structure(password=password, villages_per_township=per_township)
    extra = VILLAGES - per_township * TOWNSHIPS  # 150 = 12 × 12 + 6: six townships have a 13th
    for township in result.townships[:extra]:
        code = f"{township.code}{per_township + 1:02d}"
        if not Center.objects.filter(code=code).exists():
            township.refresh_from_db()
            stem = township.name.removesuffix("综治中心")
            Center.objects.add_child(
                township, {"code": code, "name": f"{stem}第{per_township + 1}村", "level": CenterLevel.VILLAGE}
            )
    # the apps' seeders again, now with every village (they are idempotent)
    villages = list(Center.objects.filter(level=CenterLevel.VILLAGE).order_by("code"))
    if len(villages) > len(result.villages):
        result = replace(result, villages=villages)
        for seed in demo_structure_seeders():
            seed(result, password)
    return result


def analyze() -> float:
    from django.db import connection

    started = time.monotonic()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE)")
    return time.monotonic() - started


def table_sizes() -> list[tuple[str, int, str]]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT c.relname, c.reltuples::bigint, pg_size_pretty(pg_total_relation_size(c.oid))
               FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
               WHERE n.nspname = 'public' AND c.relkind = 'r' AND c.reltuples > 1000
               ORDER BY c.reltuples DESC"""
        )
        return cursor.fetchall()


def generate(*, db: str, cases: int, fresh: bool = False, seed: int = 2026, check: bool = True) -> int:
    common.ensure_services()
    common.ensure_database(db, fresh=fresh)
    common.django_setup(db)
    from django.core.management import call_command
    from django.db import connection
    from tqdm import tqdm

    from governance.demo.generator import DEMO_REF, CaseGenerator
    from governance.models import Case

    timings: dict[str, float] = {}
    started = time.monotonic()
    call_command("migrate", verbosity=0, interactive=False)
    timings["migrate"] = time.monotonic() - started

    started = time.monotonic()
    city = seed_city(common.PASSWORD)
    timings["structure"] = time.monotonic() - started
    from governance.models import Center

    grids = ""
    from django.apps import apps

    if apps.is_installed("grids"):
        from grids.models import Grid

        grids = f"，网格 {Grid.objects.filter(level='grid').count():,} 个"
    print(
        f"城市：{city.county.name}，{len(city.townships)} 个乡镇，"
        f"{Center.objects.filter(level='village').count()} 个村（社区），入驻部门 {len(city.departments)} 个{grids}"
    )

    existing = Case.objects.filter(external_ref__startswith=DEMO_REF).count()
    missing = max(0, cases - existing)
    if missing:
        started = time.monotonic()
        with tqdm(total=missing, desc="生成案件", unit="件", mininterval=2, file=sys.stdout) as bar:
            generator = CaseGenerator(
                count=missing,
                days=DAYS,
                seed=seed,
                progress=bar.update,
                dispatch_share=DISPATCH_SHARE,
                joint_share=JOINT_SHARE,
                defer_indexes=True,
            )
            report = generator.run()
        timings["generate"] = time.monotonic() - started
        print(
            f"生成案件 {report.cases:,}（当事人 {report.persons:,}，派单 {report.dispatches:,}，"
            f"时限 {report.deadlines:,}，时间线 {report.events:,}，来访 {report.visits:,}）"
            f"，用时 {timings['generate']:.0f} 秒"
        )
        for name, seconds in sorted(getattr(report, "phases", {}).items(), key=lambda kv: -kv[1]):
            print(f"  {name:<24} {seconds:8.1f} s")
    else:
        print(f"已有案件 {existing:,} 件，不再生成")

    started = time.monotonic()
    timings["analyze"] = analyze()
    print(f"VACUUM ANALYZE 用时 {timings['analyze']:.0f} 秒")
    for table, rows, size in table_sizes():
        print(f"  {table:<36} {rows:>12,} 行  {size}")
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
        print(f"数据库大小 {cursor.fetchone()[0]}")

    status = 0
    if check:
        started = time.monotonic()
        print("核对：manage.py rebuild_stats --check-only（仪表盘统计 = 台账直接计数）")
        try:
            call_command("rebuild_stats", check_only=True)
        except SystemExit as exc:
            status = int(exc.code or 1)
        timings["check"] = time.monotonic() - started
        print(f"核对用时 {timings['check']:.0f} 秒：{'一致' if status == 0 else '不一致'}")
    print("用时：" + "，".join(f"{name} {seconds:.0f} 秒" for name, seconds in timings.items()))
    return status


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, required=True, help="cases on the ledger when done")
    parser.add_argument("--db", default=common.FULL_DB, help=f"database (default {common.FULL_DB})")
    parser.add_argument("--fresh", action="store_true", help="drop and recreate the database first")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--no-check", action="store_true", help="skip the rollup check at the end")
    args = parser.parse_args()
    sys.exit(generate(db=args.db, cases=args.cases, fresh=args.fresh, seed=args.seed, check=not args.no_check))


if __name__ == "__main__":
    main()
