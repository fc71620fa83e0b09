"""The demo course: OSH Leadership, seven modules, each ending in an improvement plan.

Written for this platform from the programme's public facts: prevention beats fixing;
find the problem and its root cause; turn issues into specific, prioritised tasks before
choosing solutions; safety labels in the workers' own language; improvements last with
oversight and openness.
"""


def text(html: str) -> tuple:
    return ("text", html)


def key_point(title: str, body: str) -> tuple:
    return ("key_point", {"title": title, "text": body})


def reflection(prompt: str, guidance: str = "") -> tuple:
    return ("reflection", {"prompt": prompt, "guidance": guidance})


def discussion(prompt: str) -> tuple:
    return ("discussion", {"prompt": prompt})


def plan_step(prompt: str, example: str) -> tuple:
    return ("improvement_step", {"prompt": prompt, "example": example})


def question(kind: str, prompt: str, *options: tuple[str, bool, str]) -> dict:
    return {
        "kind": kind,
        "text": prompt,
        "options": [{"text": label, "correct": correct, "feedback": feedback} for label, correct, feedback in options],
    }


def quiz(*questions: dict, pass_mark: int = 60, attempts: int = 3) -> tuple:
    return (
        "quiz",
        {
            "title": "Check your understanding",
            "pass_mark": pass_mark,
            "max_attempts": attempts,
            "questions": list(questions),
        },
    )


OSH_COURSE = {
    "title": "OSH Leadership",
    "slug": "osh-leadership",
    "summary": (
        "Seven modules for factory OSH staff and managers on leading safety and health rather than "
        "reacting to accidents. Each module ends with one improvement on your own floor: specific, "
        "owned and dated."
    ),
    "duration": "7 modules, about 6 hours",
    "audience": ["factory_management", "trade_union", "labour_inspectorate"],
    "clusters": ["occupational-safety-and-health", "working-time"],
    "modules": [
        {
            "title": "1. Why safety needs leaders",
            "intro": "From fixing accidents to preventing them.",
            "lessons": [
                {
                    "title": "Prevention beats fixing",
                    "minutes": 15,
                    "body": [
                        text(
                            "<p>Most factories meet safety and health through incidents: a needle injury, a "
                            "fainting worker, a fire drill that nobody joins. Each incident is handled, and the "
                            "floor goes back to how it was. Leadership in OSH means changing that rhythm: "
                            "looking for the conditions that will cause the next incident and removing them "
                            "while they are still cheap to remove.</p>"
                            "<p>A blocked exit costs minutes to clear today. In a fire it costs lives. A "
                            "chemical without a label in the workers' language costs a printer and an hour "
                            "today; after a splash to the eyes it costs a worker's sight.</p>"
                        ),
                        key_point(
                            "Key point",
                            "Prevention beats fixing: every hazard you remove before it hurts someone is the cheapest safety work you will ever do.",
                        ),
                        quiz(
                            question(
                                "single",
                                "A sewing line reports three needle injuries this month. What does an OSH leader do first?",
                                (
                                    "Replace the injured workers' gloves",
                                    False,
                                    "That treats the injuries, not what causes them.",
                                ),
                                (
                                    "Find out why the injuries happen on that line",
                                    True,
                                    "Yes: the cause decides the fix.",
                                ),
                                (
                                    "Post a warning sign on the line",
                                    False,
                                    "A sign rarely changes the conditions that hurt people.",
                                ),
                            ),
                            question(
                                "true_false",
                                "If there has been no accident this year, the factory's OSH is under control.",
                                ("True", False, "No accident can mean luck. Hazards are there before the accident is."),
                                ("False", True, "Right: look for hazards, not only for accidents."),
                            ),
                        ),
                        plan_step(
                            "Name one hazard on your floor that has not hurt anyone yet but could. Write the action that removes it.",
                            "Move the boxes stored in front of exit B and mark the floor so nothing is stored there again. Owner: Dara (warehouse). Due: Friday.",
                        ),
                    ],
                }
            ],
        },
        {
            "title": "2. Finding hazards",
            "intro": "Walking the floor with fresh eyes, and asking the people who work there.",
            "lessons": [
                {
                    "title": "The floor walk and the workers' view",
                    "minutes": 20,
                    "body": [
                        text(
                            "<p>A floor walk works best with a short checklist and a mixed team: a manager, a "
                            "worker representative from the joint committee and someone from maintenance. "
                            "Walk the route a worker takes in a day, from the gate to the canteen to the "
                            "line, and look at exits, electrical panels, machine guards, chemicals, heat, "
                            "lighting and drinking water.</p>"
                            "<p>Ask the workers on each line what slows them down or worries them. Many are "
                            "reluctant to speak in front of a supervisor: ask away from the line, or let the "
                            "worker representative collect the answers.</p>"
                        ),
                        reflection(
                            "When did a worker last tell you about a hazard before you found it yourself? What made that possible, or what stops it?",
                        ),
                        plan_step(
                            "Plan one floor walk with a mixed team in the next two weeks.",
                            "Floor walk of cutting and finishing with the PICC worker representative and the maintenance lead. Owner: Sophea. Due: the 15th.",
                        ),
                    ],
                }
            ],
        },
        {
            "title": "3. Root causes",
            "intro": "Asking why until you reach something you can change.",
            "lessons": [
                {
                    "title": "Five whys on a real problem",
                    "minutes": 20,
                    "body": [
                        text(
                            "<p>Boxes block the fire exit. Why? Finished goods are stored there. Why? The "
                            "warehouse is full. Why? Shipments are collected late. Why? Nobody agreed the "
                            "collection times with the buyer's forwarder. The boxes are the symptom; the "
                            "missing agreement is a cause someone can act on.</p>"
                            "<p>Turn the issue into specific, prioritised tasks before choosing a solution: "
                            "clearing the exit today is one task, agreeing collection times is another, and "
                            "checking the exit every shift is a third.</p>"
                        ),
                        quiz(
                            question(
                                "multiple",
                                "Which of these are causes rather than symptoms?",
                                ("No one checks the exits each shift", True, "A missing routine: a cause you can fix."),
                                ("Boxes in front of the exit", False, "That is what you see, the symptom."),
                                (
                                    "The warehouse has no space planned for finished goods",
                                    True,
                                    "A cause behind the boxes.",
                                ),
                            ),
                        ),
                        plan_step(
                            "Take the hazard from module 1 and write one action on its root cause, not its symptom.",
                            "Agree weekly collection days with the forwarder so finished goods never wait in the corridor. Owner: logistics manager. Due: end of month.",
                        ),
                    ],
                }
            ],
        },
        {
            "title": "4. Fire safety and emergencies",
            "intro": "Exits, alarms, drills and the first minutes.",
            "lessons": [
                {
                    "title": "The first three minutes",
                    "minutes": 20,
                    "body": [
                        text(
                            "<p>In a fire, what happens in the first three minutes depends on what was done "
                            "in the months before: exits unlocked and clear during working hours, alarms heard "
                            "on every floor, evacuation routes posted where workers see them, and drills that "
                            "every shift has practised, night shift included.</p>"
                        ),
                        key_point(
                            "Key point", "An exit that is locked 'for security' during working hours is not an exit."
                        ),
                        discussion(
                            "Which exit in your factory or district is most often blocked, and what has kept it "
                            "clear when something worked? Compare notes with the inspectors, managers and union "
                            "officials in your cohort."
                        ),
                        plan_step(
                            "Choose one weakness in your emergency preparedness and write the action that removes it.",
                            "Run an unannounced evacuation drill for the night shift and time it. Owner: OSH officer. Due: next month.",
                        ),
                    ],
                }
            ],
        },
        {
            "title": "5. Chemicals",
            "intro": "Knowing what is on the floor, and telling workers in their language.",
            "lessons": [
                {
                    "title": "Labels people can read",
                    "minutes": 20,
                    "body": [
                        text(
                            "<p>Spot cleaners, glues and dyes arrive with safety data sheets in the "
                            "supplier's language. Workers need to know, in their own language, what the "
                            "chemical does to the body, which gloves or masks protect them, and what to do "
                            "after a splash. Keep an up-to-date list of every chemical on site, where it is "
                            "stored and who uses it.</p>"
                        ),
                        reflection(
                            "Could a new worker at your spot-cleaning station read the label of the chemical in front of them?"
                        ),
                        plan_step(
                            "Write one action that makes a chemical hazard understandable to the people exposed to it.",
                            "Print Khmer labels for the three spot cleaners in finishing and train the station's workers. Owner: Chenda. Due: two weeks.",
                        ),
                    ],
                }
            ],
        },
        {
            "title": "6. Heat, ergonomics and welfare",
            "intro": "The hazards that wear people down slowly.",
            "lessons": [
                {
                    "title": "What a long shift does to the body",
                    "minutes": 20,
                    "body": [
                        text(
                            "<p>Heat near pressing and steam, chairs without back support, work tables at "
                            "the wrong height, no drinking water close to the line: these do not cause one "
                            "dramatic accident. They cause fainting, back pain and mistakes late in the "
                            "shift, and they push experienced workers to leave.</p>"
                        ),
                        plan_step(
                            "Pick one condition that wears workers down and write the action that improves it.",
                            "Measure temperature at the pressing section at 2 p.m. for a week and install two fans where it is above 32°C. Owner: maintenance lead. Due: this month.",
                        ),
                    ],
                }
            ],
        },
        {
            "title": "7. Making it last",
            "intro": "Committees, oversight and openness.",
            "lessons": [
                {
                    "title": "Oversight and openness",
                    "minutes": 20,
                    "body": [
                        text(
                            "<p>Improvements last when someone keeps following them up and when the factory "
                            "is open to the work: workers free to raise problems and involved in solving "
                            "them. The joint worker-management committee (PICC) is where both meet: equal "
                            "numbers of management and worker representatives, meeting regularly, with the "
                            "improvement plan on every agenda.</p>"
                        ),
                        reflection(
                            "Which of the actions you wrote in this course would stop if you left the factory tomorrow? Who else should own it?",
                        ),
                        plan_step(
                            "Put your improvement plan on the next PICC agenda: write the action that makes follow-up regular.",
                            "Add a standing OSH item to the monthly PICC meeting, reviewing every open action. Owner: PICC secretary. Due: next meeting.",
                        ),
                    ],
                }
            ],
        },
    ],
}


def lesson(title: str, minutes: int, *body: tuple) -> dict:
    return {"title": title, "minutes": minutes, "body": list(body)}


def module(title: str, intro: str, *lessons: dict) -> dict:
    return {"title": title, "intro": intro, "lessons": list(lessons)}


IR_COURSE = {
    "title": "Industrial Relations Leadership",
    "slug": "industrial-relations-leadership",
    "summary": (
        "For the 20 to 25 people who shape workplace relations in one organisation: owners, top "
        "management, union leaders, shop stewards, finance and administration managers. A mapping of "
        "how relations work today, a kick-off on commitment, then nine modules over six to eight months."
    ),
    "duration": "2-day mapping, half-day kick-off, 9 modules over 6-8 months",
    "audience": ["factory_management", "trade_union", "employer_association"],
    "clusters": ["freedom-of-association", "contracts-and-hr", "compensation", "working-time"],
    "modules": [
        module(
            "Mapping: how relations work here today",
            "Two days that tune the course to your organisation.",
            lesson(
                "Drawing the map together",
                30,
                text(
                    "<p>The mapping brings management and worker representatives into one room to draw how "
                    "workplace relations actually run: who raises problems, through which channels, how long "
                    "answers take, and where disputes end up. Each side draws its own map first, then the two "
                    "maps are compared. The gaps between them are where the course will focus.</p>"
                ),
                reflection("Where do you think the two maps of your organisation will differ most?"),
            ),
        ),
        module(
            "Kick-off: commitment and expected impact",
            "Half a day on what everyone commits to, and how you will know it worked.",
            lesson(
                "What we commit to",
                20,
                text(
                    "<p>The kick-off turns the map into commitments: time for representatives to attend, "
                    "protection for those who speak up, and two or three results the group expects within "
                    "the programme, such as fewer unresolved grievances or a committee that meets every month.</p>"
                ),
                plan_step(
                    "Write one commitment your side makes for the coming months.",
                    "Shop stewards get two paid hours a month for committee work. Owner: HR manager. Due: from next month.",
                ),
            ),
        ),
        module(
            "1. Workplace relations today",
            "What good relations look like, and what they are worth.",
            lesson(
                "Relations as a working system",
                20,
                text(
                    "<p>Good workplace relations are not the absence of conflict. They are a system that "
                    "brings problems to the surface early and settles them at the lowest level possible, "
                    "before they become stoppages, turnover or audit findings.</p>"
                ),
                quiz(
                    question(
                        "true_false",
                        "A factory with no complaints has good workplace relations.",
                        ("True", False, "Silence often means people do not believe raising a problem is worth it."),
                        ("False", True, "Right: problems raised early are a sign of trust."),
                    ),
                ),
            ),
        ),
        module(
            "2. Social dialogue",
            "Information, consultation and negotiation.",
            lesson(
                "Three levels of dialogue",
                20,
                text(
                    "<p>Sharing information, consulting before deciding, and negotiating an agreement are "
                    "three different things. Much distrust comes from calling one of them by the name of "
                    "another: announcing a decision and calling it consultation, for example.</p>"
                ),
                reflection(
                    "Think of the last change to shifts or targets. Was it information, consultation or negotiation?"
                ),
            ),
        ),
        module(
            "3. The joint committee at work",
            "Making the PICC a place where problems get solved.",
            lesson(
                "An agenda that matters",
                20,
                text(
                    "<p>A joint committee has equal numbers of management and worker representatives and "
                    "meets regularly. It works when its agenda carries real issues, its minutes record who "
                    "will do what by when, and every meeting starts with the actions from the last one.</p>"
                ),
                plan_step(
                    "Write one change that makes your committee's next meeting more useful.",
                    "Start every meeting by reviewing the open actions from the last one. Owner: committee secretary. Due: next meeting.",
                ),
            ),
        ),
        module(
            "4. Grievances",
            "Channels people trust, answers that come on time.",
            lesson(
                "A grievance procedure people use",
                20,
                text(
                    "<p>A procedure is trusted when workers can raise an issue without fear, know who will "
                    "answer and by when, and can take it further if the answer does not come. Sensitive "
                    "issues such as harassment need a channel that does not pass through the person "
                    "concerned.</p>"
                ),
                quiz(
                    question(
                        "multiple",
                        "Which make a grievance procedure trustworthy?",
                        ("A deadline for the first answer", True, "People need to know when to expect it."),
                        (
                            "All grievances go through the line supervisor",
                            False,
                            "Not when the supervisor is the problem.",
                        ),
                        ("A way to appeal the first answer", True, "Without it, a bad first answer ends the matter."),
                    ),
                ),
            ),
        ),
        module(
            "5. Collective bargaining",
            "Preparing, negotiating and keeping agreements.",
            lesson(
                "Preparing to negotiate",
                25,
                text(
                    "<p>Both sides negotiate better with the same facts: wage data, overtime hours, order "
                    "forecasts. Agree early what information will be shared, and prepare your priorities "
                    "and your limits before the first meeting, not during it.</p>"
                ),
                reflection("What information would the other side need from you to negotiate in good faith?"),
            ),
        ),
        module(
            "6. Communication and influence",
            "Being heard across the table.",
            lesson(
                "Listening first",
                20,
                text(
                    "<p>Influence at factory level starts with showing you have understood the other side's "
                    "concern, in their words, before making your own case. A supervisor who can repeat a "
                    "worker's complaint accurately has already lowered the temperature of the conversation.</p>"
                ),
                plan_step(
                    "Choose one difficult conversation coming up and write how you will open it.",
                    "Open the overtime discussion by summarising the stewards' three concerns before presenting the order plan. Owner: production manager. Due: Monday.",
                ),
            ),
        ),
        module(
            "7. Solving problems together",
            "Root causes, shared between management and workers.",
            lesson(
                "One problem, two views",
                20,
                text(
                    "<p>Management and worker representatives often see the same problem from different "
                    "ends: late wages as a cash-flow issue on one side and as a broken promise on the other. "
                    "Work through the causes together, then turn them into specific, prioritised tasks "
                    "before choosing a solution.</p>"
                ),
                reflection("Which recurring problem in your factory has never been looked at by both sides together?"),
            ),
        ),
        module(
            "8. Pay, hours and contracts",
            "Shared issues with a clear record.",
            lesson(
                "Pay slips people understand",
                20,
                text(
                    "<p>Many disputes about pay come from pay slips nobody can read. A slip that shows hours, "
                    "overtime, piece rates and deductions line by line, in the workers' language, prevents "
                    "more grievances than any procedure can handle.</p>"
                ),
                plan_step(
                    "Write one action that makes pay, hours or contracts clearer to workers.",
                    "Redesign the pay slip with the union so overtime and deductions are listed in Khmer. Owner: finance manager. Due: next payroll.",
                ),
            ),
        ),
        module(
            "9. Keeping dialogue alive",
            "After the programme ends.",
            lesson(
                "Oversight and openness",
                20,
                text(
                    "<p>Improvements last when someone keeps following them up and when the organisation "
                    "stays open: people free to speak, and involved in solving problems. Decide now who will "
                    "review the commitments from the kick-off, and when.</p>"
                ),
                plan_step(
                    "Write who will review this group's commitments, and when, once the course is over.",
                    "Review the kick-off commitments at the committee's quarterly meeting. Owner: committee chair. Due: every quarter.",
                ),
            ),
        ),
    ],
}
