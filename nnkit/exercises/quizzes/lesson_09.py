"""Lesson 09 · Applications (神经网络的应用): concept checks."""
from nnkit.labs.quiz import Choice, Numeric

QUIZ = [
    Choice(
        "The digit MLP is trained on centred digits. Shift every test digit two pixels to the "
        "right: why does an MLP suffer, and a convolutional network (卷积神经网络) much less?",
        ("The MLP has too few parameters to store shifted digits",
         "Each MLP hidden neuron has one weight per pixel position, so a shifted stroke meets "
         "different weights; a kernel (卷积核) is shared by every position",
         "Shifting changes the labels of the digits",
         "A CNN is trained on more images"),
        answer=1,
        explanation="The MLP's templates are tied to positions. A convolution computes the same "
                    "weighted sum at every position, so a stroke is detected wherever it is.",
        why_not={0: "The MLP has more first-layer weights (64 per neuron) than a 3 × 3 kernel (9); "
                    "the problem is that its weights sit at fixed positions.",
                 2: "A 3 moved to the right is still a 3; only the pixels under each weight "
                    "change.",
                 3: "Both could use the same images; the difference is how the weights are laid "
                    "out."},
    ),
    Numeric(
        "A 3 × 3 kernel slides over a 28 × 28 image, only where it fits entirely (mode "
        "'valid', as in the lesson). How many values does the feature map have?",
        answer=676, tolerance=0, unit="values",
        explanation="The kernel fits in 28 − 3 + 1 = 26 positions per direction: 26 × 26 = 676 "
                    "values, all computed with the same 9 weights (on 8 × 8: 6 × 6 = 36).",
    ),
    Numeric(
        "The model predicts p = (0.8, 0.2) for the next character. At temperature (温度) τ = 0.5, "
        "what probability does the likelier character get?",
        answer=0.64 / 0.68, tolerance=0.005,
        explanation="p^{1/τ} = p²: (0.64, 0.04), divided by their sum 0.68 → (0.941, 0.059). "
                    "τ < 1 makes the likely character even likelier.",
    ),
    Choice(
        "At a high temperature, e.g. τ = 1.5, the generated text soon turns into nonsense. Why?",
        ("A high temperature makes the LSTM forget its memory c_t",
         "The random seed changes with the temperature",
         "The model was trained at τ = 1 and breaks at other values",
         "p^{1/τ} with τ > 1 flattens the distribution, so unlikely characters are drawn more "
         "often"),
        answer=3,
        explanation="1/τ < 1 pulls the probabilities towards each other: rare characters get a "
                    "real chance, and one odd character leads the model into windows it never saw.",
        why_not={0: "The temperature acts after the model, on the output probabilities; the LSTM "
                    "and its memory are untouched.",
                 1: "The widget keeps the seed you choose; the change comes from the reweighting.",
                 2: "The model is the same at every τ; only the draw from its probabilities "
                    "changes."},
    ),
    Choice(
        "In a Transformer's attention (注意力机制), softmax(QKᵀ/√d) V, what does the softmax decide?",
        ("Which character comes next",
         "The learning rate of each position",
         "How much each position's value counts in the average: where each position looks",
         "Which positions are dropped from the input"),
        answer=2,
        explanation="Each query is compared with every key; the softmax turns the scores into "
                    "weights that sum to 1, and the output is the weighted average of the values "
                    "V.",
        why_not={0: "That is the softmax of the output layer; attention's softmax weighs positions "
                    "inside the network.",
                 1: "Learning rates belong to the optimizer, not to the network's computation.",
                 3: "No position is dropped: every one gets a weight, possibly small."},
    ),
]
