"""What the bench scripts share: the database they run on, the machine line, and timing a page through the
Django test client (median time and query count)."""

import os
import platform
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / "bench" / ".cache"
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings_test")
# Without DATABASE_URL the bench runs on its own SQLite file, kept (seeded) between runs.
os.environ.setdefault("DATABASE_URL", f"sqlite:///{CACHE / 'bench.sqlite3'}")
CACHE.mkdir(parents=True, exist_ok=True)

RUNS = int(os.environ.get("BENCH_RUNS", "7"))


def setup() -> None:
    import django

    django.setup()


def machine() -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
            database = f"PostgreSQL {cursor.fetchone()[0]}"
        else:
            cursor.execute("SELECT sqlite_version()")
            database = f"SQLite {cursor.fetchone()[0]}"
    return (f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} · {os.cpu_count()} CPUs "
            f"({platform.processor() or platform.machine()}) · Python {platform.python_version()} · {database}")


def measure(call, runs: int = RUNS) -> tuple[float, int]:
    """(median milliseconds, queries of one call): one warm-up call, then `runs` timed calls."""
    from django.db import connection

    queries = []

    def count(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        call()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        call()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), len(queries)


def row(label: str, ms: float, queries: int | None = None, note: str = "") -> str:
    counted = f"{queries:>4} queries" if queries is not None else " " * 12
    return f"  {label:<46} {ms:>9.1f} ms  {counted}  {note}".rstrip()


if __name__ == "__main__":
    setup()
    print(f"Machine: {machine()}")
