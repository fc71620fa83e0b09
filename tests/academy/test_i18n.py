"""Languages: the switcher, the six languages, and no untranslatable text in templates."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

TEMPLATES_DIR = Path(settings.BASE_DIR) / "templates"


def test_the_platform_offers_the_six_languages_of_the_programmes():
    assert [code for code, _name in settings.LANGUAGES] == ["en", "fr", "es", "km", "vi", "zh-hans"]
    assert "django.middleware.locale.LocaleMiddleware" in settings.MIDDLEWARE


def test_a_visitor_switches_language_with_a_cookie(client, db):
    response = client.post(reverse("language_set"), {"language": "fr", "next": "/"})
    assert response.status_code == 302 and response.url == "/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "fr"
    assert '<html lang="fr"' in client.get("/").content.decode()


def test_a_member_switching_language_saves_it_as_their_preference(client, participant_a):
    client.force_login(participant_a)
    client.post(reverse("language_set"), {"language": "vi", "next": reverse("dashboard")})
    participant_a.refresh_from_db()
    assert participant_a.preferred_language == "vi"


def test_a_members_preferred_language_wins_over_a_stale_cookie(client, participant_a):
    participant_a.preferred_language = "fr"
    participant_a.save()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
    client.force_login(participant_a)
    assert '<html lang="fr"' in client.get(reverse("dashboard")).content.decode()


def test_the_switcher_refuses_an_unknown_language_and_an_outside_redirect(client, db):
    response = client.post(reverse("language_set"), {"language": "tlh", "next": "https://evil.example/"})
    assert response.status_code == 302 and response.url == "/"
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies


# Template text outside {% translate %} / {% blocktranslate %} would reach people untranslated.
BLOCKTRANS = re.compile(r"{%\s*blocktrans(?:late)?\b.*?{%\s*endblocktrans(?:late)?\s*%}", re.S)
COMMENT_BLOCK = re.compile(r"{%\s*comment\s*%}.*?{%\s*endcomment\s*%}", re.S)
# allauth's {% setvar %} builds class names, not text.
SETVAR_BLOCK = re.compile(r"{%\s*setvar\b.*?{%\s*endsetvar\s*%}", re.S)
TAGS = re.compile(r"{%.*?%}|{{.*?}}|{#.*?#}", re.S)
HTML = re.compile(r"<script.*?</script>|<style.*?</style>|<!--.*?-->|<[^>]*>", re.S)
ATTRIBUTE = re.compile(r'\b(?:aria-label|placeholder|title|alt)="([^"]*)"')
ALLOWED_LITERALS = {"—", "·", "›", "–", "*", ":", "(", ")", ",", "|", "/", "&times;", "&nbsp;"}


def untranslated_text(source: str) -> list[str]:
    problems = [value for value in ATTRIBUTE.findall(source) if re.search(r"[A-Za-z]", TAGS.sub("", value))]
    text = HTML.sub(" ", TAGS.sub(" ", SETVAR_BLOCK.sub(" ", COMMENT_BLOCK.sub(" ", BLOCKTRANS.sub(" ", source)))))
    problems += [word for word in text.split() if re.search(r"[A-Za-z]", word) and word not in ALLOWED_LITERALS]
    return problems


def test_every_template_string_a_person_reads_is_marked_for_translation():
    offenders = {}
    for path in sorted(TEMPLATES_DIR.rglob("*")):
        if path.suffix not in {".html", ".txt"} or path.name == "500.html":
            continue
        problems = untranslated_text(path.read_text())
        if problems:
            offenders[str(path.relative_to(TEMPLATES_DIR))] = problems[:5]
    assert offenders == {}


def test_the_checker_catches_a_bare_string():
    assert untranslated_text("<p>Hello there</p>") == ["Hello", "there"]
    assert untranslated_text('<a aria-label="Close">{% translate "x" %}</a>') == ["Close"]
    assert untranslated_text("<p>{% translate 'Hello' %}</p>") == []


@pytest.mark.parametrize("language", ["fr", "es", "vi"])
def test_the_translated_catalogues_are_complete_and_compiled(language):
    """French, Spanish and Vietnamese are translated in full; each committed .mo matches
    the .po it came from."""
    import polib

    directory = Path(settings.BASE_DIR) / "locale" / language / "LC_MESSAGES"
    po = polib.pofile(str(directory / "django.po"))
    assert po.untranslated_entries() == [] and po.fuzzy_entries() == []
    compiled = {
        entry.msgid: entry.msgstr or entry.msgstr_plural for entry in polib.mofile(str(directory / "django.mo"))
    }
    source = {entry.msgid: entry.msgstr or entry.msgstr_plural for entry in po.translated_entries()}
    assert {key: compiled.get(key) for key in source} == source


def test_pages_appear_in_french_for_a_french_speaker(client, participant_a):
    participant_a.preferred_language = "fr"
    participant_a.save()
    client.force_login(participant_a)
    page = client.get(reverse("dashboard")).content.decode()
    assert "Mes cohortes" in page and "Qui est dans la salle" not in page


def test_the_invitation_email_reaches_a_vietnamese_invitee_in_vietnamese(
    cohort_b, facilitator_b, mailoutbox, django_capture_on_commit_callbacks
):
    from academy import services

    with django_capture_on_commit_callbacks(execute=True):
        services.cohort_invite(
            cohort=cohort_b, invited_by=facilitator_b, email="lan@example.org", role="participant", language="vi"
        )
    assert mailoutbox[0].subject == "Bạn được mời tham gia Building Bridges Vietnam"


def test_a_persons_language_applies_to_their_request_only(client, participant_a):
    from django.utils import translation

    participant_a.preferred_language = "vi"
    participant_a.save(update_fields=["preferred_language"])
    client.force_login(participant_a)
    assert client.get("/dashboard/").headers["Content-Language"] == "vi"
    assert translation.get_language() == "en"
