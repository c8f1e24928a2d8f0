"""Concept checks, one module per lesson: ``lesson_XX.QUIZ`` is a list of questions.

    from nnkit.widgets import Quiz
    from nnkit.exercises.quizzes import lesson_06
    Quiz(lesson_06.QUIZ)

Questions are ``Choice`` (3–5 options, one right, each wrong option may say why not) and
``Numeric`` (a number within a tolerance), from ``nnkit.labs.quiz``; every answer is explained.
Write them plain: Unicode symbols (σ, ŷ, ∂L/∂w) and `code` read well in the widget, in the
picture and on GitHub; keep ``$…$`` LaTeX out of the options (radio buttons show it raw).
"""
from nnkit.labs.quiz import Choice, Numeric  # noqa: F401

__all__ = ["Choice", "Numeric"]
