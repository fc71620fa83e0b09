"""Quizzes: graded on the server, one attempt per submission, limits kept."""

import pytest
from django.urls import reverse

from courses import quizzes, services
from courses.models import QuizAttempt
from tests.factories import assign_course, course_tree, quiz_block_value


@pytest.fixture
def quiz_lesson(cohort_a):
    course, lessons = course_tree(body=[("text", "<p>Read first.</p>"), ("quiz", quiz_block_value(max_attempts=2))])
    assign_course(cohort_a, course)
    return lessons[0]


def quiz_ids(lesson):
    """(quiz id, {question text: (question id, {option text: option id})})"""
    child = next(child for child in lesson.body if child.block_type == "quiz")
    questions = {
        question.value["text"]: (
            question.id,
            {option.value["text"]: option.id for option in question.value["options"].bound_blocks},
        )
        for question in child.value["questions"].bound_blocks
    }
    return child.id, questions


def answers(lesson, *, right: bool = True) -> dict[str, list[str]]:
    _quiz_id, questions = quiz_ids(lesson)
    (q1, o1), (q2, o2) = questions.values()
    if right:
        return {
            q1: [o1["A named person with a due date"]],
            q2: [o2["No one checks the exits each shift"], o2["Storage space is too small"]],
        }
    return {q1: [o1["The whole committee"]], q2: [o2["Boxes in front of the exit"]]}


def post(client, lesson, submitted, attempt=1):
    quiz_id, _ = quiz_ids(lesson)
    data = {"attempt": attempt, **{f"q-{question}": options for question, options in submitted.items()}}
    return client.post(reverse("quiz_submit", kwargs={"lesson_id": lesson.pk, "quiz_id": quiz_id}), data)


def test_grading_needs_exactly_the_correct_options(quiz_lesson):
    quiz_id, questions = quiz_ids(quiz_lesson)
    quiz = quizzes.find_quiz(quiz_lesson, quiz_id)
    assert quizzes.grade(quiz, answers(quiz_lesson)).score == 100
    assert quizzes.grade(quiz, answers(quiz_lesson, right=False)).score == 0
    (q1, o1), (q2, o2) = questions.values()
    half = {q1: [o1["A named person with a due date"]], q2: [o2["No one checks the exits each shift"]]}
    result = quizzes.grade(quiz, half)
    assert result.score == 50 and result.passed  # pass mark 50
    assert result.results[q2]["correct"] is False


def test_a_learner_passes_and_sees_feedback_and_the_correct_answers(client, quiz_lesson, participant_a):
    client.force_login(participant_a)
    response = post(client, quiz_lesson, answers(quiz_lesson))
    assert response.status_code == 302
    attempt = QuizAttempt.objects.get(user=participant_a)
    assert (attempt.number, attempt.score, attempt.passed) == (1, 100, True)
    page = client.get(quiz_lesson.url).content.decode()
    assert "You passed with 100%" in page
    assert "Yes: owned and dated." in page  # feedback of the chosen option
    assert "correct answer" in page


def test_a_failed_attempt_shows_feedback_but_not_the_answers_while_attempts_remain(client, quiz_lesson, participant_a):
    client.force_login(participant_a)
    post(client, quiz_lesson, answers(quiz_lesson, right=False))
    page = client.get(quiz_lesson.url).content.decode()
    assert "You scored 0%" in page and "Shared by all is owned by none." in page
    assert "correct answer" not in page and "Try again" in page


def test_unknown_or_missing_ids_get_400_with_field_errors_and_nothing_recorded(client, quiz_lesson, participant_a):
    client.force_login(participant_a)
    good = answers(quiz_lesson)
    first_question = next(iter(good))
    missing = {question: options for question, options in good.items() if question != first_question}
    response = post(client, quiz_lesson, missing)
    assert response.status_code == 400
    assert str(quizzes.ANSWER_REQUIRED) in response.content.decode()
    bogus_option = {**good, first_question: ["no-such-option"]}
    assert post(client, quiz_lesson, bogus_option).status_code == 400
    bogus_question = {**good, "no-such-question": ["x"]}
    response = post(client, quiz_lesson, bogus_question)
    assert response.status_code == 400 and str(quizzes.UNKNOWN_QUESTION) in response.content.decode()
    assert QuizAttempt.objects.count() == 0


def test_two_answers_to_a_single_choice_question_are_refused(client, quiz_lesson, participant_a):
    client.force_login(participant_a)
    _quiz_id, questions = quiz_ids(quiz_lesson)
    (q1, o1), _ = questions.values()
    response = post(client, quiz_lesson, {**answers(quiz_lesson), q1: list(o1.values())})
    assert response.status_code == 400 and str(quizzes.ONE_ANSWER_ONLY) in response.content.decode()


def test_a_refused_submission_keeps_the_answers_ticked(client, quiz_lesson, participant_a):
    client.force_login(participant_a)
    good = answers(quiz_lesson)
    last_question = list(good)[-1]
    kept_option = good[last_question][0]
    response = post(client, quiz_lesson, {last_question: good[last_question]})
    assert f'value="{kept_option}" checked' in response.content.decode()


def test_a_double_submit_or_a_second_tab_counts_one_attempt(client, quiz_lesson, participant_a):
    client.force_login(participant_a)
    post(client, quiz_lesson, answers(quiz_lesson, right=False), attempt=1)
    response = post(client, quiz_lesson, answers(quiz_lesson), attempt=1)  # the other tab, same attempt
    assert response.status_code == 302
    assert QuizAttempt.objects.filter(user=participant_a).count() == 1
    assert QuizAttempt.objects.get(user=participant_a).score == 0  # the first one counts


def test_past_the_attempts_limit_a_clear_message_and_nothing_recorded(client, quiz_lesson, participant_a):
    client.force_login(participant_a)
    post(client, quiz_lesson, answers(quiz_lesson, right=False), attempt=1)
    post(client, quiz_lesson, answers(quiz_lesson, right=False), attempt=2)
    response = post(client, quiz_lesson, answers(quiz_lesson), attempt=3)
    assert response.status_code == 302
    page = client.get(quiz_lesson.url).content.decode()
    assert "You have used all 2 attempts at this quiz." in page
    assert "correct answer" in page  # no attempt left: the answers are shown
    assert QuizAttempt.objects.filter(user=participant_a).count() == 2


def test_the_service_refuses_past_the_limit(quiz_lesson, participant_a):
    quiz_id, _ = quiz_ids(quiz_lesson)
    for number in (1, 2):
        services.quiz_submit(
            user=participant_a,
            lesson=quiz_lesson,
            quiz_id=quiz_id,
            attempt_number=number,
            submitted=answers(quiz_lesson),
        )
    with pytest.raises(services.QuizError) as error:
        services.quiz_submit(
            user=participant_a, lesson=quiz_lesson, quiz_id=quiz_id, attempt_number=3, submitted=answers(quiz_lesson)
        )
    assert error.value.code == "no_attempts_left"


@pytest.mark.parametrize("persona", ["participant_b", "outsider"])
def test_a_quiz_of_a_course_outside_your_cohorts_is_a_404(client, quiz_lesson, persona, request):
    client.force_login(request.getfixturevalue(persona))
    assert post(client, quiz_lesson, answers(quiz_lesson)).status_code == 404
    assert QuizAttempt.objects.count() == 0


def test_an_unknown_quiz_id_is_a_404(client, quiz_lesson, participant_a):
    client.force_login(participant_a)
    url = reverse("quiz_submit", kwargs={"lesson_id": quiz_lesson.pk, "quiz_id": "no-such-quiz"})
    assert client.post(url, {"attempt": 1}).status_code == 404


def test_a_visitor_submitting_is_asked_to_sign_in(client, quiz_lesson):
    response = post(client, quiz_lesson, answers(quiz_lesson))
    assert response.status_code == 302 and response.url.startswith(reverse("account_login"))
