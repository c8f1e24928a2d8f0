"""Lesson 10 · Frequently asked questions (常见问题与解答): concept checks."""
from nnkit.labs.quiz import Choice, Numeric

QUIZ = [
    Choice(
        "Trained on only 20 digits, the network gets every one of them right but only about 2 in 3 "
        "new digits. What is happening?",
        ("It has memorised its 20 examples — overfitting (过拟合) — and they do not cover the "
         "variety of new digits",
         "The test digits are harder than the training digits",
         "It is underfitting: the network is too small",
         "500 steps of training are too few"),
        answer=0,
        explanation="Perfect on what it has seen, poor on what it has not: the network fits the "
                    "few examples instead of the digits' real structure. With 100 images it gets "
                    "about 9 in 10 new digits right, with all 1 347 about 95 in 100.",
        why_not={1: "Training and test images come from one shuffled set (stratified by digit); "
                    "with more training data the same test digits are read well.",
                 2: "An underfitting network would also miss its training examples; this one "
                    "gets all of them right.",
                 3: "Every size got the same 500 steps; the larger training sets did well with "
                    "them."},
    ),
    Numeric(
        "How many multiply-adds (乘加运算) does one example's forward pass through a 64 → 32 → 10 "
        "network cost (biases are additions, not counted)?",
        answer=2368, tolerance=0, unit="multiply-adds",
        explanation="C_forward = Σ n_{l−1}·n_l = 64·32 + 32·10 = 2048 + 320 = 2368 — one "
                    "multiply-add per weight.",
    ),
    Numeric(
        "One training epoch costs about 3 · N · C_forward (forward, plus about twice that "
        "backward). For N = 1000 examples and C_forward = 2000, how many million multiply-adds "
        "is that?",
        answer=6, tolerance=0.01, unit="million",
        explanation="3 · 1000 · 2000 = 6 000 000 = 6 million. Compute grows with parameters × "
                    "examples × epochs — GPT-3 needed about 3 × 10²³ operations.",
    ),
    Choice(
        "Far from the training points, in the corners of the plane, the MLP still predicts one "
        "class with full confidence, while the SVM fades towards undecided. What does this show?",
        ("The MLP is more accurate than the SVM in the corners",
         "The corners hold many training points",
         "A network's confidence is not knowledge: it can be sure where it has never seen data",
         "The SVM is broken far from its support vectors"),
        answer=2,
        explanation="Nothing in training tells the MLP what belongs in the corners; its tanh "
                    "units simply saturate there. The SVM's bumps around its support vectors "
                    "vanish away from the data, so it says 'don't know'.",
        why_not={0: "No data lies there, so no accuracy can be measured there — sure is not right.",
                 1: "The training points (filled dots) lie in the middle; the corners are empty.",
                 3: "Fading to undecided is the honest answer where there is no data."},
    ),
    Choice(
        "On the moons, circle and xor data the MLP, SVM, decision tree (决策树) and k-NN are "
        "within a few points of each other. When does a neural network pay off most?",
        ("On small tables of numbers, where it is easiest to explain",
         "Always: more parameters give more accuracy",
         "Only when the data are two-dimensional",
         "On large amounts of raw data (pixels, sounds, characters), where it must learn its own "
         "features"),
        answer=3,
        explanation="An MLP learns its own features, which matters when the raw inputs are far "
                    "from the useful ones; on a small, low-dimensional table simpler methods are "
                    "as good, faster and easier to explain.",
        why_not={0: "On small tables simpler methods are as good — and a tree is far easier to "
                    "explain than a network.",
                 1: "The four-method comparison shows no such advantage on simple data, and "
                    "lesson 06's seed table shows a 15-parameter model matching a 4 675-parameter "
                    "one.",
                 2: "Two-dimensional data is where the lesson found no clear winner."},
    ),
]
