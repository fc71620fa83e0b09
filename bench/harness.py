"""Shared set-up for benchmarks: a fresh test database and a timing loop.

Benchmarks run in one process: the baseline and the measured page share the database,
the middleware and the machine's load, so their ratio is what is compared, not seconds.
"""

import json
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "academy.settings.test")
    import django

    django.setup()
    from django.db import connection

    # No setup_test_environment(): its instrumented template rendering would slow the
    # pages under test and distort the ratio.
    connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)


def throughput(call: Callable[[], object], *, seconds: float = 3.0, rounds: int = 3) -> float:
    """Median requests per second over `rounds` timed windows, after a warm-up."""
    for _ in range(20):
        call()
    results = []
    for _ in range(rounds):
        count, start = 0, time.perf_counter()
        while time.perf_counter() - start < seconds:
            call()
            count += 1
        results.append(count / (time.perf_counter() - start))
    return statistics.median(results)


def paired_throughput(
    baseline: Callable[[], object], measured: Callable[[], object], *, seconds: float = 2.0, rounds: int = 5
) -> tuple[float, float]:
    """Median requests per second of both, measured in alternating windows so that a
    change in the machine's load during the run affects the two alike."""
    for _ in range(20):
        baseline()
        measured()
    results: dict[int, list[float]] = {0: [], 1: []}
    for _ in range(rounds):
        for index, call in enumerate((baseline, measured)):
            count, start = 0, time.perf_counter()
            while time.perf_counter() - start < seconds:
                call()
                count += 1
            results[index].append(count / (time.perf_counter() - start))
    return statistics.median(results[0]), statistics.median(results[1])


def report(figures: dict) -> None:
    """Print the result as one JSON object on the last line."""
    print(json.dumps(figures, sort_keys=True))
