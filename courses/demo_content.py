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
