"""Lesson 01 · Neurons and activations (神经元与激活函数): concept checks."""
from nnkit.labs.quiz import Choice, Numeric

QUIZ = [
    Numeric(
        "A neuron (神经元) has weights w = (1, −2) and bias b = 0.5. What is its weighted input z "
        "for the input x = (3, 1)?",
        answer=1.5, tolerance=0.001,
        explanation="z = w·x + b = 1·3 + (−2)·1 + 0.5 = 1.5. The negative weight pushes the "
                    "neuron down by 2; the bias lifts it by 0.5.",
    ),
    Choice(
        "In the neuron explorer you multiply w₁, w₂ and b all by 3. What happens to the picture?",
        ("The line moves three times further from the origin",
         "The line z = 0 stays where it is, but the change from orange to blue gets sharper",
         "Nothing at all changes",
         "The line turns by a third of a turn"),
        answer=1,
        explanation="3·(w·x + b) = 0 exactly where w·x + b = 0, so the line stays; but z grows "
                    "three times faster as you move away from it, so σ(z) goes from 0 to 1 over "
                    "a third of the distance.",
        why_not={0: "The line is where w·x + b = 0; scaling all three by 3 leaves that equation "
                    "unchanged. Only changing b alone shifts it.",
                 2: "The line stays, but z is three times larger off the line, so the output "
                    "changes faster.",
                 3: "The direction of the line depends on the ratio w₁ : w₂, which scaling keeps."},
    ),
    Numeric(
        "A sigmoid neuron outputs h = σ(z) = 0.8. What is its slope σ′(z)? (No need to know z.)",
        answer=0.16, tolerance=0.001,
        explanation="σ′(z) = σ(z)(1 − σ(z)) = 0.8 · 0.2 = 0.16 — written with the output, the "
                    "slope costs one multiplication once h is known.",
    ),
    Choice(
        "A sigmoid neuron at z = 5 and a ReLU neuron at z = −1 both pass almost no gradient back. "
        "What is the difference?",
        ("The sigmoid's slope at z = 5 is 0.25, its largest value",
         "There is none: both slopes are exactly 0",
         "The ReLU is saturated and the sigmoid is dead",
         "The sigmoid is saturated (饱和): its slope is small but not zero. The ReLU is dead: its "
         "slope is exactly 0"),
        answer=3,
        explanation="σ′(5) ≈ 0.0066: small, so learning through it is slow but some gradient gets "
                    "through. ReLU's slope for z < 0 is exactly 0: no gradient at all — leaky ReLU "
                    "keeps 0.2 there so it never dies.",
        why_not={0: "The sigmoid's slope peaks at 0.25 at z = 0, not at z = 5.",
                 1: "σ′(z) = σ(z)(1 − σ(z)) is never exactly 0; at z = 5 it is about 0.0066.",
                 2: "The words are the other way round: saturated means a flat tail that is not "
                    "quite flat (sigmoid, tanh); dead means exactly zero (ReLU for z < 0)."},
    ),
    Choice(
        "Why does a network need an activation function (激活函数) at all?",
        ("Without it the outputs could not be computed with NumPy",
         "It makes training faster but does not change what the network can represent",
         "Without it every neuron is a weighted sum, and any stack of weighted sums is again one "
         "weighted sum — the network could not bend",
         "It keeps the weights between 0 and 1"),
        answer=2,
        explanation="The activation is the non-linear step that lets layers combine straight lines "
                    "into curves and shapes; lesson 02 shows two linear layers collapsing into "
                    "one.",
        why_not={0: "A weighted sum is the easiest thing to compute; what it lacks is the bend.",
                 1: "It changes what can be represented: without it, depth adds nothing.",
                 3: "Activations act on the neuron's input z, not on the weights, which can be "
                    "any real number."},
    ),
]
