"""Lesson 05 · Backpropagation (反向传播): concept checks."""
from nnkit.labs.quiz import Choice, Numeric

QUIZ = [
    Choice(
        'A Dense layer has W of shape (3, 5) and gets a batch x of shape (4, 3). What is '
        'the shape of dW = xᵀ dout?',
        ('(4, 5)',
         '(5, 3)',
         '(3, 5)',
         '(4, 3)'),
        answer=2,
        explanation='A gradient has the shape of what it is the gradient of: W is (3, 5),'
                    ' so dW is (3, 5) — (3, 4) · (4, 5).',
        why_not={0: '(4, 5) is the shape of dout (and z): one row per sample.',
                 1: 'That is Wᵀ: you would get it from doutᵀ x, the transpose of the answer.',
                 3: "(4, 3) is x's shape, which dx has."}),
    Choice(
        'Why is db the SUM of dout over the batch, not the mean?',
        ('Because biases are not trained',
         'The loss already divides by N, so dout carries the 1/N; averaging again would '
         'divide twice',
         'The sum and the mean give the same number',
         'Because the sum is faster to compute'),
        answer=1,
        explanation='b is added to every row, so each sample contributes its dout row to '
                    'db. The mean over the batch is already inside dout = ∂L/∂z (the '
                    "loss's 1/N).",
        why_not={0: 'Biases are trained like weights.',
                 2: 'They differ by a factor N.',
                 3: 'Speed is not the reason; the chain rule is.'}),
    Numeric(
        "The sigmoid's slope is at most 0.25. Through 5 sigmoid layers, by at most what "
        'factor can the gradient shrink on the way back (ignoring the weights)? Give '
        '0.25⁵, to 4 decimals.',
        answer=0.0009765625, tolerance=5e-05,
        explanation='0.25⁵ ≈ 0.00098: the first layers of a deep sigmoid network get '
                    'about a thousandth of the gradient — the vanishing gradient (梯度消失) '
                    'of section 5.'),
    Choice(
        'All weights of a hidden layer start at 0. What happens in training?',
        ('Nothing: training quickly moves them apart',
         'The network trains faster, since no unit starts in a bad place',
         'The loss becomes nan',
         'All its units compute the same output and get the same gradient, so they stay '
         'identical: the layer acts like a single unit'),
        answer=3,
        explanation='Symmetry: identical units receive identical updates, forever. Random'
                    ' initial weights (Glorot, He) break the symmetry and keep the '
                    "activations' spread from layer to layer — the initialization "
                    'experiment shows both.',
        why_not={0: 'Identical units get identical gradients; nothing moves them apart.',
                 1: 'Starting identical wastes every unit but one.',
                 2: 'Everything stays finite; it is just symmetric.'}),
]
