"""`manage.py setup_course_authoring`: the Trainers and Senior trainers groups, their
rights on the course tree, and the "Course review" workflow. Safe to run again."""

from django.core.management.base import BaseCommand

from courses.authoring import setup_course_authoring


class Command(BaseCommand):
    help = "Create or repair the course catalogue, trainer groups and the course review workflow."

    def handle(self, *args, **options):
        catalogue = setup_course_authoring()
        self.stdout.write(self.style.SUCCESS(f"Course authoring ready on “{catalogue.title}” ({catalogue.url})."))
