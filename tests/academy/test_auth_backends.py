"""The signed-in person is loaded with their roles in one query (academy.auth_backends)."""

from academy import access
from academy.auth_backends import ModelBackend, user_with_roles


def test_roles_come_with_the_user(facilitator_a, trainer, participant_a, django_assert_num_queries):
    with django_assert_num_queries(1):
        loaded = user_with_roles(facilitator_a.pk)
        assert access.is_facilitator_anywhere(loaded) and not access.is_trainer(loaded)
        assert loaded._academy_has_totp is True  # the fixture gives facilitators an authenticator
    with django_assert_num_queries(1):
        loaded = user_with_roles(trainer.pk)
        assert access.is_trainer(loaded) and not access.is_facilitator_anywhere(loaded)
    with django_assert_num_queries(1):
        loaded = user_with_roles(participant_a.pk)
        assert not access.is_trainer(loaded) and not access.requires_mfa(loaded)
        assert loaded.email == participant_a.email and loaded.display_name == participant_a.display_name


def test_unknown_malformed_or_inactive_ids_load_no_one(participant_a, db):
    assert user_with_roles(10**9) is None
    assert user_with_roles("not-a-number") is None
    participant_a.is_active = False
    participant_a.save(update_fields=["is_active"])
    assert ModelBackend().get_user(participant_a.pk) is None
