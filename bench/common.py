"""Shared plumbing of the benchmarks: the bench databases, the production-like environment, the
services (PostgreSQL, Redis) and Django set-up for the orchestrating process.

The bench never touches anybody else's database: it uses `gov_bench` (the record, 1,000,000
cases) and `gov_bench_quick` (everyday runs), and Redis database 5.
"""

from __future__ import annotations

import os
import secrets
import shutil
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
RESULTS = REPO / "bench" / "results"
PG_HOST = os.environ.get("BENCH_PG_HOST", "127.0.0.1")
PG_PORT = int(os.environ.get("BENCH_PG_PORT", "5432"))
PG_USER = os.environ.get("BENCH_PG_USER", "postgres")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/5")
FULL_DB = "gov_bench"
QUICK_DB = "gov_bench_quick"
PASSWORD = "demo12345"  # the demo users' password (seed_structure)

if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))


def database_url(name: str) -> str:
    return f"postgres://{PG_USER}@{PG_HOST}:{PG_PORT}/{name}"


def production_env(db_name: str, **extra: str) -> dict[str, str]:
    """The environment the app runs with in production (.env.example), adjusted for plain HTTP on
    loopback: no TLS redirect, no secure-only cookies, no HSTS."""
    env = dict(os.environ)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "governance.settings",
            "DEBUG": "false",
            "SECRET_KEY": env.get("BENCH_SECRET_KEY") or secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SECURE_SSL_REDIRECT": "false",
            "SESSION_COOKIE_SECURE": "false",
            "CSRF_COOKIE_SECURE": "false",
            "SECURE_HSTS_SECONDS": "0",
            "DATABASE_URL": database_url(db_name),
            "DATABASE_POOL": "true",
            "DATABASE_PARALLEL_WORKERS": "0",
            "CELERY_BROKER_URL": REDIS_URL,
            "CACHE_URL": REDIS_URL,
            "LOG_LEVEL": "WARNING",
            "VAR_DIR": str(RESULTS / "var"),
            "PYTHONPATH": str(REPO),
        }
    )
    env.update(extra)
    return env


def _run(cmd: list[str], **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, check=False, capture_output=True, text=True, **kwargs)


def ensure_services() -> None:
    """PostgreSQL and Redis on loopback, started the way .ci/run starts them when they are down."""
    if _run(["pg_isready", "-q", "-h", PG_HOST, "-p", str(PG_PORT)]).returncode != 0:
        versions = sorted(os.listdir("/etc/postgresql")) if os.path.isdir("/etc/postgresql") else []
        if versions:
            _run(["pg_ctlcluster", "--skip-systemctl-redirect", versions[0], "main", "start"])
    if _run(["redis-cli", "-h", "127.0.0.1", "-p", "6379", "ping"]).returncode != 0 and shutil.which("redis-server"):
        os.makedirs("/var/lib/redis", exist_ok=True)
        _run(["redis-server", "--daemonize", "yes", "--bind", "127.0.0.1", "--port", "6379", "--save", ""])
    for _ in range(30):
        pg = _run(["pg_isready", "-q", "-h", PG_HOST, "-p", str(PG_PORT)]).returncode == 0
        redis = _run(["redis-cli", "-h", "127.0.0.1", "-p", "6379", "ping"]).returncode == 0
        if pg and redis:
            return
        time.sleep(1)
    raise SystemExit("PostgreSQL or Redis is not reachable on 127.0.0.1 (see docs/PERFORMANCE.md)")


def _admin_connection():
    import psycopg

    return psycopg.connect(host=PG_HOST, port=PG_PORT, user=PG_USER, dbname="postgres", autocommit=True)


def database_exists(name: str) -> bool:
    with _admin_connection() as conn:
        return conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is not None


def ensure_database(name: str, *, fresh: bool = False) -> None:
    from psycopg import sql

    if name not in (FULL_DB, QUICK_DB) and not name.startswith("gov_bench"):
        raise SystemExit(f"refusing to use database {name!r}: the bench only uses gov_bench*")
    with _admin_connection() as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and fresh:
            conn.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name)))
            exists = None
        if not exists:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def django_setup(db_name: str) -> None:
    """Configure this process for the bench database (production settings) and start Django."""
    os.environ.update(production_env(db_name, DATABASE_POOL="false"))
    import django

    django.setup()


def machine() -> dict[str, str]:
    """Date, cores, memory and PostgreSQL version, for the record."""
    import platform

    import psutil

    info = {
        "date": time.strftime("%Y-%m-%d %H:%M %Z"),
        "cpus": str(os.cpu_count()),
        "cpu": platform.processor() or platform.machine(),
        "ram_gb": f"{psutil.virtual_memory().total / 2**30:.0f}",
        "python": platform.python_version(),
    }
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as cpuinfo:
            for line in cpuinfo:
                if line.startswith("model name"):
                    info["cpu"] = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    try:
        with _admin_connection() as conn:
            info["postgresql"] = conn.execute("SHOW server_version").fetchone()[0]
            info["shared_buffers"] = conn.execute("SHOW shared_buffers").fetchone()[0]
    except Exception as exc:  # the table still prints without it
        info["postgresql"] = f"unknown ({exc})"
    info["load_before"] = " ".join(f"{x:.2f}" for x in os.getloadavg())
    return info
