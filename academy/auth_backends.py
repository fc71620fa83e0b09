"""Authentication backends that load the signed-in person with their platform-wide roles.

Every request loads its user once; what academy.access and the two-factor middleware ask
on nearly every page (is this person a trainer? a facilitator anywhere, so two-factor
applies? have they an authenticator app?) comes in the same query, instead of up to
three more queries per request. academy.access reads the roles from the attributes it
already caches them under.
"""

from functools import cache

from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend
from allauth.mfa.models import Authenticator
from django.contrib.auth import backends
from django.contrib.auth.models import Group
from django.db import connection

from academy.choices import TRAINERS_GROUP_NAME, MembershipRole
from academy.models import Membership, User


@cache
def _user_with_roles_sql() -> str:
    """Written out once: the ORM's version of this query (two Exists annotations) cost
    more to compile on every request than the two queries it replaces."""
    q = connection.ops.quote_name
    user, user_groups = User._meta.db_table, User.groups.through._meta.db_table
    return (
        f"SELECT u.*,"
        f" EXISTS(SELECT 1 FROM {q(user_groups)} ug INNER JOIN {q(Group._meta.db_table)} g ON g.id = ug.group_id"
        f" WHERE ug.user_id = u.id AND g.name = %s) AS _academy_is_trainer,"
        f" EXISTS(SELECT 1 FROM {q(Membership._meta.db_table)} m WHERE m.user_id = u.id AND m.role = %s)"
        f" AS _academy_facilitates,"
        f" EXISTS(SELECT 1 FROM {q(Authenticator._meta.db_table)} a WHERE a.user_id = u.id AND a.type = %s)"
        f" AS _academy_has_totp"
        f" FROM {q(user)} u WHERE u.id = %s"
    )


def user_with_roles(user_id) -> User | None:
    try:
        user_id = int(user_id)
    except (TypeError, ValueError):
        return None
    params = [TRAINERS_GROUP_NAME, MembershipRole.FACILITATOR, Authenticator.Type.TOTP, user_id]
    found = list(User.objects.raw(_user_with_roles_sql(), params))
    if not found:
        return None
    user = found[0]
    for flag in ("_academy_is_trainer", "_academy_facilitates", "_academy_has_totp"):
        setattr(user, flag, bool(getattr(user, flag)))
    return user


class RolesMixin:
    def get_user(self, user_id):
        user = user_with_roles(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None


class ModelBackend(RolesMixin, backends.ModelBackend):
    pass


class AuthenticationBackend(RolesMixin, AllauthBackend):
    pass
