"""Demo data of the courses app, run by `manage.py seed_demo` (settings.ACADEMY_DEMO_SEEDERS)."""

from academy.choices import TRAINERS_GROUP_NAME
from academy.models import User
from courses.authoring import SENIOR_TRAINERS_GROUP_NAME, setup_course_authoring


def seed() -> dict[str, int]:
    from django.contrib.auth.models import Group

    setup_course_authoring()
    Group.objects.get(name=TRAINERS_GROUP_NAME).user_set.add(*User.objects.filter(email="trainer@example.org"))
    Group.objects.get(name=SENIOR_TRAINERS_GROUP_NAME).user_set.add(
        *User.objects.filter(email="trainer.senior@example.org")
    )
    return {}
