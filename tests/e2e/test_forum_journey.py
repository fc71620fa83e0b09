"""The forums in real browsers: an anonymous post, who sees whose name, a flag handled from
the queue, and the daily digest with its unsubscribe link.

A union official in the Cambodia cohort opens a thread in the anonymous category from
her phone. A labour inspector of the same cohort reads it without her name and replies
(quoting the post); the facilitator sees who wrote it. An inspector of the Vietnam
cohort can reach it neither by its address nor by search. A brand's staff member flags
the inspector's reply; the facilitator hides it from the moderation queue and members
see it hidden. The daily digest reaches a factory manager who follows the category,
with the anonymous author unnamed, and its unsubscribe link works in the browser.

People sign in with a session made for them (the sign-in forms have their own journeys).
No script or console error may appear on any page.
"""

import re

import pytest
from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import expect

from forums import services
from forums.choices import EmailMode, IdentityMode
from forums.models import EmailPreference, Flag, Post, Thread
from tests.roundtables.conftest import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

TITLE = "Wages held back after the walkout"
OPENING = "Since the walkout in May, twelve sewing operators have had part of their wages held back."
REPLY = "Has the PICC been told? The inspectorate can follow up on withheld wages."


def signed_in(page, base_url: str, user, errors: list[str]):
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": sign_in(user), "url": base_url}])
    page.on("pageerror", lambda error: errors.append(f"{user}: {error}"))
    page.on("console", lambda message: errors.append(f"{user}: {message.text}") if message.type == "error" else None)
    return page


def test_an_anonymous_post_a_flag_from_the_queue_and_the_digest(
    site_url,
    new_page,
    new_phone_page,
    screenshot,
    cohort_a,
    cohort_b,
    union_official,
    inspector,
    factory_manager,
    brand_staff,
    facilitator,
    participant_b,
):
    space = services.space_ensure_for_cohort(cohort=cohort_a)
    services.space_ensure_for_cohort(cohort=cohort_b)
    anonymous = space.categories.get(identity=IdentityMode.ANONYMOUS)
    EmailPreference.objects.create(user=factory_manager, mode=EmailMode.DAILY)
    services.category_follow(user=factory_manager, category=anonymous, follow=True)
    errors: list[str] = []

    # The union official writes in the anonymous category, on her phone.
    union = signed_in(new_phone_page(), site_url, union_official, errors)
    union.goto(f"{site_url}{reverse('forums_home')}")
    union.get_by_role("link", name=anonymous.title).first.click()
    union.get_by_role("link", name="Start a thread").click()
    expect(union.locator(".identity-notice")).to_contain_text("Anonymous to peers")
    union.get_by_label("Title").fill(TITLE)
    union.get_by_label("Your post").fill(OPENING)
    union.get_by_role("button", name="Post the thread").click()
    expect(union.get_by_role("heading", level=1)).to_contain_text(TITLE)
    expect(union.locator(".post").first).to_contain_text("anonymous to peers")
    screenshot(union, "union-official-posted")
    thread = Thread.objects.get(title=TITLE)
    assert thread.anonymous and thread.author == union_official

    # A peer reads it without a name, and replies quoting it.
    peer = signed_in(new_page(), site_url, inspector, errors)
    peer.goto(f"{site_url}{anonymous.get_absolute_url()}")
    expect(peer.locator(".thread-row", has_text=TITLE)).to_contain_text("Anonymous member")
    peer.get_by_role("link", name=re.compile(TITLE)).click()
    first_post = peer.locator(".post").first
    expect(first_post).to_contain_text(OPENING)
    expect(first_post.locator(".post-author")).to_have_text("Anonymous member")
    assert union_official.display_name not in peer.content()
    first_post.get_by_role("link", name="Quote").click()
    box = peer.get_by_label("Your reply")
    expect(box).to_have_value(re.compile(r"^> \*\*Anonymous member:\*\*"))
    box.press("End")
    box.fill(box.input_value() + REPLY)
    peer.get_by_role("button", name="Post the reply").click()
    expect(peer.locator(".post", has_text=REPLY)).to_be_visible()
    assert union_official.display_name not in peer.content()
    screenshot(peer, "peer-sees-no-name")

    # The facilitator sees who wrote it.
    host = signed_in(new_page(), site_url, facilitator, errors)
    host.goto(f"{site_url}{thread.get_absolute_url()}?page=1")
    expect(host.locator(".post").first.locator(".post-author")).to_contain_text(union_official.display_name)

    # An inspector of the Vietnam cohort finds it neither by address nor by search.
    outsider = signed_in(new_page(), site_url, participant_b, errors)
    response = outsider.goto(f"{site_url}{thread.get_absolute_url()}")
    assert response.status == 404
    outsider.goto(f"{site_url}{reverse('forum_search')}?q=walkout")
    expect(outsider.get_by_role("main")).not_to_contain_text(TITLE)
    errors[:] = [error for error in errors if "404" not in error]  # the refused address, on purpose

    # A brand's staff member flags the inspector's reply; the facilitator hides it from the queue.
    reply = Post.objects.get(thread=thread, number=2)
    brand = signed_in(new_page(), site_url, brand_staff, errors)
    brand.goto(f"{site_url}{reply.get_absolute_url()}")
    brand.locator(f"#post-{reply.number}").get_by_role("link", name="Flag").click()
    brand.get_by_label("Identifies someone who should not be identified").check()
    brand.get_by_role("button", name="Send the flag").click()
    expect(brand.get_by_role("main")).to_contain_text(TITLE)
    assert Flag.objects.filter(post=reply, reporter=brand_staff, resolved_at__isnull=True).exists()

    host.goto(f"{site_url}{reverse('forum_moderation_queue', args=[space.pk])}")
    expect(host.get_by_role("main")).to_contain_text(REPLY)
    screenshot(host, "moderation-queue")
    host.get_by_role("button", name="Hide the post").click()
    expect(host.get_by_role("main")).not_to_contain_text(REPLY)
    reply.refresh_from_db()
    assert reply.hidden_at is not None

    peer.goto(f"{site_url}{thread.get_absolute_url()}?page=1")
    expect(peer.locator(f"#post-{reply.number}")).to_contain_text("Hidden by a facilitator")
    expect(peer.locator(f"#post-{reply.number}")).not_to_contain_text(REPLY)

    # The daily digest reaches the factory manager, who follows the category and has not
    # opened the thread, without the anonymous author's name.
    mail.outbox.clear()
    call_command("send_forum_digests")
    digests = [message for message in mail.outbox if factory_manager.email in message.to]
    assert len(digests) == 1
    digest = digests[0]
    body = digest.body + "".join(content for content, _type in getattr(digest, "alternatives", []))
    assert TITLE in body and union_official.display_name not in body
    assert "List-Unsubscribe" in digest.extra_headers
    link = re.search(r"https?://\S+/forums/unsubscribe/[^/\s]+/", digest.body).group(0)
    manager = signed_in(new_page(), site_url, factory_manager, errors)
    manager.goto(link)
    manager.get_by_role("button", name=re.compile("Unsubscribe", re.I)).click()
    expect(manager.get_by_role("main")).to_contain_text(re.compile("no longer", re.I))
    assert EmailPreference.objects.get(user=factory_manager).mode == EmailMode.NONE
    screenshot(manager, "unsubscribed")

    assert errors == []
