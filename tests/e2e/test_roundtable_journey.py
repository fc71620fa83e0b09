"""A roundtable from the schedule to the record, in real browsers over a real websocket.

The facilitator schedules a Chatham House roundtable for her cohort through the form and
joins the room; a labour inspector joins on her phone and a union official on a laptop.
They chat both ways, the inspector raises her hand and is given the floor, a poll is run,
the room splits into two mixed breakout groups (notes, a group message that stays in the
group) and comes back, an action point is recorded, and the inspector's connection drops
while the facilitator writes: she reconnects and misses nothing. The facilitator ends the
session; the inspector sees the room turn read-only and reads the record, which shows
speakers only by stakeholder group.

The server is daphne (`asgi_live_server`): HTTP, static files and websockets on the test
database. People sign in with a session made for them (the sign-in forms, two-factor
included, have their own journeys in test_journeys.py). No script or console error may
appear on any page.
"""

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from playwright.sync_api import expect

from roundtables.choices import PrivacyMode
from roundtables.models import RoomEvent, RoundtableSession
from tests.roundtables.conftest import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

TITLE = "Overtime in peak season: a joint agenda"
AGENDA = ["Opening circle: one concern each", "What inspections find on overtime", "Joint next steps"]
INSPECTOR = "Vannak Heng"
UNION_OFFICIAL = "Chenda Sok"
INSPECTORATE = "Labour inspectorate / government"
TRADE_UNION = "Trade union / worker representative"
PROGRAMME_STAFF = "Programme staff / facilitator"

INSPECTOR_SAYS = "Overtime caps are not checked in the provinces."
FACILITATOR_SAYS = "Thank you. Let us hear from everyone on this."
WHILE_AWAY = "Three inspectors will join the next factory visit."
POLL_QUESTION = "Which topic first?"
POLL_OPTIONS = ["Overtime", "Fire safety", "Wages"]
NOTE = "Check overtime records every week, not every quarter."
GROUP_MESSAGE = "Our group starts with the records."
ACTION = "Share the overtime checklist with the factory committees"

RECONNECT_TIMEOUT_MS = 10_000  # back online, the client reconnects at once


def signed_in(page, base_url: str, user, errors: list[str]):
    """`page`, signed in as `user` by a session cookie made for them; its script errors
    and console errors (a failed request, say) are added to `errors`."""
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": sign_in(user), "url": base_url}])

    def console(message):
        if message.type == "error":
            errors.append(f"{user}: {message.text} ({message.location.get('url')})")

    page.on("pageerror", lambda error: errors.append(f"{user}: {error}"))
    page.on("console", console)
    return page


def connected(page):
    expect(page.locator("#room-status")).to_have_attribute("data-state", "connected")


def chat_lines(page, text: str):
    """The messages of the chat log (delivered ones: with a sequence number) containing `text`."""
    return page.locator("#chat-log li[data-seq]", has_text=text)


def send_chat(page, text: str):
    page.locator("#chat-text").fill(text)
    page.locator("#chat-form").get_by_role("button", name="Send").click()


def test_a_roundtable_from_schedule_to_record_with_a_facilitator_and_two_participants(
    asgi_live_server, new_page, new_phone_page, screenshot, cohort_a, facilitator_a, inspector, union_official
):
    site = asgi_live_server
    errors: list[str] = []

    # The facilitator schedules the roundtable for tomorrow, in her time zone.
    facilitator = signed_in(new_page(), site, facilitator_a, errors)
    facilitator.goto(f"{site}/cohorts/{cohort_a.slug}/sessions/new/")
    expect(facilitator.get_by_role("heading", name="Schedule a session")).to_be_visible()
    tomorrow = (datetime.now(ZoneInfo(facilitator_a.time_zone)) + timedelta(days=1)).date()
    facilitator.get_by_label("Roundtable").check()
    facilitator.get_by_label("Title").fill(TITLE)
    facilitator.get_by_label("Starts").fill(f"{tomorrow:%Y-%m-%d}T09:00")
    facilitator.get_by_label("Ends").fill(f"{tomorrow:%Y-%m-%d}T11:00")
    facilitator.get_by_label("Chatham House").check()
    facilitator.get_by_label("Agenda").fill("\n".join(AGENDA))
    screenshot(facilitator, "facilitator-schedules")
    facilitator.get_by_role("button", name="Schedule the session").click()

    expect(facilitator.get_by_text("The session is scheduled.")).to_be_visible()
    expect(facilitator.get_by_role("heading", name=TITLE)).to_be_visible()
    expect(facilitator.get_by_role("heading", name="Privacy: Chatham House")).to_be_visible()
    for item in AGENDA:
        expect(facilitator.get_by_role("listitem").filter(has_text=item)).to_be_visible()
    screenshot(facilitator, "session-details")
    session = RoundtableSession.objects.get(title=TITLE)
    assert session.cohort == cohort_a
    assert session.privacy == PrivacyMode.CHATHAM_HOUSE
    assert session.starts_at.astimezone(ZoneInfo(facilitator_a.time_zone)).date() == tomorrow

    # She joins the room; the inspector (on her phone) and the union official join too.
    facilitator.get_by_role("link", name="Join the room").click()
    expect(facilitator).to_have_url(re.compile(rf"/roundtables/{session.pk}/$"))
    connected(facilitator)
    room_url = facilitator.url
    inspector_page = signed_in(new_phone_page(), site, inspector, errors)
    inspector_page.goto(room_url)
    connected(inspector_page)
    union = signed_in(new_page(), site, union_official, errors)
    union.goto(room_url)
    connected(union)
    expect(facilitator.locator("#presence-count")).to_have_text("3")
    expect(inspector_page.locator("#presence")).to_contain_text(UNION_OFFICIAL)
    expect(inspector_page.locator("#room-privacy")).to_contain_text("Chatham House")
    # Room controls are the facilitator's alone.
    expect(facilitator.locator("#room-controls")).to_be_visible()
    expect(inspector_page.locator("#room-controls")).to_be_hidden()
    expect(inspector_page.locator("#give-floor-next")).to_be_hidden()
    screenshot(inspector_page, "inspector-joins-on-her-phone")

    # Chat, both ways. On the phone the Send button sends; at a keyboard, Enter does.
    send_chat(inspector_page, INSPECTOR_SAYS)
    expect(chat_lines(facilitator, INSPECTOR_SAYS)).to_have_count(1)
    expect(chat_lines(inspector_page, INSPECTOR_SAYS)).to_have_count(1)
    expect(inspector_page.locator("#chat-log .msg-pending")).to_have_count(0)
    facilitator.locator("#chat-text").fill(FACILITATOR_SAYS)
    facilitator.locator("#chat-text").press("Enter")
    expect(chat_lines(inspector_page, FACILITATOR_SAYS)).to_have_count(1)
    expect(chat_lines(union, FACILITATOR_SAYS)).to_have_count(1)

    # The inspector raises her hand; the facilitator gives her the floor.
    inspector_page.locator("#raise-hand").click()
    expect(inspector_page.locator("#raise-hand")).to_have_attribute("aria-pressed", "true")
    expect(facilitator.locator("#queue li")).to_have_count(1)
    expect(facilitator.locator("#queue li")).to_contain_text(INSPECTOR)
    screenshot(facilitator, "facilitator-sees-the-raised-hand")
    facilitator.locator("#give-floor-next").click()
    expect(inspector_page.locator("#speaker")).to_have_text(f"Speaking now: {INSPECTOR} ({INSPECTORATE})")
    expect(inspector_page.locator("#raise-hand")).to_have_attribute("aria-pressed", "false")
    expect(facilitator.locator("#queue li")).to_have_count(0)
    for page in (facilitator, inspector_page):
        expect(page.locator('#turns li[data-group="labour_inspectorate"] .turns-count')).to_have_text("1")
    expect(facilitator.locator('#turns li[data-group="trade_union"] .turns-count')).to_have_text("0")
    # A constituency not heard yet is flagged; programme staff, who run the room, are not.
    expect(facilitator.locator('#turns li[data-group="trade_union"] .badge')).to_have_text("not heard yet")
    expect(facilitator.locator('#turns li[data-group="programme_staff"] .turns-count')).to_have_text("0")
    expect(facilitator.locator('#turns li[data-group="programme_staff"] .badge')).to_have_count(0)
    screenshot(inspector_page, "inspector-has-the-floor")

    # A poll: both participants vote, the facilitator sees the count.
    facilitator.locator("#poll-question").fill(POLL_QUESTION)
    facilitator.locator("#poll-options").fill("\n".join(POLL_OPTIONS))
    facilitator.locator("#poll-open-form").get_by_role("button", name="Open the poll").click()
    options = inspector_page.locator("#poll-current .poll-options button")
    expect(options).to_have_count(len(POLL_OPTIONS))
    options.filter(has_text="Fire safety").click()
    expect(inspector_page.locator("#poll-current")).to_contain_text("You voted: Fire safety")
    union.locator("#poll-current .poll-options button").filter(has_text="Fire safety").click()
    expect(facilitator.locator("#poll-current")).to_contain_text("Votes: 2")
    expect(facilitator.locator("#poll-current li").filter(has_text="Fire safety")).to_contain_text("2 · 100%")
    screenshot(facilitator, "facilitator-sees-the-votes")
    facilitator.locator("#poll-close").click()
    expect(inspector_page.locator("#polls-closed > li")).to_have_count(1)

    # The inspector's phone loses the network and her socket drops; the facilitator
    # writes meanwhile. Back online, she reconnects and misses nothing.
    inspector_page.context.set_offline(True)
    inspector_page.evaluate("window.Roundtable.drop()")
    expect(inspector_page.locator("#room-status")).to_have_attribute("data-state", "offline")
    send_chat(facilitator, WHILE_AWAY)
    expect(chat_lines(facilitator, WHILE_AWAY)).to_have_count(1)
    expect(chat_lines(inspector_page, WHILE_AWAY)).to_have_count(0)
    screenshot(inspector_page, "inspector-offline")
    inspector_page.context.set_offline(False)
    expect(inspector_page.locator("#room-status")).to_have_attribute(
        "data-state", "connected", timeout=RECONNECT_TIMEOUT_MS
    )
    expect(chat_lines(inspector_page, WHILE_AWAY)).to_have_count(1)
    expect(chat_lines(inspector_page, INSPECTOR_SAYS)).to_have_count(1)  # the backlog, once
    seqs = inspector_page.locator("#chat-log li[data-seq]").evaluate_all("items => items.map(i => +i.dataset.seq)")
    assert seqs == sorted(set(seqs)), seqs
    screenshot(inspector_page, "inspector-back-after-the-drop")

    # Two mixed breakout groups: one participant in each.
    facilitator.locator("#breakouts-mode").select_option("mixed")
    facilitator.locator("#breakouts-groups").fill("2")
    facilitator.locator("#breakouts-minutes").fill("10")
    facilitator.locator("#breakouts-form").get_by_role("button", name="Start breakouts").click()
    expect(facilitator.locator("#breakouts-groups-list .breakout-group")).to_have_count(2)
    expect(inspector_page.locator("#breakout-mine")).to_be_visible()
    expect(inspector_page.locator("#chat-scope")).to_contain_text("You are in Group")
    expect(inspector_page.locator("#breakout-mine-members")).to_contain_text(INSPECTOR)
    expect(inspector_page.locator("#breakout-mine-members")).not_to_contain_text(UNION_OFFICIAL)
    expect(inspector_page.locator("#breakout-mine-timer")).to_contain_text("Time left")
    expect(union.locator("#breakout-mine")).to_be_visible()
    inspector_page.locator("#note-text").fill(NOTE)
    inspector_page.locator("#note-form").get_by_role("button", name="Add the note").click()
    expect(inspector_page.locator("#notes li[data-seq]", has_text=NOTE)).to_have_count(1)
    expect(facilitator.locator("#breakouts-groups-list .notes li", has_text=NOTE)).to_have_count(1)
    send_chat(inspector_page, GROUP_MESSAGE)
    expect(facilitator.locator("#chat-log li.msg-breakout", has_text=GROUP_MESSAGE)).to_have_count(1)
    screenshot(inspector_page, "inspector-in-her-breakout-group")
    screenshot(facilitator, "facilitator-watches-the-groups")

    # Everyone comes back to the plenary.
    facilitator.locator("#breakouts-end").click()
    for page in (inspector_page, union):
        expect(page.locator("#breakout-mine")).to_be_hidden()
        expect(page.locator("#chat-scope")).to_be_hidden()
    # The union official, back (so every earlier event has reached her), never saw the
    # other group's message.
    expect(union.locator("#chat-log li", has_text=GROUP_MESSAGE)).to_have_count(0)

    # An action point, with an owner and a date.
    due = tomorrow + timedelta(days=14)
    facilitator.locator("#action-text").fill(ACTION)
    facilitator.locator("#action-owner").select_option(label=f"{INSPECTOR} ({INSPECTORATE})")
    facilitator.locator("#action-due").fill(f"{due:%Y-%m-%d}")
    facilitator.locator("#action-form").get_by_role("button", name="Add the action point").click()
    expect(inspector_page.locator("#actions li")).to_have_count(1)
    expect(inspector_page.locator("#actions li")).to_contain_text(ACTION)
    expect(inspector_page.locator("#actions li")).to_contain_text(INSPECTOR)

    # The facilitator ends the session (after confirming); the room turns read-only.
    facilitator.once("dialog", lambda dialog: dialog.accept())
    facilitator.locator("#end-session").click()
    for page in (inspector_page, facilitator):
        expect(page.locator("#ended-banner")).to_be_visible()
        expect(page.locator("#record-link")).to_be_visible()
    expect(inspector_page.locator("#chat-text")).to_be_disabled()
    expect(inspector_page.locator("#raise-hand")).to_be_hidden()
    expect(facilitator.locator("#room-controls")).to_be_hidden()
    screenshot(inspector_page, "inspector-sees-the-end")

    # The inspector reads the record: speakers only by stakeholder group (Chatham House).
    inspector_page.locator("#record-link").click()
    expect(inspector_page).to_have_url(re.compile(rf"/roundtables/{session.pk}/record/$"))
    expect(inspector_page.get_by_role("heading", name=f"Record: {TITLE}")).to_be_visible()
    expect(inspector_page.get_by_text("this record shows each speaker only as their stakeholder group")).to_be_visible()
    transcript = inspector_page.get_by_role("region", name="Transcript")
    for text in (INSPECTOR_SAYS, FACILITATOR_SAYS, WHILE_AWAY, INSPECTORATE, PROGRAMME_STAFF):
        expect(transcript).to_contain_text(text)
    for name in (INSPECTOR, UNION_OFFICIAL, facilitator_a.display_name):
        expect(transcript).not_to_contain_text(name)
    expect(transcript).not_to_contain_text(GROUP_MESSAGE)  # the group's, not the plenary's
    polls = inspector_page.get_by_role("region", name="Polls")
    expect(polls).to_contain_text(POLL_QUESTION)
    expect(polls.get_by_role("listitem").filter(has_text="Fire safety")).to_have_text("Fire safety: 2")
    expect(polls).to_contain_text("2 votes")
    breakouts = inspector_page.get_by_role("region", name="Breakout groups, round 1")
    expect(breakouts).to_contain_text(NOTE)
    expect(breakouts).to_contain_text(f"{INSPECTORATE} × 1")
    expect(breakouts).to_contain_text(f"{TRADE_UNION} × 1")
    expect(breakouts).not_to_contain_text(INSPECTOR)
    actions = inspector_page.get_by_role("region", name="Action points")
    expect(actions).to_contain_text(ACTION)
    expect(actions).to_contain_text(INSPECTOR)  # an action's owner is named
    expect(actions).to_contain_text(f"{due:%-d %b %Y}")
    turns = inspector_page.get_by_role("region", name="Speaking turns by stakeholder group")
    expect(turns.get_by_role("listitem").filter(has_text=INSPECTORATE)).to_have_text(f"{INSPECTORATE}: 1")
    attendance = inspector_page.get_by_role("region", name="Attendance")
    for group in (INSPECTORATE, TRADE_UNION, PROGRAMME_STAFF):
        expect(attendance.get_by_role("listitem").filter(has_text=group)).to_have_text(f"{group}: 1")
    screenshot(inspector_page, "inspector-reads-the-record")

    session.refresh_from_db()
    assert session.has_ended
    # Sent once, dropped connection or not: one message each in the log.
    for text in (INSPECTOR_SAYS, WHILE_AWAY):
        assert RoomEvent.objects.filter(session=session, kind="chat.message", payload__text=text).count() == 1
    assert errors == [], errors
