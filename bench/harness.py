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


def paired_throughput(
    baseline: Callable[[], object], measured: Callable[[], object], *, seconds: float = 0.6, rounds: int = 21
) -> tuple[float, float, float]:
    """Requests per second of both, measured in short alternating windows, so that a
    change in the machine's load affects the two alike. Returns the median rate of each
    and the median of the per-round ratios (measured / baseline), which is steadier on a
    shared machine than the ratio of the medians."""
    for _ in range(20):
        baseline()
        measured()
    rates: tuple[list[float], list[float]] = ([], [])
    for _ in range(rounds):
        for index, call in enumerate((baseline, measured)):
            count, start = 0, time.perf_counter()
            while time.perf_counter() - start < seconds:
                call()
                count += 1
            rates[index].append(count / (time.perf_counter() - start))
    ratios = [m / b for b, m in zip(*rates, strict=True)]
    return statistics.median(rates[0]), statistics.median(rates[1]), statistics.median(ratios)


def report(figures: dict) -> None:
    """Print the result as one JSON object on the last line."""
    print(json.dumps(figures, sort_keys=True))
