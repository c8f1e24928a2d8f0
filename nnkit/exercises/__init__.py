"""Checks for the lessons' exercises: ``check_<exercise>(your_function)`` prints "✓ Correct — …"
or "✗ Not yet — <a hint naming what differs>", and returns a result that is true when it passed.

    from nnkit.exercises import check_mlp_forward, solution
    check_mlp_forward(my_forward)          # prints ✓ or a hint; never stops "Run All"
    print(solution("mlp_forward"))         # the reference answer, only when you ask for it

How a check reports lives in ``feedback.py``; each lesson's checks in ``lesson_XX.py``.
"""
from nnkit.exercises.feedback import CheckResult, solution  # noqa: F401

# one line per lesson module (each defines __all__)
from nnkit.exercises.lesson_01 import *  # noqa: E402,F401,F403
from nnkit.exercises.lesson_02 import *  # noqa: E402,F401,F403
from nnkit.exercises.lesson_03 import *  # noqa: E402,F401,F403
from nnkit.exercises.lesson_04 import *  # noqa: E402,F401,F403
from nnkit.exercises.lesson_05 import *  # noqa: E402,F401,F403
from nnkit.exercises.lesson_06 import *  # noqa: E402,F401,F403
from nnkit.exercises.lesson_07 import *  # noqa: E402,F401,F403
from nnkit.exercises.lesson_08 import *  # noqa: E402,F401,F403
from nnkit.exercises.lesson_09 import *  # noqa: E402,F401,F403
from nnkit.exercises.lesson_10 import *  # noqa: E402,F401,F403
from nnkit.exercises.lesson_11 import *  # noqa: E402,F401,F403
from nnkit.exercises.lesson_12 import *  # noqa: E402,F401,F403
from nnkit.exercises.lesson_13 import *  # noqa: E402,F401,F403
