"""Lesson 04 · Gradient descent (梯度下降): concept checks."""
from nnkit.labs.quiz import Choice, Numeric

QUIZ = [
    Numeric(
        'One SGD step: w = 2.0, ∂L/∂w = 0.5, learning rate α = 0.1. What is the new w?',
        answer=1.95, tolerance=1e-06,
        explanation='w ← w - α ∂L/∂w = 2.0 - 0.1 · 0.5 = 1.95: a step against the '
                    'gradient.'),
    Choice(
        'On the ravine L = 0.1 θ₁² + 2 θ₂², plain SGD with α = 0.6 blows up. Why?',
        ('The gradient is too small along the ravine',
         'Across the ravine each step multiplies θ₂ by 1 - 4α = -1.4: it overshoots '
         'further every time',
         'SGD always diverges without momentum',
         'The loss has no minimum'),
        answer=1,
        explanation='The curvature across is λ = 4, so θ₂ ← (1 - 4α) θ₂. With |1 - 4α| > '
                    '1, i.e. α > 2/λ = 0.5, the bounces grow.',
        why_not={0: 'A small gradient along the ravine makes progress slow, not explosive.',
                 2: 'SGD converges for every α below 0.5 here.',
                 3: 'The minimum is at θ = (0, 0), where L = 0.'}),
    Numeric(
        'Momentum with μ = 0.9 and a gradient that stays the same step after step: in the'
        " long run, how many times larger than the plain SGD step α g is momentum's step?",
        answer=10, tolerance=0.01,
        explanation='v ← μ v - α g settles where v = μ v - α g, i.e. v = -α g / (1 - μ): '
                    '1/(1 - 0.9) = 10 times the SGD step. That is how momentum speeds '
                    'along a gentle slope.'),
    Choice(
        'Why does Adam divide m by (1 - β₁ᵗ) and v by (1 - β₂ᵗ)?',
        ('To make the learning rate decay over time',
         'To keep the step from dividing by zero',
         'm and v start at 0, so in the first steps their running averages are too small;'
         ' the division corrects that bias',
         'To turn the gradient into a probability'),
        answer=2,
        explanation='After one step m = (1 - β₁) g = 0.1 g; divided by 1 - β₁¹ = 0.1 it '
                    'is g again. As t grows, βᵗ → 0 and the correction fades.',
        why_not={0: 'The correction shrinks towards 1; it is not a schedule.',
                 1: "That is ε's job: sqrt(v̂) + ε.",
                 3: 'm and v are averages of g and g², not probabilities.'}),
]
