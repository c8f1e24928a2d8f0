"""Lesson 11 · From nnkit to Keras and PyTorch (Python 神经网络库): concept checks."""
from nnkit.labs.quiz import Choice, Numeric

QUIZ = [
    Choice(
        "nnkit's first layer has W of shape (4, 16). What shape is `weight` in PyTorch's "
        "`nn.Linear(4, 16)`, which computes x Aᵀ + b?",
        ("(4, 16)", "(16, 4)", "(64,)", "(16,)"),
        answer=1,
        explanation="PyTorch keeps the weight as (out, in) and transposes it in the product; "
                    "nnkit, Keras and scikit-learn keep (in, out). Moving weights to PyTorch means "
                    "transposing each W — the lesson's exercise.",
        why_not={0: "(4, 16) is the (in, out) layout of nnkit, Keras's `kernel` and scikit-learn's "
                    "`coefs_`.",
                 2: "The 64 weights are kept as a matrix, so one product computes all 16 units.",
                 3: "(16,) is the bias: one number per unit."},
    ),
    Choice(
        "Why is there no softmax at the end of the lesson's PyTorch model?",
        ("Iris has only 3 classes, too few for a softmax",
         "A ReLU output layer replaces the softmax",
         "`nn.CrossEntropyLoss` expects logits and applies the softmax itself, fused with the "
         "log — a softmax in the model would be applied twice",
         "PyTorch has no softmax function"),
        answer=2,
        explanation="The model ends at the logits z = h W₂ + b₂; the loss computes softmax and "
                    "cross-entropy together, the numerically safe way. nnkit does the same with "
                    "a linear last layer and `from_logits=True`.",
        why_not={0: "Softmax works for any number of classes, 2 included.",
                 1: "The last layer `nn.Linear(16, 3)` has no activation at all: its outputs are "
                    "logits.",
                 3: "It has one (`nn.Softmax`); the point is where the softmax is applied."},
    ),
    Choice(
        "nnkit refuses a sigmoid output layer with categorical cross-entropy. What goes wrong if "
        "you train it anyway?",
        ("Nothing: Keras trains it, so it must be fine",
         "Training is slower but gives the same model",
         "Sigmoid outputs can be negative, which the log cannot take",
         "The three sigmoid outputs need not sum to 1, so the loss can fall by pushing every "
         "class towards 1 — a worse model reports a lower loss"),
        answer=3,
        explanation="Cross-entropy −log ŷ_true only looks at the true class; with softmax, raising "
                    "it lowers the others, with three separate sigmoids nothing does. Fix: softmax "
                    "on the output, or a linear output with `from_logits=True`.",
        why_not={0: "Keras trains it without a word — which is exactly why nnkit checks at "
                    "compile.",
                 1: "The model learns something different: it is rewarded for saying 'yes' to "
                    "every class.",
                 2: "σ(z) lies in (0, 1); the log is always defined."},
    ),
    Numeric(
        "The lesson's model is 4 inputs → Dense(16, relu) → Dense(3, softmax). How many numbers "
        "does `model.get_weights()` hold in total?",
        answer=131, tolerance=0, unit="numbers",
        explanation="W₁ (4, 16) + b₁ (16,) + W₂ (16, 3) + b₂ (3,) = 64 + 16 + 48 + 3 = 131 — the "
                    "same count in every library, whatever the layout.",
    ),
    Choice(
        "Keras and PyTorch use automatic differentiation (自动微分). What does it do that nnkit "
        "writes out by hand?",
        ("It derives the backward pass — every gradient — from the recorded forward computation",
         "It picks the number of hidden units",
         "It differentiates the data set",
         "It chooses the learning rate automatically"),
        answer=0,
        explanation="PyTorch records the operations while your Python runs (a dynamic "
                    "computational "
                    "graph, 动态计算图) and applies the chain rule backwards through them on "
                    "`loss.backward()`; nnkit writes that chain rule in each layer's `backward`.",
        why_not={1: "The architecture is still yours to choose.",
                 2: "Gradients are taken with respect to the weights, not the data.",
                 3: "The learning rate is still yours to choose (lr=0.01 here)."},
    ),
]
