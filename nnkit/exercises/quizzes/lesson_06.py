"""Lesson 06 · An MLP on iris (多层感知器): concept checks."""
from nnkit.labs.quiz import Choice, Numeric

QUIZ = [
    Numeric(
        "How many parameters (weights + biases) does a 4 → 8 → 3 MLP have — 4 inputs, one "
        "hidden layer of 8 units, 3 outputs?",
        answer=67, tolerance=0, unit="parameters",
        explanation="Σ (n_{l−1}·n_l + n_l) = (4·8 + 8) + (8·3 + 3) = 40 + 27 = 67.",
    ),
    Numeric(
        "96 flowers are used for training (the other 24 of the 120 are the validation set, "
        "验证集). With batch_size=16, how many gradient-descent steps make one epoch (轮次)?",
        answer=6, tolerance=0, unit="steps",
        explanation="An epoch is one pass over the training data: 96 / 16 = 6 batches, one "
                    "step per batch (with batch_size=32 it was 96 / 32 = 3).",
    ),
    Choice(
        "Between epochs 30 and 100 the training loss keeps falling while the accuracy stays "
        "the same. What is the network still learning?",
        ("It is overfitting (过拟合), memorising the training flowers",
         "It is learning the test set",
         "To be more confident: the probability of the right species grows, so the cross-entropy "
         "(交叉熵) falls, but the predicted species do not change",
         "Nothing: the falling loss is rounding error"),
        answer=2,
        explanation="Cross-entropy −log ŷ of the true class keeps falling as ŷ moves from 0.8 "
                    "towards 1, while the arg-max — the predicted class, which is all accuracy "
                    "counts — stays put.",
        why_not={0: "Overfitting shows as a validation curve that turns up while the training "
                    "curve goes down; here the validation curves follow the training curves.",
                 1: "The test flowers are never used in fit; they only judge the finished model.",
                 3: "The loss falls steadily by far more than rounding; it measures the "
                    "probabilities, which keep changing."},
    ),
    Choice(
        "With 2 ReLU units per hidden layer, some seeds leave the network stuck at 33% accuracy. "
        "Why?",
        ("The learning rate is too high for small networks",
         "2 units are too few to represent 3 classes in any case",
         "Softmax cannot work with fewer hidden units than classes",
         "A unit whose z is negative for every flower outputs 0 and gets no gradient — a 'dead' "
         "unit — and with 2 units that is half the network"),
        answer=3,
        explanation="ReLU is max(0, z): its slope is 0 for z < 0, so a unit that starts negative "
                    "on every input never receives a gradient and never recovers. Other seeds "
                    "with the same 2 units train well, so the size alone is not the cause.",
        why_not={0: "The seed table uses the same learning rate for every architecture; only the "
                    "2-unit one gets stuck, and only for some seeds.",
                 1: "Other seeds of the very same 2-unit network reach high accuracy, and even the "
                    "linear model (0 hidden layers) does well on iris.",
                 2: "Softmax needs only its 3 output numbers; how many hidden units feed them "
                    "does not matter to it."},
    ),
    Numeric(
        "The test set (测试集) has 30 flowers. By how many percentage points does the test "
        "accuracy change when one more flower is classified right?",
        answer=100 / 30, tolerance=0.05, unit="%",
        explanation="1/30 ≈ 3.3 percentage points. Differences that small between two "
                    "architectures can come from the luck of the start alone — compare over "
                    "several seeds before you believe them.",
    ),
]
