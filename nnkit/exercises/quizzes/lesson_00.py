"""Lesson 00 · Start here (从这里开始): concept checks on notebooks and on the history (§1)."""
from nnkit.labs.quiz import Choice, Numeric

QUIZ = [
    Choice(
        'You ran some cells out of order, changed one, and now a cell fails with '
        'NameError. What is the sure way back to a clean state?',
        ('Run the failing cell again until it works',
         'Delete the cell that fails',
         'Kernel → Restart Kernel, then run the cells from the top (or Run → Run All '
         'Cells)',
         'Close the browser tab: nothing is kept anyway'),
        answer=2,
        explanation='A restart forgets every variable; running from the top recomputes '
                    'them in the order the lesson was written for. The number in [ ] '
                    'shows the order cells actually ran.',
        why_not={0: 'Running it again does not define what an earlier cell should have '
                 'defined.',
                 1: 'The cell is fine; what it needs was never run (or was overwritten).',
                 3: 'In your own JupyterLab the kernel keeps running; on Binder your changes'
                 ' are lost. Neither fixes the order.'}),
    Choice(
        'Who published backpropagation for training hidden layers in Nature in 1986 (the '
        "course text's own reference [3])?",
        ('Hinton, Arbib & Jordan',
         'Rumelhart, Hinton & Williams',
         'McCulloch & Pitts',
         'Hochreiter & Schmidhuber'),
        answer=1,
        explanation="D. E. Rumelhart, G. E. Hinton and R. J. Williams, 'Learning "
                    "representations by back-propagating errors', Nature 323, 533–536 "
                    '(1986). Werbos had described the method in his 1974 PhD thesis; the '
                    '1986 paper showed that it makes hidden units learn useful features.',
        why_not={0: "That is what the course text's §1 says, and it is wrong: Michael Arbib "
                 'and Michael Jordan are not authors of the paper — its own reference [3]'
                 ' lists Rumelhart, Hinton and Williams.',
                 2: 'McCulloch and Pitts described the threshold neuron in 1943, with no '
                 'learning rule at all.',
                 3: 'Hochreiter and Schmidhuber published the LSTM in 1997 (lesson 08).'}),
    Choice(
        "What did Minsky and Papert's book 'Perceptrons' (1969) show?",
        ('Backpropagation does not work for deep networks',
         'Neural networks need GPUs to be trained',
         'Any function can be learned by one neuron given enough data',
         'A single-layer perceptron cannot compute functions such as XOR, whose classes '
         'no straight line separates'),
        answer=3,
        explanation='One layer draws one straight line (lesson 01); XOR needs two. A '
                    "hidden layer solves it (lesson 07's XOR exercise) — but how to train"
                    ' hidden layers became widely known only with backpropagation in '
                    '1986.',
        why_not={0: 'Backpropagation was not yet in use for networks in 1969.',
                 1: 'There were no GPUs in 1969; their use for networks came around '
                 '2009–2012.',
                 2: 'That is exactly what the book disproved for a single layer.'}),
    Numeric(
        'In which year did Hochreiter and Schmidhuber publish the LSTM (long short-term '
        'memory, 长短期记忆网络)?',
        answer=1997, tolerance=0,
        explanation="S. Hochreiter and J. Schmidhuber, 'Long short-term memory', Neural "
                    "Computation 9(8), 1735–1780, 1997 — the course text's reference [4]."
                    ' Lesson 08 trains one.'),
]
