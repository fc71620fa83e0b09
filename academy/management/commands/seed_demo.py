"""`manage.py seed_demo`: load the demo data (safe to run again)."""

from django.core.management.base import BaseCommand

from academy import demo


class Command(BaseCommand):
    help = "Create or update the demo programmes, cohorts, organisations and people. Idempotent."

    def handle(self, *args, **options):
        counts = demo.seed()
        summary = ", ".join(f"{count} {name}" for name, count in counts.items())
        self.stdout.write(self.style.SUCCESS(f"Demo data ready: {summary}."))
        self.stdout.write(
            "Sign in as facilitator.kh@example.org (or any documented account) "
            f"with the DEMO_PASSWORD (default: {demo.DEFAULT_DEMO_PASSWORD})."
        )
