"""Lesson 02 · The forward pass (前馈计算): concept checks."""
from nnkit.labs.quiz import Choice, Numeric

QUIZ = [
    Numeric(
        "A hidden layer (隐藏层) of 5 units reads 3 inputs: `Dense(5, input_shape=(3,))`. "
        "How many parameters (weights + biases) does it have?",
        answer=20, tolerance=0, unit="parameters",
        explanation="Each of the 5 units has one weight per input and one bias: "
                    "3 · 5 weights + 5 biases = 20, the 'Param #' that model.summary() prints."),
    Choice(
        "A batch of N = 10 samples enters a layer as H₀ of shape (10, 3); the layer has "
        "W of shape (3, 5) and b of shape (5,). What is the shape of H₁ = f(H₀ W + b)?",
        ("(10, 5)", "(10, 3)", "(5, 10)", "(3, 5)"), answer=0,
        explanation="(10, 3) · (3, 5) → (10, 5): one row per sample, one column per unit. "
                    "b is added to every row, and f acts on each number, so neither changes the "
                    "shape.",
        why_not={1: "(10, 3) is the input; a layer of 5 units gives 5 numbers per sample.",
                 2: "That is the textbook's column layout (units × samples); nnkit and Keras keep "
                    "samples as rows.",
                 3: "(3, 5) is the shape of W, which does not depend on how many samples there "
                    "are."}),
    Choice(
        "What happens if you delete the tanh from the hidden layer, so that both layers are "
        "linear (before the final sigmoid)?",
        ("The forward pass fails because the shapes no longer match",
         "Nothing changes: the hidden layer still draws three lines",
         "The network becomes more expressive, because tanh limits the outputs to (−1, 1)",
         "The two layers collapse into one linear layer: the network can only draw one straight "
         "line"),
        answer=3,
        explanation="(x W₁ + b₁) W₂ + b₂ = x (W₁W₂) + (b₁W₂ + b₂): a single layer with weights "
                    "W₁W₂. "
                    "It is the activation between layers that lets a network combine lines into "
                    "shapes.",
        why_not={0: "The shapes stay (N, 2) → (N, 3) → (N, 1); only the activation is gone.",
                 1: "The three lines are only combined into a triangle because tanh bends each "
                    "unit's output; without it the sum of the three is again one linear function.",
                 2: "Limiting the range is not what matters; without any activation the whole "
                    "stack is one matrix product, which is less expressive, not more."}),
    Choice(
        "The lesson's 2-3-1 network outputs a high ŷ only inside a triangle. Why?",
        ("The output sigmoid is shaped like a triangle",
         "The output unit has equal large positive weights from the three hidden units and a "
         "negative bias, so it is high only when all three are high",
         "The inputs x₁, x₂ were chosen inside a triangle",
         "Each hidden unit draws a triangle and the output averages them"),
        answer=1,
        explanation="Each tanh unit splits the plane with a straight line; with weights 2, 2, 2 "
                    "and "
                    "bias −4 the output is σ(2·(h₁+h₂+h₃) − 4), high only when all three units are "
                    "near +1 — inside the triangle their three lines enclose.",
        why_not={0: "σ is an S-shaped curve of one number; the shape comes from how the layer "
                    "combines the hidden units.",
                 2: "The picture colours every point of the plane; the four dots are just "
                    "examples.",
                 3: "A single tanh unit can only draw a straight line (lesson 01), not a triangle."}),
    Choice(
        "The course text writes a layer as hₗ = f(Wₗ hₗ₋₁ + bₗ) with column vectors; nnkit "
        "writes Hₗ = f(Hₗ₋₁ Wₗ + bₗ) with samples as rows. For a layer with 2 inputs and 3 units, "
        "what shape is the textbook's Wₗ?",
        ("(2, 3): one row per input", "(6,): one weight per connection, in a vector",
         "(3, 2): one row per unit of layer l", "(3, 3)"),
        answer=2,
        explanation="W_{ij} is the weight from neuron j of layer l−1 to neuron i of layer l, so "
                    "the "
                    "textbook's matrix is (units, inputs) = (3, 2) — the transpose of nnkit's (2, "
                    "3).",
        why_not={0: "(2, 3) is nnkit's and Keras's W, which multiplies row vectors from the right.",
                 1: "There are 6 weights, but both writings keep them in a matrix so one product "
                    "computes every unit.",
                 3: "A square matrix would need as many units as inputs."}),
]
