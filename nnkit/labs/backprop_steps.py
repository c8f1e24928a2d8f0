"""The logic of the BackpropStepper: one training step of a 2-2-1 network, number by number.

The network and its example (lesson §3.1, §3.4), in the lesson's notation — ``w⁽ˡ⁾_ij`` is the
weight *into* neuron i of layer l *from* neuron j of the layer before::

    z⁽¹⁾_i = Σ_j w⁽¹⁾_ij x_j + b⁽¹⁾_i        h⁽¹⁾_i = σ(z⁽¹⁾_i)          i = 1, 2
    z⁽²⁾   = Σ_j w⁽²⁾_j h⁽¹⁾_j + b⁽²⁾        ŷ = σ(z⁽²⁾)
    L      = (ŷ − y)²                         (or cross-entropy −[y log ŷ + (1−y) log(1−ŷ)])

Backward, one layer at a time (the chain rule; δ is ∂L/∂z of a layer)::

    δ⁽²⁾     = ∂L/∂ŷ · σ'(z⁽²⁾) = 2(ŷ − y) · ŷ(1 − ŷ)      (cross-entropy: ŷ − y)
    ∂L/∂w⁽²⁾_j = δ⁽²⁾ h⁽¹⁾_j                ∂L/∂b⁽²⁾ = δ⁽²⁾
    δ⁽¹⁾_j   = w⁽²⁾_j δ⁽²⁾ · h⁽¹⁾_j (1 − h⁽¹⁾_j)
    ∂L/∂w⁽¹⁾_jk = δ⁽¹⁾_j x_k                ∂L/∂b⁽¹⁾_j = δ⁽¹⁾_j

and the update (lesson §3.3) ``w ← w − α ∂L/∂w`` for all nine parameters.

Every number here is computed from these formulas, written out for two neurons, not by calling
the layers' ``backward``: ``tests/test_backprop_stepper.py`` checks them against
``nnkit.gradcheck`` on the very same nnkit model (``steps.model``), whose weights this class reads
and writes.  In nnkit's arrays a Dense weight is ``W[j, i]`` (from j to i), so w⁽¹⁾ = W₁ᵀ.
"""
from __future__ import annotations

import math

import numpy as np

from nnkit import checks, layers, losses, models
from nnkit.i18n import N_

__all__ = ["BackpropSteps", "STAGES", "STAGE_TITLES", "EXAMPLE_WEIGHTS"]

STAGES = ("start", "forward_hidden", "forward_output", "loss", "backward_output",
          "backward_hidden", "update")
STAGE_TITLES = {"start": N_("the network and one example"),   # N_: widgets show them translated
                "forward_hidden": N_("forward pass: the hidden layer"),
                "forward_output": N_("forward pass: the output layer"),
                "loss": N_("the loss"),
                "backward_output": N_("backward pass: the output layer"),
                "backward_hidden": N_("backward pass: the hidden layer"),
                "update": N_("the update: every weight takes a step downhill")}
LOSSES = ("mse", "binary_crossentropy")
# Round numbers to follow with a calculator (after Matt Mazur's worked example), nnkit layout.
EXAMPLE_WEIGHTS = [np.array([[0.15, 0.25], [0.20, 0.30]]), np.array([0.35, 0.35]),
                   np.array([[0.40], [0.45]]), np.array([0.60])]


def _sigmoid(z: float) -> float:
    return 0.5 * (1.0 + math.tanh(0.5 * z))


class BackpropSteps:
    """One example, a 2-2-1 sigmoid network, and the stage of the training step being shown.

    x: (2,) the input;  y: the target in [0, 1];  loss: "mse" or "binary_crossentropy";
    learning_rate: α;  weights: "example" (round numbers) or an int seed for random ones.
    """

    def __init__(self, x=(0.05, 0.10), y: float = 0.01, loss: str = "mse",
                 learning_rate: float = 0.5, weights="example"):
        self.x = self.check_x(x)
        self.y = checks.fraction("y", y, high_open=False)
        self.loss = checks.one_of("loss", loss, LOSSES)
        self.learning_rate = checks.positive_float("learning_rate", learning_rate)
        seed = 0 if isinstance(weights, str) else checks.non_negative_int("weights", weights)
        if isinstance(weights, str):
            checks.one_of("weights", weights, ["example"])
        self.model = models.Sequential([layers.Dense(2, "sigmoid", input_shape=(2,)),
                                        layers.Dense(1, "sigmoid")], seed=seed)
        if isinstance(weights, str):
            self.model.set_weights(EXAMPLE_WEIGHTS)
        self.model.compile(optimizer="sgd", loss=self.loss)
        self.initial_weights = self.model.get_weights()
        self.history: list[list[np.ndarray]] = []     # weights before each finished iteration
        self.stage_index = 0
        self.iteration = 1
        self.numbers = self.compute()

    @staticmethod
    def check_x(x) -> np.ndarray:
        x = checks.finite_array("x", x, ndim=1).astype(float)
        if x.shape != (2,):
            raise ValueError(f"x must be one example with two inputs (x1, x2). Received shape "
                             f"{x.shape}.")
        return x

    # ---- moving through the stages --------------------------------------------------------------
    @property
    def stage(self) -> str:
        return STAGES[self.stage_index]

    def next(self) -> str:
        """Show the next stage; after the update, the next iteration's forward pass."""
        if self.stage == "update":
            self.history.append(self.model.get_weights())
            self.model.set_weights(self.numbers["new_weights"])
            self.iteration += 1
            self.stage_index = 1
            self.numbers = self.compute()
        else:
            self.stage_index += 1
        return self.stage

    def back(self) -> str:
        """Show the stage before (across iterations too: the update is undone)."""
        if self.stage_index > 1 or (self.stage_index == 1 and not self.history):
            self.stage_index -= 1
        elif self.stage_index == 1:
            self.model.set_weights(self.history.pop())
            self.iteration -= 1
            self.stage_index = len(STAGES) - 1
            self.numbers = self.compute()
        return self.stage

    def reset(self) -> None:
        """Back to the first weights and the first stage."""
        self.model.set_weights(self.initial_weights)
        self.history.clear()
        self.iteration, self.stage_index = 1, 0
        self.numbers = self.compute()

    def recompute(self) -> None:
        """After a change of x, y, loss or α: the same weights, the numbers again."""
        self.model.compile(optimizer="sgd", loss=self.loss)
        self.numbers = self.compute()

    # ---- the numbers ----------------------------------------------------------------------------
    def compute(self) -> dict:
        """Every number of this iteration's forward pass, loss, backward pass and update."""
        W1, b1, W2, b2 = self.model.get_weights()
        w1, w2 = W1.T, W2[:, 0]                      # lesson layout: w1[i, j] from x_j into h_i
        x, y = self.x, self.y
        z1 = np.array([w1[i, 0] * x[0] + w1[i, 1] * x[1] + b1[i] for i in range(2)])
        h1 = np.array([_sigmoid(z) for z in z1])
        z2 = w2[0] * h1[0] + w2[1] * h1[1] + b2[0]
        y_hat = _sigmoid(z2)
        if self.loss == "mse":
            L = (y_hat - y) ** 2
            dL_dy = 2.0 * (y_hat - y)
            delta2 = dL_dy * y_hat * (1.0 - y_hat)
        else:
            p = min(max(y_hat, losses.EPSILON), 1 - losses.EPSILON)
            L = -(y * math.log(p) + (1 - y) * math.log(1 - p))
            dL_dy = (y_hat - y) / (y_hat * (1.0 - y_hat))
            delta2 = y_hat - y                       # σ' cancels: (ŷ − y)/(ŷ(1−ŷ)) · ŷ(1−ŷ)
        dw2 = np.array([delta2 * h1[0], delta2 * h1[1]])
        db2 = delta2
        dh1 = np.array([w2[0] * delta2, w2[1] * delta2])
        delta1 = np.array([dh1[j] * h1[j] * (1.0 - h1[j]) for j in range(2)])
        dw1 = np.array([[delta1[j] * x[k] for k in range(2)] for j in range(2)])
        db1 = delta1.copy()
        a = self.learning_rate
        new_w1, new_b1 = w1 - a * dw1, b1 - a * db1
        new_w2, new_b2 = w2 - a * dw2, b2[0] - a * db2
        new_weights = [new_w1.T.copy(), new_b1, new_w2[:, None].copy(), np.array([new_b2])]
        return dict(x=x, y=y, w1=w1, b1=b1, w2=w2, b2=float(b2[0]), z1=z1, h1=h1, z2=z2,
                    y_hat=y_hat, L=L, dL_dy=dL_dy, delta2=delta2, dw2=dw2, db2=db2, dh1=dh1,
                    delta1=delta1, dw1=dw1, db1=db1, new_w1=new_w1, new_b1=new_b1,
                    new_w2=new_w2, new_b2=new_b2, new_weights=new_weights,
                    L_after=self._loss_after(new_weights))

    def _loss_after(self, weights) -> float:
        """The loss of this example with the updated weights (the model is left as it was)."""
        saved = self.model.get_weights()
        self.model.set_weights(weights)
        out = self.model.predict(self.x[None, :])
        self.model.set_weights(saved)
        return float(self.model.loss(np.array([[self.y]]), out)[0])

    @property
    def gradients(self) -> dict[str, np.ndarray]:
        """∂L/∂(every weight) as shown, in nnkit's layout and names (as ``gradcheck`` reports)."""
        n = self.numbers
        first, second = (layer.name for layer in self.model.layers)
        return {f"{first}.W": n["dw1"].T, f"{first}.b": n["db1"],
                f"{second}.W": n["dw2"][:, None], f"{second}.b": np.array([n["db2"]])}
