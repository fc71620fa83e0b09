"""`manage.py seed_demo`: load the demo data (safe to run again)."""

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils.module_loading import import_string

from academy import demo


class Command(BaseCommand):
    help = "Create or update the demo programmes, cohorts, organisations and people. Idempotent."

    def handle(self, *args, **options):
        counts = demo.seed()
        for path in settings.ACADEMY_DEMO_SEEDERS:  # feature apps' demo data
            counts.update(import_string(path)())
        summary = ", ".join(f"{count} {name}" for name, count in counts.items())
        self.stdout.write(self.style.SUCCESS(f"Demo data ready: {summary}."))
        self.stdout.write(
            "Sign in as facilitator.kh@example.org (or any documented account) "
            f"with the DEMO_PASSWORD (default: {demo.DEFAULT_DEMO_PASSWORD})."
        )
