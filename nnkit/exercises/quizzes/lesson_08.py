"""Lesson 08 · RNN and LSTM (循环神经网络与长短期记忆网络): concept checks."""
from nnkit.labs.quiz import Choice, Numeric

QUIZ = [
    Choice(
        'Which gate decides how much of the old cell state c_{t-1} is kept?',
        ('the input gate i',
         'the forget gate f',
         'the output gate o',
         'the candidate g'),
        answer=1,
        explanation='c_t = f ⊙ c_{t-1} + i ⊙ g: f = 1 keeps the old content, f = 0 wipes '
                    'it.',
        why_not={0: 'i scales the NEW content g that is written into the cell.',
                 2: 'o decides how much of the cell is shown in h_t; it does not change c.',
                 3: 'g is the candidate value written in, not a gate.'}),
    Numeric(
        'One step of one LSTM unit: c_{t-1} = 0.8, forget gate f = 0.5, input gate i = 1,'
        ' candidate g = -0.2. What is c_t?',
        answer=0.2, tolerance=0.001,
        explanation='c_t = f c_{t-1} + i g = 0.5 · 0.8 + 1 · (-0.2) = 0.4 - 0.2 = 0.2.'),
    Choice(
        'Why can an LSTM carry a value over 50 steps when a simple RNN cannot?',
        ('The cell is updated by addition, c_t = f c_{t-1} + i g: with f ≈ 1 the value '
         'and its gradient pass through unchanged, instead of through W_h and tanh at '
         'every step',
         'The LSTM has more units',
         'The LSTM is trained with a larger learning rate',
         'The LSTM sees the whole sequence at once'),
        answer=0,
        explanation='Through the cell, ∂c_t/∂c_{t-1} = f: nothing squashes it. A simple '
                    "RNN multiplies by W_h and tanh' at every step, so the gradient fades"
                    ' (or explodes) over a long delay.',
        why_not={1: 'Section 3 compares them with the same number of units.',
                 2: 'The learning rate does not change how the gradient fades over time.',
                 3: 'Both read the sequence one step at a time.'}),
    Choice(
        "nnkit (like Keras and PyTorch) stores the LSTM's four gate blocks side by side "
        'in W_x: (D, 4H). In which order?',
        ('i, f, o, g',
         'f, i, g, o',
         'i, f, g, o',
         'g, i, f, o'),
        answer=2,
        explanation='a[:, :H] → input gate, a[:, H:2H] → forget, a[:, 2H:3H] → candidate '
                    'g, a[:, 3H:] → output; the same order lets weights be copied between'
                    ' the three libraries.',
        why_not={0: 'i, f, o, g is the order in which many textbooks write the equations, '
                 'not how the weights are stored.',
                 1: 'The input gate comes first.',
                 3: 'The candidate g is the third block.'}),
]
