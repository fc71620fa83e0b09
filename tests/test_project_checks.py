"""The house rules CI enforces: system checks, migrations in step with models, ruff."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parent.parent


def test_django_system_checks_pass_without_warnings():
    call_command("check", fail_level="WARNING")


@pytest.mark.django_db
def test_models_and_migrations_are_in_step():
    call_command("makemigrations", check=True, dry_run=True, verbosity=0)


def ruff(*args: str) -> subprocess.CompletedProcess:
    executable = shutil.which("ruff", path=str(Path(sys.executable).parent)) or shutil.which("ruff")
    assert executable, "ruff is not installed (it is in requirements-dev.txt)"
    return subprocess.run([executable, *args], cwd=ROOT, capture_output=True, text=True, timeout=120)


def test_the_code_passes_ruff_lint():
    result = ruff("check", ".")
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_code_is_ruff_formatted():
    result = ruff("format", "--check", ".")
    assert result.returncode == 0, result.stdout + result.stderr


# The feature apps the design names, and any other app with an apps.py beside academy.
PLANNED_FEATURE_APPS = {"courses", "roundtables", "forums", "plans", "reports"}


def imported_top_level_package(line: str) -> str | None:
    words = line.split()
    if len(words) >= 2 and words[0] in {"import", "from"}:
        return words[1].split(".")[0]
    return None


def test_the_import_reader_finds_the_package_a_line_imports():
    assert imported_top_level_package("from courses.selectors import lesson_for") == "courses"
    assert imported_top_level_package("    import forums.models") == "forums"
    assert imported_top_level_package("x = 1") is None


def test_the_core_never_imports_a_feature_app():
    """academy is the floor: feature apps import it, never the other way round."""
    feature_apps = PLANNED_FEATURE_APPS | {
        path.parent.name for path in ROOT.glob("*/apps.py") if path.parent.name != "academy"
    }
    sources = list((ROOT / "academy").rglob("*.py"))
    assert len(sources) > 10
    offenders = [
        f"{source.relative_to(ROOT)}: {line.strip()}"
        for source in sources
        for line in source.read_text().splitlines()
        if imported_top_level_package(line.strip()) in feature_apps
    ]
    assert offenders == []


def imported_module(line: str) -> str | None:
    words = line.split()
    if len(words) >= 2 and words[0] in {"import", "from"}:
        return words[1]
    return None


def test_feature_apps_read_each_other_only_through_selectors():
    """A feature app may import another feature app's `selectors` module and nothing else
    of it (models, services, access and views stay private to their app)."""
    feature_apps = {path.parent.name for path in ROOT.glob("*/apps.py") if path.parent.name != "academy"}
    offenders = []
    for app in sorted(feature_apps):
        for source in (ROOT / app).rglob("*.py"):
            for line in source.read_text().splitlines():
                module = imported_module(line.strip())
                if module is None or module.split(".")[0] not in feature_apps - {app}:
                    continue
                # `from courses.selectors import x`, or `from courses import selectors [as y]`
                submodule = module.split(".")[1:2] or line.split(" import ", 1)[-1].split()[:1]
                if submodule != ["selectors"]:
                    offenders.append(f"{source.relative_to(ROOT)}: {line.strip()}")
    assert offenders == []
