"""Lesson 07 · The Playground (前馈神经网络 at work): concept checks."""
from nnkit.labs.quiz import Choice, Numeric

QUIZ = [
    Choice(
        "Without a hidden layer the network is one neuron, and it gets only about half of the "
        "XOR points right. Why?",
        ("The learning rate 0.1 is too high",
         "XOR has too much noise for any network",
         "200 epochs are too few; with 2000 it would get there",
         "One neuron splits the plane with one straight line, and no line puts two opposite "
         "corners on one side and the other two on the other"),
        answer=3,
        explanation="A neuron computes f(w₁x₁ + w₂x₂ + b): its boundary w₁x₁ + w₂x₂ + b = 0 is a "
                    "straight line. XOR needs at least two lines — hidden neurons — or a better "
                    "input feature.",
        why_not={0: "No learning rate helps: the best any single line can do is about half right.",
                 1: "A network with a small hidden layer gets XOR almost entirely right on the "
                    "same data (Challenge 1).",
                 2: "More epochs only move the one line around; no position of a line is right "
                    "for XOR."},
    ),
    Choice(
        "A single neuron with the input feature x₁·x₂ and no hidden layer solves XOR. What does "
        "this show?",
        ("The product makes the neuron non-linear in its weights",
         "A good input feature can replace a hidden layer: XOR is the sign of x₁·x₂, one "
         "number a single neuron can threshold",
         "Hidden layers never help",
         "x₁·x₂ adds more training data"),
        answer=1,
        explanation="Blue where x₁ and x₂ have different signs means x₁·x₂ < 0: with that feature "
                    "the classes are split by one threshold. A hidden layer would have to learn "
                    "such a feature itself.",
        why_not={0: "The neuron is still w·(features) + b, linear in its weights; the feature "
                    "is non-linear in x.",
                 2: "On the spiral, depth is one of the two routes that work; a feature helps "
                    "only when you can guess the right one.",
                 3: "The points are the same; only what the neuron sees of each point changed."},
    ),
    Choice(
        "Which observation shows that a network overfits (过拟合)?",
        ("The training and test loss fall together",
         "The loss curve is noisy from epoch to epoch",
         "The training loss keeps falling while the test loss turns upward",
         "The training accuracy is below 90 %"),
        answer=2,
        explanation="Overfitting is learning the training points, noise included, at the cost of "
                    "new points: good on the training set (训练集), worse and worse on the test "
                    "set (测试集).",
        why_not={0: "Falling together means what it learns also holds for new points — the "
                    "healthy case.",
                 1: "Small batches make every curve jitter; overfitting is about the gap between "
                    "training and test, not the noise.",
                 3: "A low training accuracy is rather underfitting: the network has not even "
                    "learned the points it sees."},
    ),
    Numeric(
        "L2 regularization (正则化) adds λ Σ w² to the loss. For three weights (0.5, −2, 1) and "
        "λ = 0.03, what is the penalty?",
        answer=0.1575, tolerance=0.001,
        explanation="Σ w² = 0.25 + 4 + 1 = 5.25, times λ = 0.03 gives 0.1575. The large weight "
                    "−2 contributes most — L2 pulls hardest on the largest weights.",
    ),
    Choice(
        "With L2 at λ = 0.03 the overfitting network's training accuracy drops a little and its "
        "test accuracy rises. Why?",
        ("The penalty keeps the weights small, so the boundary stays smooth and cannot bend "
         "around each noisy training point",
         "Regularization adds more training points",
         "Regularization removes the noisy points from the training set",
         "L2 makes the network deeper"),
        answer=0,
        explanation="Gradient descent now also pulls every weight towards 0; small weights give a "
                    "gently varying output, so the network fits the two clouds, not the noise.",
        why_not={1: "The data are unchanged; only the loss gained a penalty term.",
                 2: "Every training point still counts; the network just cannot afford the large "
                    "weights needed to reach each noisy one.",
                 3: "The layers are the same; only the loss changed."},
    ),
]
