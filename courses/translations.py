"""Which language version of a course page a person reads.

Trainers translate course pages with wagtail-localize; each translation is its own page
in its locale's tree, sharing the source page's `translation_key`. Learners never move
between trees:

- Every course URL is routed through the source (default-language) tree, so a lesson
  has one address whatever the reader's language (academy.urls serves pages that way).
- The page shown is the live translation in the reader's active language when there is
  one, and the source page otherwise (the fallback).
- Progress, quiz attempts, reflections and actions always belong to the source lesson,
  so a learner who switches language keeps everything.

A translation is *stale* when its source was published after the translation was last
synchronised with it (wagtail-localize's `TranslationSource.last_updated_at`); the CMS
flags those to trainers (courses.wagtail_hooks).
"""

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.cache import cache
from django.db.models import F, OuterRef, Subquery
from django.utils.translation import get_language
from wagtail.models import Locale, Page


def source_language() -> str:
    return settings.LANGUAGE_CODE


def reading_language() -> str:
    """The active language, as Wagtail names content languages (zh-hans, not zh-Hans)."""
    return (get_language() or source_language()).lower()


def reads_source(language: str | None = None) -> bool:
    return (language or reading_language()) == source_language()


def locale_codes() -> dict[int, str]:
    """{locale id: language code}, cached: locales change only when an admin adds one."""
    codes = cache.get("courses:locale-codes")
    if codes is None:
        codes = dict(Locale.objects.values_list("pk", "language_code"))
        cache.set("courses:locale-codes", codes, 3600)
    return codes


def language_of(page: Page) -> str:
    code = locale_codes().get(page.locale_id)
    if code is None:  # a locale added in the last hour
        cache.delete("courses:locale-codes")
        code = locale_codes().get(page.locale_id, source_language())
    return code


def is_source(page: Page) -> bool:
    return language_of(page) == source_language()


def display_version(page: Page, language: str | None = None) -> Page:
    """The live translation of a source page in the reader's language, else the page
    itself. No query when the reader reads the source language."""
    language = language or reading_language()
    if reads_source(language):
        return page
    translation = (
        type(page)
        .objects.live()
        .filter(translation_key=page.translation_key, locale__language_code=language)
        .exclude(pk=page.pk)
        .first()
    )
    return translation or page


def display_versions(pages: list[Page], language: str | None = None) -> dict[int, Page]:
    """{source page id: its live translation in the reader's language}, for the pages
    that have one. One query for any number of pages of one type, none in the source
    language."""
    language = language or reading_language()
    if not pages or reads_source(language):
        return {}
    model = type(pages[0])
    by_key = {page.translation_key: page.pk for page in pages}
    return {
        by_key[translation.translation_key]: translation
        for translation in model.objects.live().filter(translation_key__in=by_key, locale__language_code=language)
    }


def source_of(page: Page) -> Page:
    """The source-language page a translation was made from (the page itself if it is
    in the source language, or if no source exists)."""
    if is_source(page):
        return page
    source = (
        type(page).objects.filter(translation_key=page.translation_key, locale__language_code=source_language()).first()
    )
    return source or page


@dataclass
class StaleTranslation:
    page: Page  # the translation
    source: Page
    source_published_at: datetime
    synchronised_at: datetime


def stale_translations(limit: int = 50) -> list[StaleTranslation]:
    """Course-page translations whose source has been published since they were last
    synchronised with it, oldest first. Three queries."""
    from wagtail_localize.models import Translation, TranslationSource

    source_page = Page.objects.filter(translation_key=OuterRef("object_id"), locale_id=OuterRef("locale_id"))
    sources = (
        TranslationSource.objects.annotate(
            published_at=Subquery(source_page.values("last_published_at")[:1]),
            source_page_id=Subquery(source_page.values("pk")[:1]),
        )
        .filter(published_at__gt=F("last_updated_at"))
        .order_by("last_updated_at")
    )
    stale = []
    translations = Translation.objects.filter(source__in=sources, enabled=True).select_related(
        "source", "target_locale"
    )
    by_source = {source.pk: source for source in sources}
    pairs = [
        (by_source[translation.source_id], translation.target_locale)
        for translation in translations
        if translation.source_id in by_source
    ][:limit]
    keys = {source.object_id for source, _ in pairs}
    pages = {
        (page.translation_key, page.locale_id): page
        for page in Page.objects.filter(translation_key__in=keys).select_related("locale")
    }
    for source, locale in pairs:
        page = pages.get((source.object_id, locale.pk))
        origin = pages.get((source.object_id, source.locale_id))
        if page is not None and origin is not None:
            stale.append(StaleTranslation(page, origin, source.published_at, source.last_updated_at))
    return stale


def ensure_content_locales() -> None:
    """One Wagtail locale per content language, so trainers can translate into any."""
    for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES:
        Locale.objects.get_or_create(language_code=code)


def translate_page(page: Page, language: str, strings: dict[str, str], *, user=None) -> Page:
    """Translate a source page through wagtail-localize and publish the translation.

    `strings` maps each source segment (a title, a sentence of a block, one paragraph
    of rich text, as wagtail-localize splits them) to its translation; a segment without
    one keeps the source text, as in wagtail-localize's own editor. The translation is
    then an ordinary wagtail-localize translation: trainers edit and sync it in the CMS.
    Used by the demo and by operators importing a translation done elsewhere.
    """
    from wagtail_localize.models import StringSegment, StringTranslation, Translation, TranslationSource

    locale = Locale.objects.get(language_code=language)
    source, _created = TranslationSource.update_or_create_from_instance(page)
    translation, _created = Translation.objects.get_or_create(source=source, target_locale=locale)
    for segment in StringSegment.objects.filter(source=source).select_related("string", "context"):
        text = strings.get(segment.string.data)
        if text:
            StringTranslation.objects.update_or_create(
                translation_of=segment.string,
                locale=locale,
                context=segment.context,
                defaults={"data": text, "translation_type": StringTranslation.TRANSLATION_TYPE_MANUAL},
            )
    # Saved as a draft, then published here rather than on commit, so it is live at once.
    translation.save_target(user=user, publish=False)
    translated = page.get_translation(locale).specific
    translated.get_latest_revision().publish(user=user)
    translated.refresh_from_db()
    return translated
