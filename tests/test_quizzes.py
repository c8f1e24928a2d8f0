"""Concept checks: the checking engine (``nnkit.labs.quiz``), the ``Quiz`` widget, every lesson's
questions (``nnkit/exercises/quizzes/lesson_XX.py``) and the lesson cell that shows them.

Every question module is checked as a learner would meet it: the right answer is accepted, each
wrong option is refused with the reason written for it, a number outside the tolerance is refused.
"""
from __future__ import annotations

import base64
import importlib
import io
import pkgutil
from pathlib import Path

import ipywidgets as widgets
import nbformat
import numpy as np
import pytest
from PIL import Image

import nnkit.exercises.quizzes as quizzes
from nnkit.labs.quiz import Choice, Feedback, Numeric, QuizSession, check, markdown, parse_number
from nnkit.widgets import Quiz

LESSONS = Path(__file__).resolve().parents[1] / "lessons"
MODULES = sorted(m.name for m in pkgutil.iter_modules(quizzes.__path__)
                 if m.name.startswith("lesson_"))

SIGMOID = Choice("Which activation outputs values strictly between 0 and 1?",
                 ("ReLU", "sigmoid", "tanh", "identity"), answer=1,
                 explanation="σ(z) = 1/(1+e^(−z)) lies strictly between 0 and 1.",
                 why_not={0: "ReLU grows without bound for z > 0.",
                          2: "tanh lies between −1 and 1."})
PARAMS = Numeric("How many parameters has Dense(3) on 4 inputs?", answer=15, tolerance=0,
                 explanation="4×3 weights + 3 biases = 15.", unit="parameters")
RATE = Numeric("What fraction is 1 in 4?", answer=0.25, tolerance=0.01,
               explanation="1/4 = 0.25.")


# ---- the engine ---------------------------------------------------------------------------------

def test_a_right_option_is_accepted_with_its_explanation():
    feedback = check(SIGMOID, 1)
    assert feedback == Feedback(True, f"✓ Right. {SIGMOID.explanation}")
    assert feedback.message == "✓ Right. σ(z) = 1/(1+e^(−z)) lies strictly between 0 and 1."
    assert check(SIGMOID, "sigmoid").correct                   # the option's text works too


def test_a_wrong_option_says_why_not_then_the_answer_and_why():
    feedback = check(SIGMOID, 2)
    assert not feedback.correct
    assert "tanh lies between −1 and 1." in feedback.message
    assert "“sigmoid”" in feedback.message and SIGMOID.explanation in feedback.message
    plain = check(SIGMOID, 3)                                  # no why_not written for it
    assert not plain.correct and "ReLU" not in plain.message
    assert SIGMOID.explanation in plain.message


@pytest.mark.parametrize("response, correct", [
    (0.25, True), (0.259, True), (0.241, True), (0.26, True), (0.2601, False), (0.2, False),
    ("0.25", True), (" 1/4 ", True), ("2.5e-1", True), (".25", True), ("−0.25", False)])
def test_numeric_answers_count_within_the_tolerance(response, correct):
    assert check(RATE, response).correct is correct


def test_numeric_feedback_says_too_high_or_too_low_and_the_answer():
    high, low = check(PARAMS, 16), check(PARAMS, "14 parameters")   # the unit may be typed
    assert "16 parameters is too high" in high.message
    assert "the answer is 15 parameters" in high.message
    assert "too low" in low.message and PARAMS.explanation in low.message
    assert check(PARAMS, 15.0).correct and not check(PARAMS, 15.5).correct   # tolerance 0


@pytest.mark.parametrize("question, response, error, words", [
    (SIGMOID, 4, ValueError, "0–3"), (SIGMOID, -1, ValueError, "0–3"),
    (SIGMOID, None, TypeError, "response=None"), (SIGMOID, True, TypeError, "response=True"),
    (SIGMOID, "softmax", TypeError, "'softmax'"), (SIGMOID, 1.0, TypeError, "1.0"),
    (RATE, "abc", ValueError, "'abc' is not a number"), (RATE, "1/0", ValueError, "'1/0'"),
    (RATE, "", ValueError, "not a number"), (RATE, float("nan"), ValueError, "finite"),
    (RATE, [0.25], TypeError, "[0.25]"), (RATE, False, TypeError, "response=False")])
def test_a_bad_response_is_an_error_naming_it_not_a_wrong_answer(question, response, error, words):
    with pytest.raises(error) as info:
        check(question, response)
    assert words in str(info.value)


def test_check_refuses_what_is_not_a_question():
    with pytest.raises(TypeError, match="Choice or a Numeric"):
        check("What is 2+2?", 4)


@pytest.mark.parametrize("text, value", [("3", 3.0), ("-2.5", -2.5), ("−2.5", -2.5),
                                         ("1e3", 1000.0), ("3/4", 0.75), ("12 %", 12.0)])
def test_parse_number_reads_what_a_learner_types(text, value):
    assert parse_number(text, unit="%") == value


@pytest.mark.parametrize("kwargs, words", [
    (dict(options=("a", "b")), "3–5 answers"), (dict(options=("a", "b", "A")), "must all differ"),
    (dict(options="abc"), "tuple"), (dict(answer=3), "answer must be the index"),
    (dict(answer=True), "answer must be the index"), (dict(explanation=" "), "explanation"),
    (dict(why_not={0: "x"}), "WRONG options"), (dict(why_not={5: "x"}), "why_not key 5"),
    (dict(why_not={1: ""}), "why_not[1]"), (dict(question=""), "question")])
def test_a_broken_choice_fails_when_it_is_made(kwargs, words):
    args = dict(question="Q?", options=("a", "b", "c"), answer=0, explanation="because")
    with pytest.raises((TypeError, ValueError)) as info:
        Choice(**{**args, **kwargs})
    assert words in str(info.value)


@pytest.mark.parametrize("kwargs, words", [
    (dict(tolerance=-0.1), "tolerance must be ≥ 0"),
    (dict(answer=float("inf")), "answer must be"),
    (dict(answer="1"), "answer must be"), (dict(explanation=""), "explanation")])
def test_a_broken_numeric_fails_when_it_is_made(kwargs, words):
    args = dict(question="Q?", answer=1.0, tolerance=0.1, explanation="because")
    with pytest.raises((TypeError, ValueError)) as info:
        Numeric(**{**args, **kwargs})
    assert words in str(info.value)


def test_a_session_keeps_the_last_feedback_and_the_score():
    session = QuizSession([SIGMOID, PARAMS, RATE])
    assert session.score == "0 of 3 right (0 answered)"
    session.answer(0, 0)
    session.answer(1, 15)
    assert session.score == "1 of 3 right (2 answered)"
    session.answer(0, 1)
    session.answer(2, 0.25)
    assert session.score == "3 of 3 right"
    with pytest.raises(ValueError, match="i must be a question index 0–2. Received: i=3"):
        session.answer(3, 1)


def test_the_markdown_has_questions_and_options_but_no_answers():
    text = markdown([SIGMOID, PARAMS])
    assert "1. Which activation" in text and "    - D. identity" in text
    assert "answer: a number (parameters)" in text
    assert "15" not in text.split("2. ")[1].replace("Dense(3)", "")     # the number is not given
    assert SIGMOID.explanation not in text and "ReLU grows" not in text


# ---- the widget ---------------------------------------------------------------------------------

def test_the_widget_answers_through_its_python_api_and_shows_the_words():
    quiz = Quiz([SIGMOID, PARAMS])
    feedback = quiz.answer(0, 2)
    assert not feedback.correct and quiz.inputs[0].value == 2
    assert "tanh lies between" in quiz.replies[0].value
    assert quiz.answer(1, "15").correct and quiz.inputs[1].value == "15"
    assert "1 of 2 right" in quiz.score.value and repr(quiz) == "Quiz(2 questions, 1 of 2 right)"


def test_the_check_button_shows_bad_input_in_words_without_a_traceback():
    quiz = Quiz([SIGMOID, PARAMS])
    quiz.inputs[1].value = "fifteen"
    quiz._from_button(1)                         # what a click on Check does
    assert "is not a number" in quiz.replies[1].value and "Traceback" not in quiz.replies[1].value
    quiz._from_button(0)                         # nothing picked yet
    assert "Pick an answer" in quiz.replies[0].value
    quiz.inputs[0].value = 1
    quiz._from_button(0)
    assert "✓ Right" in quiz.replies[0].value


def test_the_widget_has_one_control_and_one_check_button_per_question():
    quiz = Quiz([SIGMOID, PARAMS, RATE])
    assert [type(c) for c in quiz.inputs] == [widgets.RadioButtons, widgets.Text, widgets.Text]
    assert quiz.inputs[0].options[1] == ("B. sigmoid", 1) and quiz.inputs[0].value is None


def test_readers_without_a_kernel_get_the_questions_as_markdown_and_a_picture():
    quiz = Quiz([SIGMOID, PARAMS])
    bundle = quiz._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert bundle["text/markdown"] == markdown([SIGMOID, PARAMS])
    picture = Image.open(io.BytesIO(base64.b64decode(bundle["image/png"])))
    assert picture.width >= 800 and picture.height >= 200
    short = Image.open(io.BytesIO(Quiz([SIGMOID]).picture()))
    assert short.height < picture.height                      # one question: a shorter picture


def test_the_picture_keeps_the_chinese_terms_of_an_english_lesson():
    from nnkit.plots.fonts import cjk_font
    if cjk_font() is None:
        pytest.skip("no CJK font installed: the picture leaves the Chinese terms out")

    def ink(question):                                 # dark pixels in the question's rows
        quiz = Quiz([Choice(question, ("yes", "no", "maybe"), answer=0, explanation="So.")])
        pixels = np.asarray(Image.open(io.BytesIO(quiz.picture())).convert("L"))
        return int((pixels[60:90] < 128).sum())

    bare = ink("Why does a convolution use locality?")
    with_term = ink("Why does a convolution use locality (局部连接)?")
    assert with_term > bare * 1.2, (bare, with_term)   # the Chinese letters are drawn


# ---- every lesson's questions -------------------------------------------------------------------

def test_there_are_lesson_quizzes():
    assert len(MODULES) >= 7, MODULES


@pytest.fixture(params=MODULES)
def quiz_module(request):
    return importlib.import_module(f"nnkit.exercises.quizzes.{request.param}")


def test_each_lesson_has_three_to_five_questions_of_both_kinds(quiz_module):
    questions = quiz_module.QUIZ
    assert 3 <= len(questions) <= 5, len(questions)
    assert all(isinstance(q, (Choice, Numeric)) for q in questions)
    assert any(isinstance(q, Choice) for q in questions), "no multiple-choice question"
    assert len({q.question for q in questions}) == len(questions), "a question is repeated"


def test_each_question_accepts_its_answer_and_refuses_the_others_with_reasons(quiz_module):
    for n, q in enumerate(quiz_module.QUIZ):
        right = check(q, q.answer)
        assert right.correct and q.explanation in right.message, n
        if isinstance(q, Choice):
            for k in range(len(q.options)):
                if k == q.answer:
                    continue
                wrong = check(q, k)
                assert not wrong.correct and q.explanation in wrong.message, (n, k)
                assert q.why_not.get(k, "") in wrong.message
            assert q.why_not, f"question {n}: no wrong option says why it is wrong"
        else:
            miss = q.tolerance * 2 + max(abs(q.answer) * 0.1, 1.0)
            assert check(q, q.answer + q.tolerance * 0.99).correct, n
            assert not check(q, q.answer + miss).correct and not check(q, q.answer - miss).correct
            assert check(q, repr(q.answer)).correct, n                 # typed into the box


def lesson_path(module_name: str) -> Path:
    number = module_name.removeprefix("lesson_")
    paths = sorted(LESSONS.glob(f"{number}_*.ipynb"))
    assert len(paths) == 1, f"no single lesson numbered {number}: {paths}"
    return paths[0]


@pytest.mark.parametrize("name", MODULES)
def test_the_lesson_shows_its_quiz_before_the_summary(name):
    nb = nbformat.read(lesson_path(name), as_version=4)
    cell = (f"from nnkit.widgets import Quiz\nfrom nnkit.exercises.quizzes import {name}\n"
            f"Quiz({name}.QUIZ)")
    where = [i for i, c in enumerate(nb.cells)
             if c.cell_type == "code" and c.source.strip() == cell]
    assert len(where) == 1, f"{name}: the quiz cell must appear once, exactly:\n{cell}"
    summary = [i for i, c in enumerate(nb.cells)
               if c.cell_type == "markdown" and c.source.lstrip().startswith("## Summary")]
    assert summary and where[0] < summary[0], f"{name}: the quiz comes before '## Summary'"
    outputs = nb.cells[where[0]].outputs
    data = outputs[0].get("data", {}) if outputs else {}
    assert "image/png" in data and "text/markdown" in data, f"{name}: re-execute the lesson"
    module = importlib.import_module(f"nnkit.exercises.quizzes.{name}")
    assert data["text/markdown"] == markdown(module.QUIZ), f"{name}: stored questions are stale"
