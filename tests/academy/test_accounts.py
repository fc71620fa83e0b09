"""Accounts through allauth: sign-up with a code, sign-in by email, password reset,
email change, rate limits, the signed-in language, and how the pages look."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse

from academy.choices import StakeholderGroup
from academy.models import User
from tests.factories import TEST_PASSWORD, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "river lanterns at dusk 2026"
WRONG_CREDENTIALS = "The email address and/or password you specified are not correct."
TOO_MANY_ATTEMPTS = "Too many failed login attempts. Try again later."


def sign_in(client, email, password=TEST_PASSWORD):
    return client.post(reverse("account_login"), {"login": email, "password": password})


def signed_in_user_id(client):
    return client.session.get("_auth_user_id")


def emailed_code():
    """The verification code (like "KSCB-VVTT") on a line of its own in the last email sent."""
    return re.search(r"^([A-Z0-9]{4}-[A-Z0-9]{4})$", mail.outbox[-1].body, re.MULTILINE).group(1)


def emailed_link():
    return re.search(r"https?://\S+", mail.outbox[-1].body).group(0)


def enter_code(client, code):
    return client.post(reverse("account_email_verification_sent"), {"code": code})


def sign_up(client, **overrides):
    data = {
        "email": "sokha.chan@example.org",
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
        "display_name": "Sokha Chan",
        "stakeholder_group": StakeholderGroup.TRADE_UNION,
        "organisation": "",
        "country": "KH",
    } | overrides
    return client.post(reverse("account_signup"), data)


# ------------------------------------------------------------------------------
# Sign-up
# ------------------------------------------------------------------------------
def test_signup_without_a_stakeholder_group_asks_for_one_and_keeps_what_was_typed(client, mailoutbox):
    response = sign_up(client, stakeholder_group="")

    assert response.status_code == 200
    assert response.context["form"].errors["stakeholder_group"]
    assert 'value="Sokha Chan"' in response.content.decode()
    assert not User.objects.filter(email="sokha.chan@example.org").exists()
    assert mailoutbox == []


def test_signup_asks_for_email_password_name_and_stakeholder_group_but_no_username(client):
    response = client.get(reverse("account_signup"))

    fields = response.context["form"].fields
    assert {"email", "password1", "password2", "display_name", "stakeholder_group"} <= set(fields)
    assert "username" not in fields
    assert 'name="username"' not in response.content.decode()


def test_new_account_is_not_signed_in_until_the_emailed_code_is_entered(client):
    response = sign_up(client)

    assert response.status_code == 302
    assert response.url == reverse("account_email_verification_sent")
    assert signed_in_user_id(client) is None
    assert mail.outbox[-1].to == ["sokha.chan@example.org"]
    assert client.get(reverse("dashboard")).status_code == 302

    enter_code(client, emailed_code())

    user = User.objects.get(email="sokha.chan@example.org")
    assert signed_in_user_id(client) == str(user.pk)
    assert EmailAddress.objects.get(user=user).verified
    assert client.get(reverse("dashboard")).status_code == 200


def test_a_wrong_verification_code_does_not_sign_in(client):
    sign_up(client)
    wrong = "ZZZZ-ZZZZ" if emailed_code() != "ZZZZ-ZZZZ" else "YYYY-YYYY"

    response = enter_code(client, wrong)

    assert response.status_code == 200
    assert response.context["form"].errors
    assert signed_in_user_id(client) is None


def test_signup_saves_name_stakeholder_group_organisation_and_country(client):
    union = OrganisationFactory(name="Federation of Apparel Workers", kind="union")

    sign_up(client, display_name="  Sokha Chan ", organisation=union.pk)

    user = User.objects.get(email="sokha.chan@example.org")
    assert user.display_name == "Sokha Chan"
    assert user.stakeholder_group == StakeholderGroup.TRADE_UNION
    assert user.organisation == union
    assert user.country == "KH"


# ------------------------------------------------------------------------------
# Sign-in
# ------------------------------------------------------------------------------
def test_sign_in_is_by_email_address(client, participant_a):
    response = sign_in(client, participant_a.email)

    assert response.status_code == 302
    assert response.url == reverse("dashboard")
    assert signed_in_user_id(client) == str(participant_a.pk)


def test_a_wrong_password_gives_a_clear_form_error(client, participant_a):
    response = sign_in(client, participant_a.email, "not the password")

    assert response.status_code == 200
    assert signed_in_user_id(client) is None
    html = response.content.decode()
    assert WRONG_CREDENTIALS in html
    assert '<div class="form-errors" role="alert">' in html


def test_an_unverified_address_cannot_sign_in_and_gets_a_code_instead(client):
    user = UserFactory(email="new.member@example.org", verified_email=False)
    EmailAddress.objects.create(user=user, email=user.email, verified=False, primary=True)

    response = sign_in(client, user.email)

    assert response.url == reverse("account_email_verification_sent")
    assert signed_in_user_id(client) is None
    assert mail.outbox[-1].to == [user.email]
    assert emailed_code()


# ------------------------------------------------------------------------------
# Password reset
# ------------------------------------------------------------------------------
def test_password_reset_request_sends_a_link_by_email(client, participant_a):
    response = client.post(reverse("account_reset_password"), {"email": participant_a.email})

    assert response.url == reverse("account_reset_password_done")
    assert mail.outbox[-1].to == [participant_a.email]
    assert "/accounts/password/reset/key/" in emailed_link()


def test_the_reset_link_sets_a_new_password_that_signs_in(client, participant_a):
    client.post(reverse("account_reset_password"), {"email": participant_a.email})
    form_url = client.get(emailed_link()).url  # allauth moves the key into the session

    response = client.post(form_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})

    assert response.url == reverse("account_reset_password_from_key_done")
    assert sign_in(client, participant_a.email, TEST_PASSWORD).status_code == 200
    assert sign_in(client, participant_a.email, NEW_PASSWORD).url == reverse("dashboard")


# ------------------------------------------------------------------------------
# Changing the email address (ACCOUNT_CHANGE_EMAIL: one address, replaced once verified)
# ------------------------------------------------------------------------------
def test_a_new_address_gets_a_code_and_the_old_one_stays_until_it_is_entered(client, participant_a):
    sign_in(client, participant_a.email)

    response = client.post(reverse("account_email"), {"action_add": "", "email": "vannak.heng@example.org"})

    assert response.url == reverse("account_email_verification_sent")
    assert mail.outbox[-1].to == ["vannak.heng@example.org"]
    participant_a.refresh_from_db()
    assert participant_a.email == "inspector.a@example.org"
    assert EmailAddress.objects.get(user=participant_a, primary=True).email == "inspector.a@example.org"


def test_an_invalid_new_address_is_announced_next_to_the_field(client, participant_a):
    sign_in(client, participant_a.email)

    html = client.post(reverse("account_email"), {"action_add": "", "email": "not-an-address"}).content.decode()

    assert 'aria-invalid="true" aria-describedby="id_email_error"' in html
    assert '<div id="id_email_error"><p class="error" role="alert">' in html


def test_entering_the_code_replaces_the_old_address_with_the_new_one(client, participant_a):
    sign_in(client, participant_a.email)
    client.post(reverse("account_email"), {"action_add": "", "email": "vannak.heng@example.org"})

    enter_code(client, emailed_code())

    participant_a.refresh_from_db()
    assert participant_a.email == "vannak.heng@example.org"
    assert list(EmailAddress.objects.filter(user=participant_a).values_list("email", "primary", "verified")) == [
        ("vannak.heng@example.org", True, True)
    ]
    client.logout()
    assert sign_in(client, "inspector.a@example.org").status_code == 200
    assert sign_in(client, "vannak.heng@example.org").url == reverse("dashboard")


# ------------------------------------------------------------------------------
# Rate limits
# ------------------------------------------------------------------------------
def test_after_five_failed_sign_ins_an_account_is_locked_even_for_the_right_password(client, participant_a):
    for _ in range(5):
        assert WRONG_CREDENTIALS in sign_in(client, participant_a.email, "guess").content.decode()

    response = sign_in(client, participant_a.email)

    assert TOO_MANY_ATTEMPTS in response.content.decode()
    assert signed_in_user_id(client) is None


def test_a_flood_of_sign_in_attempts_from_one_address_is_answered_with_429(client, participant_a):
    responses = [sign_in(client, f"guess{n}@example.org", "guess") for n in range(31)]

    assert [response.status_code for response in responses[:30]] == [200] * 30
    assert responses[30].status_code == 429
    assert "Wait a few minutes, then try again." in responses[30].content.decode()  # the site's own page


# ------------------------------------------------------------------------------
# Language
# ------------------------------------------------------------------------------
def test_the_preferred_language_applies_as_soon_as_the_person_signs_in(client):
    user = UserFactory(preferred_language="fr")

    response = client.post(reverse("account_login"), {"login": user.email, "password": TEST_PASSWORD}, follow=True)

    assert response.request["PATH_INFO"] == reverse("dashboard")
    assert '<html lang="fr"' in response.content.decode()


# ------------------------------------------------------------------------------
# The pages look like the site
# ------------------------------------------------------------------------------
def assert_site_page(response):
    """Inside the site's layout, with no button left in allauth's bare markup."""
    html = response.content.decode()
    assert response.status_code == 200
    assert 'class="site-header"' in html
    assert 'class="narrow account-page"' in html
    assert not re.search(r"<button(?![^>]*\bclass=)", html)
    return html


def assert_site_form_page(response):
    """A site page whose allauth form ends in the site's row of .button actions."""
    html = assert_site_page(response)
    assert re.search(r'<div class="actions">\s*(<div class="button-group">\s*)?<button class="button[ "]', html)
    return html


@pytest.mark.parametrize(
    "url_name",
    ["account_login", "account_signup", "account_reset_password"],
)
def test_entrance_forms_use_the_site_layout(client, url_name):
    assert_site_form_page(client.get(reverse(url_name)))


def test_the_reset_email_sent_page_uses_the_site_layout(client):
    assert_site_page(client.get(reverse("account_reset_password_done")))


def test_login_fields_have_visible_labels_tied_to_their_inputs(client):
    html = assert_site_page(client.get(reverse("account_login")))

    for name in ("login", "password"):
        assert f'<label for="id_{name}">' in html
        assert f'id="id_{name}"' in html


def test_signup_shows_the_programme_fields_with_their_help(client):
    html = assert_site_page(client.get(reverse("account_signup")))

    assert '<label for="id_stakeholder_group">' in html
    assert "As the other members of your cohort will see it." in html


def test_the_code_page_after_signup_uses_the_site_layout(client):
    sign_up(client)

    html = assert_site_form_page(client.get(reverse("account_email_verification_sent")))

    assert '<label for="id_code">' in html
    assert 'class="button button-secondary"' in html  # "Request new code" and "Cancel"


def test_password_reset_form_from_the_emailed_link_uses_the_site_layout(client, participant_a):
    client.post(reverse("account_reset_password"), {"email": participant_a.email})

    html = assert_site_form_page(client.get(emailed_link(), follow=True))

    assert '<label for="id_password1">' in html


@pytest.mark.parametrize(
    "url_name",
    ["account_email", "account_change_password", "account_logout", "account_reauthenticate"],
)
def test_account_management_pages_use_the_site_layout(client, participant_a, url_name):
    sign_in(client, participant_a.email)

    assert_site_form_page(client.get(reverse(url_name)))


def test_a_field_error_is_announced_next_to_its_field(client, participant_a):
    sign_in(client, participant_a.email)

    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": "not it", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )

    html = assert_site_form_page(response)
    assert re.search(r'<div class="field field-error">\s*<label for="id_oldpassword">', html)
    assert '<p class="error" role="alert">' in html


def test_every_description_an_input_points_to_exists(client):
    html = sign_up(client, display_name="", password2="different").content.decode()

    described_by = {ref for refs in re.findall(r'aria-describedby="([^"]+)"', html) for ref in refs.split()}
    assert described_by
    assert {ref for ref in described_by if f'id="{ref}"' not in html} == set()
