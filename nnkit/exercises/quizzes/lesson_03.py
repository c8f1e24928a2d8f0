"""Lesson 03 · Loss functions (损失函数): concept checks."""
from nnkit.labs.quiz import Choice, Numeric

QUIZ = [
    Numeric(
        'A network gives the true class of one sample the probability 0.5. What is its '
        'cross-entropy loss (natural log)? Three decimals.',
        answer=0.693, tolerance=0.002,
        explanation='L = -log p_true = -ln 0.5 = ln 2 ≈ 0.693. At p_true = 0.99 it would '
                    'be 0.010; at 0.01 it is 4.6.'),
    Choice(
        'Why do classification networks use cross-entropy rather than the squared error?',
        ('Cross-entropy is always smaller, so training is more stable',
         'The squared error cannot be computed for probabilities',
         'Cross-entropy does not need a gradient',
         'With a sigmoid or softmax output its push ∂L/∂z = ŷ - y stays large when the '
         "network is confidently wrong; the squared error's push fades there"),
        answer=3,
        explanation="The squared error's push 2(h - y) h(1 - h) is multiplied by the "
                    "sigmoid's slope, which is near 0 exactly when the network is "
                    "confidently wrong. Cross-entropy's log cancels that slope: the push "
                    'is simply ŷ - y.',
        why_not={0: 'It is not always smaller: for a confident mistake it is far larger (4.6'
                 ' against 0.98 at p = 0.01) — which is the point.',
                 1: '(1 - p)² is a perfectly good number; it just gives a weak gradient.',
                 2: "Every loss needs a gradient for training; cross-entropy's is ŷ - y."}),
    Numeric(
        'One sample, three classes: softmax output ŷ = [0.7, 0.2, 0.1], true class 0, so '
        'y = [1, 0, 0]. What is ∂L/∂z₀, the gradient of the cross-entropy with respect to'
        ' the first logit?',
        answer=-0.3, tolerance=0.001,
        explanation='∂L/∂z = (ŷ - y)/N with N = 1: [0.7 - 1, 0.2, 0.1] = [-0.3, 0.2, '
                    "0.1]. Negative: gradient descent raises z₀, the true class's logit."),
    Choice(
        'The targets are class numbers (0, 1, 2 …), not one-hot rows. Which loss do you '
        'give compile?',
        ('categorical_crossentropy',
         'binary_crossentropy',
         'sparse_categorical_crossentropy',
         'mse'),
        answer=2,
        explanation="'sparse' means the targets are class indices; the loss picks -log ŷ "
                    'of that class itself, with no one-hot row needed.',
        why_not={0: 'categorical_crossentropy expects one-hot rows such as [0, 1, 0].',
                 1: 'binary_crossentropy is for one sigmoid output (two classes) or '
                 'independent yes/no outputs.',
                 3: "mse is for regression; it would treat class 2 as 'twice' class 1."}),
]
