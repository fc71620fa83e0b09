"""Demo forums, run by `manage.py seed_demo` after the roundtables (settings.ACADEMY_DEMO_SEEDERS).

The Building Bridges Cambodia forum and the Building Bridges commons (every Building
Bridges cohort together) get threads written for the field: blocked fire exits, a
committee that stopped meeting, piece rates and overtime in the peak season, announced
inspection follow-ups, a brand's buying-practice question, a question with an accepted
answer, quoted replies, @mentions and “helpful” marks; one thread in the anonymous
category (wages held back after a walkout); a follow-up of the demo roundtable; a few
flags waiting in the moderation queue; and reading state, so unread marks show.

Everything is written through `forums.services` and `forums.moderation`, so the HTML,
mentions, notifications and counters are real; afterwards the times are moved back so
the forum reads like weeks of activity. Idempotent: a thread is found by its space and
title, and nothing of a thread that exists is written again.
"""

from datetime import timedelta

from django.db.models import Max
from django.utils import timezone

from academy.models import Cohort, Programme, User
from forums import moderation, selectors, services
from forums.choices import FlagReason, ThreadKind
from forums.markup import quote_source
from forums.models import Flag, Notification, Post, Reaction, Space, Thread, ThreadReadState
from roundtables import selectors as roundtable_selectors

KH, PROGRAMME = "building-bridges-cambodia", "building-bridges"
# The default categories, by position (settings.FORUM_DEFAULT_CATEGORIES).
IR, OSH, SUPPLY, INSPECTIONS, GENDER, ANONYMOUS = range(6)
# The demo roundtable that took place (roundtables.demo.PAST_ROUNDTABLE).
PAST_ROUNDTABLE_TITLE = "Opening roundtable: overtime in the peak season"

FACILITATOR = "facilitator.kh@example.org"
VANNAK, CHENDA, RITHY = "inspector.kh@example.org", "union.kh@example.org", "manager.kh@example.org"
SOKUNTHEA, KOSAL, SOPHEA = "inspector2.kh@example.org", "steward.kh@example.org", "hr.angkor@example.org"
DARA, RATHANA, SARAH = "osh.lotus@example.org", "employers.kh@example.org", "compliance.harbour@example.org"
OBSERVER_KH = "observer.kh@example.org"
LAN, MINH, HOA = "inspector.vn@example.org", "inspector2.vn@example.org", "union.vn@example.org"
DUC_ANH, TRANG, KHOA = "manager.vn@example.org", "hr.dongnai@example.org", "employers.vn@example.org"
JONAS = "sourcing.kestrel@example.org"


def reply(key, author, hours, text, *, quote=None, helpful=(), flags=()):
    """A reply `hours` after the thread opened; `quote`: the key of the post it quotes
    ("opening" for the first post); `flags`: (reporter, reason, note) waiting for the
    facilitators."""
    return {
        "key": key,
        "author": author,
        "hours": hours,
        "text": text,
        "quote": quote,
        "helpful": helpful,
        "flags": flags,
    }


THREADS = [
    {
        "space": KH,
        "category": OSH,
        "title": "Fire exits blocked by finished goods in peak season",
        "author": DARA,
        "days_ago": 33,
        "text": (
            "In two of our group's factories the same thing happens every peak season: cartons of finished "
            "goods end up in front of the emergency exits on the packing floor. We clear them after every "
            "walk-through, and within a week they are back.\n\n"
            "The OSH committee agreed a rule months ago. What actually keeps exits clear where you work? "
            "I am most interested in what made the difference on the night shift."
        ),
        "replies": [
            reply(
                "owner",
                VANNAK,
                6,
                "From the inspection side: an exit that is clear on the day of our visit tells us little. What "
                "we look for now is whether someone **owns** the check:\n\n"
                "- a named person per shift,\n- a short log at the exit,\n"
                "- and whether the committee reads that log at its meeting.\n\n"
                "Where those three exist, we rarely find the exit blocked on a second visit.",
                helpful=(DARA, RITHY, SOPHEA),
            ),
            reply(
                "packers",
                KOSAL,
                26,
                "Workers on the packing floor know exactly why the cartons are there: the warehouse is full and "
                "the truck comes late. If the committee only tells them to move the boxes, the boxes are back "
                "tomorrow. Ask the packers where the cartons *should* go. They usually have an answer nobody "
                "asked them for.",
                helpful=(CHENDA, DARA),
            ),
            reply(
                "zone",
                RITHY,
                50,
                "This matches what we found at Mekong No. 2. We painted a yellow staging zone next to the "
                "loading bay, sized for one truck, and the packing team leader checks it at the start of each "
                "shift. @Sokunthea Lim, you saw it on your follow-up visit: was it what you expected?",
                quote="packers",
            ),
            reply(
                "language",
                SOKUNTHEA,
                74,
                "Yes. The zone was clear and the log was filled in by the team leader, not the OSH officer, "
                "which is a good sign. One remark: the log and the exit signs were in English only, and the "
                "night shift reads Khmer. Put them in the language the people on the floor read.",
                helpful=(DARA, KOSAL, RITHY),
            ),
            reply(
                "thanks",
                DARA,
                98,
                "Thank you all. We will try the staging zone and a Khmer log in one factory first and report "
                "back here after the peak.",
            ),
        ],
    },
    {
        "space": KH,
        "category": IR,
        "title": "Our PICC stopped meeting after the production manager left",
        "author": CHENDA,
        "days_ago": 27,
        "text": (
            "In one of the factories our federation works with, the PICC met every month for a year. Since "
            "the production manager who chaired it for the management side left in March, there has been no "
            "meeting. The worker representatives are still there and still bring problems, but now they go "
            "to the HR office one by one.\n\n"
            "Has anyone restarted a committee that went quiet? Who made the first move?"
        ),
        "replies": [
            reply(
                "letter",
                SOPHEA,
                5,
                "We had the same at Angkor Knitwear when our general manager changed. What helped: the worker "
                "side wrote to the new manager with the dates of the last three meetings and what each one "
                "decided. It showed that the committee had solved real things, not only heard complaints. He "
                "came to the next meeting.",
                helpful=(CHENDA, KOSAL),
            ),
            reply(
                "terms",
                RATHANA,
                22,
                "The association has a one-page terms of reference for PICCs that members use: who chairs, how "
                "often it meets, and how the chair is replaced when someone leaves. The last point is the one "
                "usually missing. I can share the outline here if it helps.",
            ),
            reply("yes", CHENDA, 25, "Yes please. The replacement rule is exactly the gap.", quote="terms"),
            reply(
                "roundtable",
                FACILITATOR,
                40,
                "Module 4 of Industrial Relations Leadership works through this very case: a committee that "
                "depends on one person. It may be worth inviting the HR manager of that factory to the next "
                "roundtable. @Chenda Sok, would the worker representatives agree to that?",
            ),
            reply(
                "outline",
                RATHANA,
                70,
                "Here is the outline:\n\n"
                "- equal numbers from management and from the workers, with a named deputy for each seat;\n"
                "- a meeting every month, even when there is no complaint on the table;\n"
                "- when a chair leaves, the deputy chairs until a new chair is agreed, within 30 days;\n"
                "- minutes on the notice board within a week, in Khmer.",
                helpful=(CHENDA, KOSAL, SOPHEA, FACILITATOR),
            ),
        ],
    },
    {
        "space": KH,
        "category": SUPPLY,
        "title": "Piece rates and overtime in peak season: who carries the rush?",
        "author": RITHY,
        "days_ago": 20,
        "text": (
            "An honest question from a factory manager. In October our order volume nearly doubles for six "
            "weeks. Sewers on piece rates want the overtime because that is when they earn; the union wants it "
            "capped; the buyers' ship dates do not move. Every year at least one line ends up above the legal "
            "overtime limit.\n\n"
            "How do others plan this? I would like to hear from the brands in this cohort too."
        ),
        "replies": [
            reply(
                "brand",
                SARAH,
                8,
                "From the brand side: part of that peak is made by us. We confirm orders late and keep the ship "
                "date fixed. At Harbour & Pine we are testing a rule that any order confirmed less than 60 days "
                "before shipping gets an extra week, no questions asked. It is early, but this kind of change has "
                "to come from the buyers, not from the factory floor.",
                helpful=(RITHY, CHENDA, RATHANA),
            ),
            reply(
                "notice",
                KOSAL,
                26,
                "Workers do want the hours, but they want to know the day before, not at 4 pm. And a piece rate "
                "that reaches a living wage only with overtime is part of the problem, not a given.",
                helpful=(CHENDA,),
            ),
            reply(
                "register",
                VANNAK,
                30,
                "Agreed. From the inspection side, what we cite most is not the hours themselves but an overtime "
                "register that does not match the pay slips. Keep the register honest first; then the cap can be "
                "discussed on facts.",
                quote="notice",
                helpful=(KOSAL, RITHY),
            ),
            reply(
                "waiver",
                SOPHEA,
                45,
                "In our experience a signed voluntary overtime form from each worker covers the factory when the "
                "hours go over the limit in peak weeks.",
                flags=(
                    (
                        VANNAK,
                        FlagReason.INACCURATE,
                        "A signed form does not make overtime above the legal limit lawful.",
                    ),
                    (KOSAL, FlagReason.INACCURATE, ""),
                ),
            ),
            reply(
                "plan",
                RATHANA,
                70,
                "The members of our association who handle the peak best share one habit: they agree the "
                "overtime plan with the union before the orders arrive, line by line, and post it. It does not "
                "remove the rush, but it removes the surprise.",
                helpful=(RITHY, KOSAL),
            ),
        ],
    },
    {
        "space": KH,
        "category": INSPECTIONS,
        "kind": ThreadKind.QUESTION,
        "title": "How could a follow-up visit be announced without losing its point?",
        "author": SOKUNTHEA,
        "days_ago": 14,
        "text": (
            "A question for everyone, not only inspectors. After a first visit we usually come back "
            "unannounced to check the improvements. Some managers in this cohort told us that an announced "
            "follow-up would let them bring the right people to the table: the OSH officer, the union "
            "representative. But if we announce it, do we only see the factory on its best day?\n\n"
            "How would you announce a follow-up visit so that it still shows the real situation?"
        ),
        "replies": [
            reply(
                "week",
                RITHY,
                4,
                "Announce the week, not the day. And ask us to have the committee's minutes since the first "
                "visit ready. Three months of minutes are hard to fake.",
            ),
            reply(
                "workers",
                CHENDA,
                20,
                "Whatever you do, tell the worker representatives at the same time as management. If only the "
                "manager knows, the workers see an inspector who came to talk to the office.",
                helpful=(SOKUNTHEA, KOSAL),
            ),
            reply(
                "answer",
                VANNAK,
                28,
                "We tried exactly this in two factories: a one-week window sent to both the manager and the "
                "PICC, with a request for the minutes and the overtime register. In both, the committee met "
                "before our visit for the first time in months, which was the point. We kept one unannounced "
                "check a year on top of it.",
                quote="week",
                helpful=(SOKUNTHEA, RITHY, CHENDA, FACILITATOR),
            ),
            reply(
                "decision",
                SOKUNTHEA,
                50,
                "Thank you. I will propose the one-week window, sent to management and the PICC together, to our "
                "department, and keep one unannounced visit a year. Marking Vannak's reply as the answer.",
            ),
        ],
        "accept": "answer",
    },
    {
        "space": KH,
        "category": ANONYMOUS,
        "title": "Wages held back after a walkout",
        "author": CHENDA,
        "days_ago": 9,
        "text": (
            "I am writing here because this is sensitive. After a short walkout over a late bonus last month, "
            "workers who took part say part of their wages for the month was held back as a “penalty”. "
            "Nobody got this in writing. Some are afraid to complain because their contracts end in December.\n\n"
            "What should they document, and who should they go to first?"
        ),
        "replies": [
            reply(
                "document",
                KOSAL,
                3,
                "Keep every pay slip, and write down the same day who told them about the penalty and what was "
                "said. A photo of the pay slip on a phone is enough. Do not let anyone sign a paper that calls "
                "the deduction voluntary.",
                helpful=(CHENDA,),
            ),
            reply(
                "inspectorate",
                VANNAK,
                22,
                "A deduction as a disciplinary penalty is not allowed. The union can complain to the labour "
                "inspectorate on the workers' behalf, without their names in the first letter. What is needed: "
                "the factory, the month, roughly the amount per worker, and copies of the pay slips.",
                helpful=(CHENDA, KOSAL, SOPHEA),
            ),
            reply(
                "hr",
                SOPHEA,
                40,
                "From an HR office: sometimes this is one supervisor acting alone and top management does not "
                "know. A quiet call to the HR manager first can get the money paid in the next payroll. If "
                "nothing moves within a week, go to the inspectorate.",
            ),
            reply(
                "guess",
                DARA,
                44,
                "Is this the factory by the river road, the one whose line 7 supervisor was moved last year? "
                "I think I know who did it.",
                flags=((CHENDA, FlagReason.IDENTIFIES, "This could point to the workers and the factory."),),
            ),
            reply(
                "next",
                CHENDA,
                70,
                "Thank you. The workers have their pay slips together now. We will try the HR office this week "
                "and write to the inspectorate if nothing moves.",
                quote="hr",
            ),
        ],
    },
    {
        "space": KH,
        "category": GENDER,
        "title": "Women on our PICC speak less when we meet in the manager's office",
        "author": SOPHEA,
        "days_ago": 5,
        "text": (
            "We noticed that the women on our committee hardly speak when the meeting is held in the general "
            "manager's office. We moved the meetings to the training room and now start each one with a round "
            "in which everyone speaks once. It helps a little. What else has worked for you?"
        ),
        "replies": [
            reply(
                "premeeting",
                CHENDA,
                6,
                "In the Female Leadership groups, the women members meet for fifteen minutes before the "
                "committee and agree who raises which point. Nobody has to speak first alone.",
                helpful=(SOPHEA,),
            ),
            reply(
                "men",
                KOSAL,
                30,
                "As a man on our committee: ask us to hold back. Our chair now asks the women's side for its "
                "view before the men's on each item. It felt strange for two meetings, then normal.",
                helpful=(SOPHEA, CHENDA),
            ),
        ],
    },
    {
        "space": KH,
        "category": SUPPLY,
        "title": "Follow-up: Opening roundtable: overtime in the peak season",
        "author": RATHANA,
        "days_ago": 10,
        "session": PAST_ROUNDTABLE_TITLE,
        "text": (
            "As promised at the roundtable, here is what is in the association's overtime register template, "
            "one row per worker and day:\n\n"
            "- date and line;\n- hours asked for, and when they were asked for;\n"
            "- hours agreed, signed by the worker;\n- hours worked;\n- the payroll in which they were paid.\n\n"
            "The last column is the one inspectors compare with the pay slips."
        ),
        "replies": [
            reply(
                "board",
                RITHY,
                20,
                "Thank you. Mekong No. 2 starts posting it on the canteen notice board next Monday, as agreed. "
                "I will report here after the first month.",
                helpful=(RATHANA, KOSAL),
            ),
            reply(
                "findings",
                VANNAK,
                36,
                "I will bring three anonymised findings on overtime registers to the next roundtable, as agreed.",
            ),
        ],
    },
    {
        "space": PROGRAMME,
        "category": SUPPLY,
        "title": "A buying-practice question to manufacturers: what should we change first?",
        "author": JONAS,
        "days_ago": 24,
        "text": (
            "I source for Kestrel Sportswear in Vietnam and Cambodia. Our internal review says that our "
            "suppliers' overtime peaks follow our own order changes by two to three weeks. I would like to hear "
            "it directly from the manufacturers in this programme: if a brand could change one thing in how it "
            "places orders, what would help your workers most?"
        ),
        "replies": [
            reply(
                "colours",
                DUC_ANH,
                7,
                "Freeze the style and colour mix at order confirmation. Late colour changes are worse than late "
                "orders: the line stops and resets, and we make the time back in overtime.",
                helpful=(JONAS, RITHY),
            ),
            reply(
                "forecast",
                RITHY,
                24,
                "Share the forecast, even a rough one. If we know in August that October will double, we can hire "
                "and train in September instead of stretching the same people.",
                helpful=(JONAS, DUC_ANH, KHOA),
            ),
            reply(
                "payment",
                KHOA,
                30,
                "Many of our members would add: pay on time. When payment comes 90 days after shipping, the "
                "factory borrows to pay wages, and the first thing cut is the bonus.",
                helpful=(JONAS,),
            ),
            reply(
                "log",
                SARAH,
                50,
                "Late colour changes are the one our buyers underestimate most. We now log every change after "
                "confirmation and report it monthly to our buying team, with the supplier's overtime next to it.",
                quote="colours",
                helpful=(JONAS, DUC_ANH),
            ),
            reply(
                "three",
                JONAS,
                76,
                "Thank you. Forecast, colour freeze and payment terms: I will take these three into our buying "
                "review and come back here with what we change.",
                helpful=(RITHY, DUC_ANH, KHOA, SARAH),
            ),
        ],
    },
    {
        "space": PROGRAMME,
        "category": INSPECTIONS,
        "title": "Comparing notes: follow-up visits in Binh Duong and Phnom Penh",
        "author": LAN,
        "days_ago": 12,
        "text": (
            "In Binh Duong we started last year to send factories a short list of what we will check on the "
            "follow-up visit: the items we cited, and the records we want to see. Improvements are more often "
            "real when the factory knows what “fixed” means. @Vannak Heng, your cohort discussed announced "
            "follow-ups recently: has your department decided anything?"
        ),
        "replies": [
            reply(
                "window",
                VANNAK,
                20,
                "Not decided yet, but we are proposing a one-week window sent to the manager and the PICC "
                "together, with one unannounced check a year on top. A list like yours would fit well with it.",
                helpful=(LAN, MINH),
            ),
            reply(
                "union",
                MINH,
                26,
                "One lesson from our side: the list must reach the union as well as the management. The first "
                "time, only the manager had it, and the workers thought we had agreed the visit with him.",
                helpful=(LAN, VANNAK, HOA),
            ),
            reply(
                "advert",
                KHOA,
                40,
                "Our association runs a paid audit-readiness course next month, 20% off for members of this "
                "programme. Write to me for the brochure.",
                flags=((LAN, FlagReason.SPAM, "Advertising a paid course."),),
            ),
            reply(
                "template",
                LAN,
                60,
                "Thank you both. I will share our list template here once it is translated into English.",
                quote="union",
            ),
        ],
    },
    {
        "space": PROGRAMME,
        "category": IR,
        "title": "Union and management in the same training room: what made it work?",
        "author": HOA,
        "days_ago": 6,
        "text": (
            "At our first roundtable in Binh Duong, union leaders and managers sat at separate tables at "
            "lunch. By the third session they did not. What made the difference in your cohort?"
        ),
        "replies": [
            reply(
                "problem",
                TRANG,
                5,
                "Working on one real problem from one factory, together, with the figures on the table. It is "
                "hard to stay on your side of the room when you are counting the same overtime hours.",
                helpful=(HOA,),
            ),
            reply(
                "facilitators",
                KOSAL,
                28,
                "Facilitators who did not let the managers speak first every time. Small, but everyone noticed.",
                helpful=(HOA, CHENDA),
            ),
        ],
    },
]

# Reading state of a few documented accounts: (email, thread title, last post number read).
READ = [
    (VANNAK, "Our PICC stopped meeting after the production manager left", 4),
    (VANNAK, "Fire exits blocked by finished goods in peak season", 6),
    (FACILITATOR, "Fire exits blocked by finished goods in peak season", 6),
    (FACILITATOR, "How could a follow-up visit be announced without losing its point?", 5),
    (FACILITATOR, "Our PICC stopped meeting after the production manager left", 2),
    (CHENDA, "Fire exits blocked by finished goods in peak season", 3),
    (OBSERVER_KH, "Piece rates and overtime in peak season: who carries the rush?", 6),
]
# Category follows: the facilitator hears of every new thread in the anonymous category.
FOLLOWS = [(FACILITATOR, KH, ANONYMOUS), (FACILITATOR, KH, INSPECTIONS), (VANNAK, PROGRAMME, INSPECTIONS)]


def seed() -> dict[str, int]:
    people = {user.email: user for user in User.objects.filter(email__endswith="@example.org")}
    spaces = _spaces()
    if not spaces:
        return {"forum threads": 0}
    categories = {key: list(space.categories.order_by("position", "pk")) for key, space in spaces.items()}
    for email, key, position in FOLLOWS:
        if email in people and key in spaces:
            services.category_follow(user=people[email], category=categories[key][position], follow=True)
    now = timezone.now().replace(second=0, microsecond=0)
    for spec in THREADS:
        space = spaces.get(spec["space"])
        authors = [spec["author"], *(r["author"] for r in spec["replies"])]
        if space is None or any(email not in people for email in authors):
            continue
        if Thread.objects.filter(space=space, title=spec["title"]).exists():
            continue
        _write_thread(spec, space, categories[spec["space"]][spec["category"]], people, now)
    for email, title, number in READ:
        thread = Thread.objects.filter(space__in=spaces.values(), title=title).first()
        if thread is not None and email in people:
            _mark_read(people[email], thread, number)
    for category_list in categories.values():
        for category in category_list:
            latest = category.threads.aggregate(latest=Max("last_posted_at"))["latest"]
            type(category).objects.filter(pk=category.pk).update(last_posted_at=latest)
    # Totals, not what this run added: a second run reports the same figures.
    in_demo = {"space__in": list(spaces.values())}
    return {
        "forum threads": Thread.objects.filter(**in_demo).count(),
        "forum posts": Post.objects.filter(**in_demo).count(),
        "forum flags waiting": Flag.objects.filter(resolved_at__isnull=True, **in_demo).count(),
    }


def _spaces() -> dict[str, Space]:
    spaces = {}
    cohort = Cohort.objects.filter(slug=KH).first()
    if cohort is not None:
        spaces[KH] = services.space_ensure_for_cohort(cohort=cohort)
    programme = Programme.objects.filter(slug=PROGRAMME).first()
    if programme is not None:
        spaces[PROGRAMME] = services.space_ensure_commons(programme=programme)
    return spaces


def _write_thread(spec: dict, space: Space, category, people: dict[str, User], now) -> None:
    opened_at = now - timedelta(days=spec["days_ago"])
    session_id = None
    if spec.get("session") and space.cohort_id:
        session_id = roundtable_selectors.session_id_titled(cohort_id=space.cohort_id, title=spec["session"])
    thread = services.thread_create(
        author=people[spec["author"]],
        category=category,
        title=spec["title"],
        text=spec["text"],
        kind=spec.get("kind", ThreadKind.DISCUSSION),
        roundtable_session_id=session_id,
    )
    opening = thread.posts.get(number=1)
    # Moved back at once: new members' posting interval counts from a person's last post.
    Post.objects.filter(pk=opening.pk).update(created_at=opened_at)
    posts, times = {"opening": opening}, {opening.pk: opened_at}
    for item in spec["replies"]:
        at = opened_at + timedelta(hours=item["hours"])
        quoted = posts.get(item["quote"]) if item["quote"] else None
        text = item["text"]
        if quoted is not None:
            label = selectors.public_author_label(author=quoted.author, anonymous=quoted.anonymous)
            text = quote_source(author_label=label, source=quoted.source) + text
        post = services.post_reply(author=people[item["author"]], thread=thread, text=text, quoted=quoted)
        Post.objects.filter(pk=post.pk).update(created_at=at)
        posts[item["key"]], times[post.pk] = post, at
    for item in [{"key": "opening", "helpful": spec.get("helpful", ()), "flags": ()}, *spec["replies"]]:
        post = posts[item["key"]]
        for email in item["helpful"]:
            services.reaction_toggle(user=people[email], post=post)
        for reporter, reason, note in item["flags"]:
            flag = moderation.flag_create(reporter=people[reporter], post=post, reason=reason, note=note)
            Flag.objects.filter(pk=flag.pk).update(created_at=times[post.pk] + timedelta(hours=2))
    if spec.get("accept"):
        services.answer_accept(user=people[spec["author"]], post=posts[spec["accept"]])
    for post_id, at in times.items():
        Notification.objects.filter(post_id=post_id).update(created_at=at)
        Reaction.objects.filter(post_id=post_id).update(created_at=at + timedelta(hours=3))
    last = max(times.values())
    Thread.objects.filter(pk=thread.pk).update(created_at=opened_at, last_posted_at=last)
    ThreadReadState.objects.filter(thread=thread).update(visited_at=last)


def _mark_read(user: User, thread: Thread, number: int) -> None:
    """Set how far the person has read (never lower than what their own posts set)."""
    state = ThreadReadState.objects.filter(user=user, thread=thread).first()
    if state is None:
        ThreadReadState.objects.create(
            user=user, thread=thread, last_read_number=min(number, thread.last_number), visited_at=thread.last_posted_at
        )
    elif state.last_read_number < number:
        ThreadReadState.objects.filter(pk=state.pk).update(last_read_number=min(number, thread.last_number))
