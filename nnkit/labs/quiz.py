"""Concept checks: short questions with an answer in words, checked without any widget.

    from nnkit.labs.quiz import Choice, Numeric, check
    q = Choice("Which activation outputs values in (0, 1)?", ("ReLU", "sigmoid", "tanh"),
               answer=1, explanation="σ(z) = 1/(1+e^{−z}) lies strictly between 0 and 1.",
               why_not={0: "ReLU is 0 for z < 0 but grows without bound for z > 0."})
    check(q, 1)            # Feedback(correct=True, message="✓ Right. σ(z) = …")
    check(q, 0)            # ✗ … ReLU is 0 for z < 0 … then the right answer and why

A lesson's questions live in ``nnkit/exercises/quizzes/lesson_XX.py`` as ``QUIZ = [...]``;
``nnkit.widgets.Quiz`` shows them with radio buttons, number boxes and a Check button, and
``QuizSession`` (below) is what it keeps: the last feedback for each question and the score.
Every question is checked when it is made, so a broken one fails on import, not in class.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Mapping, Union

from nnkit.i18n import _

__all__ = ["Choice", "Numeric", "Feedback", "check", "parse_number", "QuizSession", "markdown"]

MIN_OPTIONS, MAX_OPTIONS = 3, 5


def _text(owner: str, name: str, value) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{owner}: {name} must be some text. Received: {name}={value!r}.")
    return value


@dataclass(frozen=True)
class Choice:
    """Multiple choice with one right option.

    question:    the question, Markdown (``$…$`` maths is fine);
    options:     3–5 different answers, shown in this order;
    answer:      index of the right option in ``options`` (0 is the first);
    explanation: why the right answer is right — shown after any answer;
    why_not:     {index of a wrong option: why it is wrong} — shown when that option is picked.
    """
    question: str
    options: tuple[str, ...]
    answer: int
    explanation: str
    why_not: Mapping[int, str] = field(default_factory=dict)

    def __post_init__(self):
        _text("Choice", "question", self.question)
        if isinstance(self.options, str) or not isinstance(self.options, (tuple, list)):
            raise TypeError(f"Choice: options must be a tuple of {MIN_OPTIONS}–{MAX_OPTIONS} "
                            f"strings. Received: options={self.options!r}.")
        options = tuple(_text("Choice", f"options[{i}]", o) for i, o in enumerate(self.options))
        if not MIN_OPTIONS <= len(options) <= MAX_OPTIONS:
            raise ValueError(f"Choice: options must hold {MIN_OPTIONS}–{MAX_OPTIONS} answers. "
                             f"Received {len(options)}: {options!r}.")
        if len({o.strip().lower() for o in options}) != len(options):
            raise ValueError(f"Choice: options must all differ. Received: {options!r}.")
        if isinstance(self.answer, bool) or not isinstance(self.answer, int) \
                or not 0 <= self.answer < len(options):
            raise ValueError(f"Choice: answer must be the index of the right option, 0–"
                             f"{len(options) - 1}. Received: answer={self.answer!r}.")
        _text("Choice", "explanation", self.explanation)
        why_not = dict(self.why_not)
        for index, reason in why_not.items():
            if index == self.answer or index not in range(len(options)):
                raise ValueError(f"Choice: why_not keys must be indices of WRONG options "
                                 f"(0–{len(options) - 1}, not the answer {self.answer}). "
                                 f"Received: why_not key {index!r}.")
            _text("Choice", f"why_not[{index}]", reason)
        object.__setattr__(self, "options", options)
        object.__setattr__(self, "why_not", MappingProxyType(why_not))


@dataclass(frozen=True)
class Numeric:
    """A number, right when within ``tolerance`` (absolute) of ``answer``.

    unit: shown after the box and in the feedback ("%", "parameters", …); a learner may type it.
    """
    question: str
    answer: float
    tolerance: float
    explanation: str
    unit: str = ""

    def __post_init__(self):
        _text("Numeric", "question", self.question)
        for name in ("answer", "tolerance"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, (int, float)) \
                    or not math.isfinite(value):
                raise ValueError(f"Numeric: {name} must be a finite number. "
                                 f"Received: {name}={value!r}.")
        if self.tolerance < 0:
            raise ValueError(f"Numeric: tolerance must be ≥ 0. "
                             f"Received: tolerance={self.tolerance}.")
        _text("Numeric", "explanation", self.explanation)
        if not isinstance(self.unit, str):
            raise TypeError(f"Numeric: unit must be a string. Received: unit={self.unit!r}.")


Question = Union[Choice, Numeric]


@dataclass(frozen=True)
class Feedback:
    """The verdict on one response: ``correct`` and the words a learner reads."""
    correct: bool
    message: str

    def __str__(self) -> str:
        return self.message


_NUMBER = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")


def parse_number(text: str, unit: str = "") -> float:
    """A typed answer as a float: "0.25", "-3", "1e-3", "−0.5", "1/4", "12 %" (with its unit).

    Raises ValueError naming the text when it is not a number.
    """
    raw = text
    text = text.strip().replace("−", "-").replace(" ", "")
    if unit and text.endswith(unit.replace(" ", "")):
        text = text[:-len(unit.replace(" ", ""))]
    parts = text.split("/")
    if len(parts) <= 2 and all(_NUMBER.match(p) for p in parts):
        value = float(parts[0]) / float(parts[1]) if len(parts) == 2 and float(parts[1]) \
            else float(parts[0]) if len(parts) == 1 else math.nan
        if math.isfinite(value):
            return value
    raise ValueError(f"{raw!r} is not a number. Type a number such as 0.25, -3, 1e-3 or 1/4.")


def _show(value: float) -> str:
    return f"{value:.6g}"


def check(question: Question, response) -> Feedback:
    """Check one response: an option index (or the option's text) for a ``Choice``, a number (or
    the text typed in the box) for a ``Numeric``.  A response that is neither raises
    TypeError/ValueError naming it — it is not counted as wrong."""
    if isinstance(question, Choice):
        return _check_choice(question, response)
    if isinstance(question, Numeric):
        return _check_numeric(question, response)
    raise TypeError(f"question must be a Choice or a Numeric. Received: {type(question).__name__}.")


def _check_choice(q: Choice, response) -> Feedback:
    if isinstance(response, str) and response in q.options:
        response = q.options.index(response)
    if isinstance(response, bool) or not isinstance(response, int):
        raise TypeError(f"response must be an option index 0–{len(q.options) - 1} or an "
                        f"option's text. Received: response={response!r}.")
    if not 0 <= response < len(q.options):
        raise ValueError(f"response must be an option index 0–{len(q.options) - 1}. "
                         f"Received: response={response}.")
    if response == q.answer:
        return Feedback(True, _("✓ Right. {explanation}").format(explanation=q.explanation))
    why = q.why_not.get(response, "")
    return Feedback(False, _("✗ Not this one. {why}").format(why=why).rstrip() + "\n" +
                    _("The answer is “{answer}”: {explanation}").format(
                        answer=q.options[q.answer], explanation=q.explanation))


def _check_numeric(q: Numeric, response) -> Feedback:
    if isinstance(response, str):
        value = parse_number(response, q.unit)
    elif isinstance(response, (int, float)) and not isinstance(response, bool):
        value = float(response)
        if not math.isfinite(value):
            raise ValueError(f"response must be a finite number. Received: response={response}.")
    else:
        raise TypeError(f"response must be a number or the text of one. "
                        f"Received: response={response!r}.")
    unit = f" {q.unit}" if q.unit else ""
    target = f"{_show(q.answer)}{unit}" + (f" (± {_show(q.tolerance)})" if q.tolerance else "")
    if abs(value - q.answer) <= q.tolerance * (1 + 1e-9) + 1e-12:
        return Feedback(True, _("✓ Right: {value}. {explanation}").format(
            value=f"{_show(value)}{unit}", explanation=q.explanation))
    side = _("too high") if value > q.answer else _("too low")
    return Feedback(False, _("✗ Not quite: {value} is {side}; the answer is {target}.").format(
        value=f"{_show(value)}{unit}", side=side, target=target) + "\n" + q.explanation)


class QuizSession:
    """A lesson's questions and the last feedback on each: what the ``Quiz`` widget keeps.

    answer(i, response): check ``questions[i]`` (i from 0) and remember the feedback.
    """

    def __init__(self, questions):
        questions = list(questions)
        if not questions:
            raise ValueError("questions must hold at least one Choice or Numeric. Received none.")
        for i, q in enumerate(questions):
            if not isinstance(q, (Choice, Numeric)):
                raise TypeError(f"questions[{i}] must be a Choice or a Numeric. "
                                f"Received: {type(q).__name__}.")
        self.questions = questions
        self.feedback: list[Feedback | None] = [None] * len(questions)

    def answer(self, i: int, response) -> Feedback:
        if isinstance(i, bool) or not isinstance(i, int) or not 0 <= i < len(self.questions):
            raise ValueError(f"i must be a question index 0–{len(self.questions) - 1}. "
                             f"Received: i={i!r}.")
        self.feedback[i] = check(self.questions[i], response)
        return self.feedback[i]

    @property
    def score(self) -> str:
        right = sum(1 for f in self.feedback if f is not None and f.correct)
        tried = sum(1 for f in self.feedback if f is not None)
        return _("{right} of {total} right").format(right=right, total=len(self.questions)) + (
            _(" ({tried} answered)").format(tried=tried) if tried < len(self.questions) else "")


def markdown(questions, title: str | None = None) -> str:
    """The questions and options as Markdown, WITHOUT the answers (for readers without a kernel).
    title: by default "Check your understanding", in the current language."""
    title = _("Check your understanding") if title is None else title
    lines = [_("**{title}** — run the notebook to check your answers.").format(title=title), ""]
    for n, q in enumerate(questions, 1):
        lines.append(f"{n}. {q.question}")
        if isinstance(q, Choice):
            lines += [f"    - {chr(65 + k)}. {option}" for k, option in enumerate(q.options)]
        else:
            lines.append("    - *" + _("answer: a number") + (f" ({q.unit})" if q.unit else "")
                         + "*")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"
