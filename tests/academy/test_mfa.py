"""Two-factor authentication: activating an authenticator app, the code step at sign-in,
recovery codes, and who must set it up before doing anything else."""

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import (
    SECRET_SESSION_KEY,
)
from django.urls import reverse

from academy.choices import MembershipRole
from tests.academy.test_accounts import (
    assert_site_form_page,
    assert_site_page,
    sign_in,
    signed_in_user_id,
)
from tests.factories import TEST_PASSWORD, MembershipFactory, UserFactory, give_totp, totp_code

pytestmark = pytest.mark.django_db

ACTIVATE_URL = reverse("mfa_activate_totp")


def another_code(code):
    return f"{(int(code) + 1) % 1_000_000:06d}"


def enter_mfa_code(client, code):
    return client.post(reverse("mfa_authenticate"), {"code": code})


def sign_in_for_security_settings(client, user, secret=None):
    """Sign in (with the app code if there is an app), then confirm the password again:
    allauth asks for that before any change to two-factor, however recent the sign-in."""
    sign_in(client, user.email)
    if secret:
        enter_mfa_code(client, totp_code(secret))
    client.post(reverse("account_reauthenticate"), {"password": TEST_PASSWORD})


@pytest.fixture
def member_with_app(participant_a):
    """A participant who turned on an authenticator app; returns (user, secret)."""
    return participant_a, give_totp(participant_a)


# ------------------------------------------------------------------------------
# Activating an authenticator app
# ------------------------------------------------------------------------------
def test_activation_page_shows_the_qr_code_and_the_secret(client, participant_a):
    sign_in_for_security_settings(client, participant_a)

    html = assert_site_form_page(client.get(ACTIVATE_URL))

    assert 'src="data:image/svg+xml;base64,' in html
    assert 'href="otpauth://totp/' in html
    assert client.session[SECRET_SESSION_KEY] in html


def test_activating_with_the_right_code_turns_on_the_app_and_recovery_codes(client, participant_a):
    sign_in_for_security_settings(client, participant_a)
    client.get(ACTIVATE_URL)

    response = client.post(ACTIVATE_URL, {"code": totp_code(client.session[SECRET_SESSION_KEY])})

    assert response.url == reverse("mfa_view_recovery_codes")
    types = set(Authenticator.objects.filter(user=participant_a).values_list("type", flat=True))
    assert types == {Authenticator.Type.TOTP, Authenticator.Type.RECOVERY_CODES}


def test_activating_with_a_wrong_code_is_refused(client, participant_a):
    sign_in_for_security_settings(client, participant_a)
    client.get(ACTIVATE_URL)

    response = client.post(ACTIVATE_URL, {"code": another_code(totp_code(client.session[SECRET_SESSION_KEY]))})

    assert response.status_code == 200
    assert response.context["form"].errors["code"]
    assert not Authenticator.objects.filter(user=participant_a).exists()


# ------------------------------------------------------------------------------
# Signing in with an authenticator app
# ------------------------------------------------------------------------------
def test_sign_in_asks_for_the_app_code_before_the_person_is_signed_in(client, member_with_app):
    user, _ = member_with_app

    response = sign_in(client, user.email)

    assert response.url == reverse("mfa_authenticate")
    assert signed_in_user_id(client) is None
    html = assert_site_form_page(client.get(reverse("mfa_authenticate")))
    assert '<label for="id_code">' in html


def test_the_right_app_code_completes_sign_in(client, member_with_app):
    user, secret = member_with_app
    sign_in(client, user.email)

    response = enter_mfa_code(client, totp_code(secret))

    assert response.url == reverse("dashboard")
    assert signed_in_user_id(client) == str(user.pk)


def test_a_wrong_app_code_is_refused(client, member_with_app):
    user, secret = member_with_app
    sign_in(client, user.email)

    response = enter_mfa_code(client, another_code(totp_code(secret)))

    assert response.status_code == 200
    assert response.context["form"].errors["code"]
    assert signed_in_user_id(client) is None


def test_a_recovery_code_works_once_instead_of_the_app_code(client, member_with_app):
    user, _ = member_with_app
    recovery_code = RecoveryCodes.activate(user).get_unused_codes()[0]
    sign_in(client, user.email)

    assert enter_mfa_code(client, recovery_code).url == reverse("dashboard")

    client.logout()
    sign_in(client, user.email)
    response = enter_mfa_code(client, recovery_code)
    assert response.status_code == 200
    assert signed_in_user_id(client) is None


def test_recovery_codes_can_be_viewed_and_regenerated(client, member_with_app):
    user, secret = member_with_app
    old_codes = RecoveryCodes.activate(user).get_unused_codes()
    sign_in_for_security_settings(client, user, secret)

    html = assert_site_page(client.get(reverse("mfa_view_recovery_codes")))
    assert all(code in html for code in old_codes)

    assert_site_form_page(client.get(reverse("mfa_generate_recovery_codes")))
    client.post(reverse("mfa_generate_recovery_codes"))
    new_codes = RecoveryCodes(Authenticator.objects.get(user=user, type="recovery_codes")).get_unused_codes()
    assert len(new_codes) == 10
    assert not set(new_codes) & set(old_codes)


def test_the_two_factor_overview_shows_each_method_in_a_panel_with_its_buttons(client, member_with_app):
    sign_in_for_security_settings(client, *member_with_app)

    html = assert_site_page(client.get(reverse("mfa_index")))

    assert html.count('<section class="panel">') == 2
    assert f'<a class="button button-danger" href="{reverse("mfa_deactivate_totp")}">' in html


@pytest.mark.parametrize("url_name", ["mfa_deactivate_totp", "mfa_reauthenticate"])
def test_two_factor_forms_use_the_site_layout(client, member_with_app, url_name):
    sign_in_for_security_settings(client, *member_with_app)

    assert_site_form_page(client.get(reverse(url_name)))


# ------------------------------------------------------------------------------
# Who must set up two-factor
# ------------------------------------------------------------------------------
@pytest.fixture
def facilitator_without_app(cohort_a):
    return MembershipFactory(cohort=cohort_a, role=MembershipRole.FACILITATOR).user


@pytest.fixture
def staff_without_app(db):
    return UserFactory(is_staff=True, is_superuser=True)


@pytest.mark.parametrize("person", ["facilitator_without_app", "staff_without_app"])
def test_facilitators_and_staff_without_an_app_are_sent_to_set_one_up(login, request, person):
    client = login(request.getfixturevalue(person))

    response = client.get(reverse("dashboard"))

    assert response.url == ACTIVATE_URL


@pytest.mark.parametrize("path", ["/cms/", "/django-admin/"])
def test_staff_without_an_app_cannot_reach_the_admin_sites(login, staff_without_app, path):
    assert login(staff_without_app).get(path).url == ACTIVATE_URL


def test_someone_sent_to_set_up_confirms_their_password_and_reaches_the_qr_code(client, facilitator_without_app):
    sign_in(client, facilitator_without_app.email)
    confirm = client.get(reverse("dashboard"), follow=True).request
    assert confirm["PATH_INFO"] == reverse("account_reauthenticate")

    response = client.post(
        f"{confirm['PATH_INFO']}?{confirm['QUERY_STRING']}", {"password": TEST_PASSWORD}, follow=True
    )

    assert response.request["PATH_INFO"] == ACTIVATE_URL
    assert "data:image/svg+xml;base64," in response.content.decode()


@pytest.mark.parametrize("person", ["participant_a", "facilitator_a", "staff"])
def test_participants_and_people_with_an_app_go_straight_to_the_dashboard(login, request, person):
    assert login(request.getfixturevalue(person)).get(reverse("dashboard")).status_code == 200


def test_an_exempt_address_need_not_set_up_an_app(login, settings, facilitator_without_app):
    settings.ACADEMY_MFA_EXEMPT_EMAILS = {facilitator_without_app.email}

    assert login(facilitator_without_app).get(reverse("dashboard")).status_code == 200
