"""Reading and grading a quiz block. Pure functions: no database, no request.

A quiz lives in a lesson's StreamField; its questions and options are identified by the
ids Wagtail keeps for stream children and list items. A submission maps question ids to
the option ids the learner chose.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from courses.blocks import QuestionKind

# Error messages, asserted by the tests.
ANSWER_REQUIRED = _("Choose an answer.")
ONE_ANSWER_ONLY = _("Choose only one answer.")
UNKNOWN_OPTION = _("This answer is not one of the options.")
UNKNOWN_QUESTION = _("This question is not part of the quiz.")


@dataclass
class Grade:
    score: int
    passed: bool
    results: dict[str, dict] = field(default_factory=dict)


def find_quiz(lesson, quiz_id: str):
    """The quiz block of the lesson with this id (its StructValue), or None."""
    for child in lesson.body:
        if child.block_type == "quiz" and child.id == quiz_id:
            return child.value
    return None


def questions_of(quiz) -> dict[str, dict]:
    """{question id: {"kind", "text", "options": {option id: option value}}}"""
    return {
        question.id: {
            "kind": question.value["kind"],
            "text": question.value["text"],
            "options": {option.id: option.value for option in question.value["options"].bound_blocks},
        }
        for question in quiz["questions"].bound_blocks
    }


def validate_answers(quiz, submitted: dict[str, list[str]]) -> tuple[dict[str, list[str]], dict[str, str]]:
    """Check a submission against the quiz: every question answered, with its own options.

    Returns (answers, errors); errors map question ids (or "quiz", for the whole quiz) to messages.
    """
    questions = questions_of(quiz)
    errors: dict[str, str] = {}
    for question_id in submitted:
        if question_id not in questions:
            errors["quiz"] = str(UNKNOWN_QUESTION)
    answers: dict[str, list[str]] = {}
    for question_id, question in questions.items():
        chosen = list(dict.fromkeys(submitted.get(question_id, [])))
        if not chosen:
            errors[question_id] = str(ANSWER_REQUIRED)
        elif any(option_id not in question["options"] for option_id in chosen):
            errors[question_id] = str(UNKNOWN_OPTION)
        elif question["kind"] != QuestionKind.MULTIPLE and len(chosen) > 1:
            errors[question_id] = str(ONE_ANSWER_ONLY)
        answers[question_id] = chosen
    return answers, errors


def grade(quiz, answers: dict[str, list[str]]) -> Grade:
    """Score validated answers: a question is right when exactly its correct options are
    chosen. The score is the percentage of questions answered right."""
    questions = questions_of(quiz)
    results = {}
    for question_id, question in questions.items():
        correct = {option_id for option_id, option in question["options"].items() if option["correct"]}
        chosen = answers.get(question_id, [])
        results[question_id] = {
            "correct": set(chosen) == correct,
            "chosen": chosen,
            "feedback": [
                question["options"][option_id]["feedback"]
                for option_id in chosen
                if question["options"][option_id]["feedback"]
            ],
            "correct_options": sorted(correct),
        }
    right = sum(1 for result in results.values() if result["correct"])
    score = round(100 * right / len(questions)) if questions else 0
    return Grade(score=score, passed=score >= quiz["pass_mark"], results=results)
