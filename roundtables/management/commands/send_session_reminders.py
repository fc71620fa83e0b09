"""Queue the reminder emails that are due. Run every five minutes
(deploy/academy-reminders.timer); running it more often or twice is harmless."""

from django.core.management.base import BaseCommand

from roundtables.services import reminders_enqueue_due


class Command(BaseCommand):
    help = "Queue reminder emails for sessions starting within 24 hours or within the hour."

    def handle(self, *args, **options):
        queued = reminders_enqueue_due()
        for session_id, kind in queued:
            self.stdout.write(f"queued {kind} reminders for session {session_id}")
        self.stdout.write(self.style.SUCCESS(f"{len(queued)} reminder task(s) queued."))
