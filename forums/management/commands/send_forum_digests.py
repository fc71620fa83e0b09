"""Queue the daily forum digests. Run once a day (deploy/academy-forum-digests.timer);
running it twice is harmless: a person is queued only when news waits for them and they
had no digest in the last hours, and each digest marks what it covered."""

from django.core.management.base import BaseCommand

from forums.digest import digests_enqueue_due


class Command(BaseCommand):
    help = "Queue a forum digest email for each daily-digest member with unread news waiting."

    def handle(self, *args, **options):
        queued = digests_enqueue_due()
        self.stdout.write(self.style.SUCCESS(f"{len(queued)} forum digest task(s) queued."))
