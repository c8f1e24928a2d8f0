"""Lesson 12 · Convolution and images (卷积与图像): concept checks."""
from nnkit.labs.quiz import Choice, Numeric

QUIZ = [
    Numeric(
        "Conv2D(16, kernel_size=3) reads 8 × 8 grey images (input_shape=(8, 8, 1)). How many "
        "parameters does it have, biases included?",
        answer=160, tolerance=0, unit="parameters",
        explanation="K has shape (3, 3, 1, 16): 3 · 3 · 1 · 16 = 144 weights, plus one bias per "
                    "filter: 144 + 16 = 160. The image size does not appear: the same 160 "
                    "numbers serve an 8 × 8 or a 1000 × 1000 image.",
    ),
    Numeric(
        "Conv2D(8, kernel_size=3, strides=2, padding='valid') on a 9 × 9 image: how many rows "
        "does each feature map (特征图) have?",
        answer=4, tolerance=0, unit="rows",
        explanation="valid: n' = ⌊(n − k) / s⌋ + 1 = ⌊(9 − 3) / 2⌋ + 1 = 3 + 1 = 4 — the kernel "
                    "starts at rows 0, 2, 4 and 6. With padding='same' it would be ⌈9 / 2⌉ = 5.",
    ),
    Choice(
        "Conv2D(16, 3, padding='same') on an 8 × 8 image gives 8 · 8 · 16 = 1 024 outputs from "
        "160 parameters; a Dense layer with the same 1 024 outputs needs 66 560. Where does the "
        "difference come from?",
        ("Conv2D stores its weights in float32 and Dense in float64",
         "Conv2D has no biases",
         "Each output sees only a 3 × 3 patch (locality, 局部连接), and all positions share the "
         "same kernel (weight sharing, 权值共享)",
         "Max pooling removes three quarters of the weights"),
        answer=2,
        explanation="Dense gives every output its own weight for every pixel: 64 · 1 024 + 1 024. "
                    "A convolution's output (i, j, f) uses only 9 pixels, with the 9 weights of "
                    "filter f, the same at every (i, j): 9 · 16 + 16.",
        why_not={0: "Both use the model's dtype; the count of numbers is what differs.",
                 1: "Conv2D has one bias per filter (16 here), included in the 160.",
                 3: "Pooling has no weights at all, and here it is not even in the layer."},
    ),
    Choice(
        "In the backward pass of MaxPooling2D(2), a 2 × 2 window held (1, 5, 3, 2) and "
        "dL/d(output) = 7 for it. What does each of the four inputs receive?",
        ("7 for the input that held 5, and 0 for the other three",
         "7 / 4 = 1.75 each",
         "0 each: pooling has no weights, so no gradient",
         "7 each"),
        answer=0,
        explanation="The output is the max, so it moves only with the input that was the max "
                    "(∂ max / ∂x = 1 there, 0 elsewhere): the whole 7 goes to the 5.",
        why_not={1: "Averaging is the gradient of average pooling, not of max pooling.",
                 2: "Layers without weights still pass dL/dx backwards; otherwise the Conv2D "
                    "before it would learn nothing.",
                 3: "The other three could change a little without changing the max: their "
                    "derivative is 0."},
    ),
    Choice(
        "A saliency map (显著图) M = ∂S_c/∂x is bright on the top loop of a digit 9. What may you "
        "conclude?",
        ("The network has understood what a 9 is",
         "Small changes of those pixels change the class score S_c the most, at this image",
         "The network ignores every dark pixel of M",
         "Deleting those pixels would turn the 9 into another digit"),
        answer=1,
        explanation="A gradient is a local, linear statement: how S_c moves for tiny changes of "
                    "each pixel, here. It is evidence of what the model is sensitive to, not an "
                    "explanation of how it reasons.",
        why_not={0: "A gradient measures sensitivity; understanding is not something it can show.",
                 2: "A pixel can matter together with others, or beyond the linear regime, with a "
                    "small gradient here.",
                 3: "Deleting pixels is a large change; the gradient only describes tiny ones "
                    "(the ReLUs and the max pooling may switch on the way)."},
    ),
]
