"""The course's iris model (4-64-64-3, relu/softmax, Adam, 100 epochs, batch 32), trained four ways.

    python benchmarks/bench_iris.py [--repeats 15] [--no-sklearn]

Rows: nnkit's ``fit``; a minimal hand-written NumPy loop of the same math (per-array Adam, the way
one writes it by hand); nnkit's own NumPy calls written out in one loop (the floor under nnkit's
Python structure: it ends with nnkit's weights and History, bit for bit); scikit-learn's
``MLPClassifier`` of the same shape.  Each row reports the median time per optimizer step, as
CPU time (``time.process_time``: the work itself) and as wall time (on a shared machine it
includes waiting for a core), and its ratio to the hand-written loop: the ratio of the medians,
and the median of the ratios of runs taken side by side ("paired").

Robust on a shared machine: BLAS runs on one thread (``OPENBLAS_NUM_THREADS=1`` unless set), one
untimed run of each row comes first, and the rows take turns — each repeat runs them in the
order of the one before, reversed — so a burst of load hits all rows alike.
Bar: nnkit ≤ 1.0× the hand-written loop (CPU time, ratio of medians); target ≤ 0.75×.
"""
from __future__ import annotations

import os

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")              # before NumPy loads its BLAS

import argparse  # noqa: E402
import time  # noqa: E402
import warnings  # noqa: E402

import numpy as np  # noqa: E402
from sklearn.datasets import load_iris  # noqa: E402
from sklearn.model_selection import train_test_split  # noqa: E402

from nnkit import layers, models  # noqa: E402

EPOCHS, BATCH = 100, 32
BAR, TARGET = 1.0, 0.75


def data():
    X, y = load_iris(return_X_y=True)
    X_train, _, y_train, _ = train_test_split(X, y, test_size=0.2, random_state=42)
    return X_train, np.eye(3)[y_train], y_train


class Clock:
    """Wall and CPU seconds of the ``with`` block: ``clock.wall``, ``clock.cpu``."""

    def __enter__(self):
        self.wall, self.cpu = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *exc):
        self.wall, self.cpu = time.perf_counter() - self.wall, time.process_time() - self.cpu


def iris_model(seed):
    model = models.Sequential(seed=seed)
    model.add(layers.Dense(64, input_shape=(4,), activation="relu"))
    model.add(layers.Dense(64, activation="relu"))
    model.add(layers.Dense(3, activation="softmax"))
    model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
    return model


def run_nnkit(X, Y, seed, keep=None):
    model = iris_model(seed)
    with Clock() as clock:
        history = model.fit(X, Y, epochs=EPOCHS, batch_size=BATCH, verbose=0)
    if keep is not None:
        keep["weights"] = model.get_weights()
        keep["history"] = list(zip(history.history["loss"], history.history["accuracy"]))
    return clock


def run_floor(X, Y, seed, keep=None):
    """nnkit's own NumPy calls for the same fit, written out in one loop: no layers, no
    method calls — what nnkit's Python structure costs is nnkit's time minus this row's.

    Same initial weights, batch order, flat weight buffer and operations (in the same order) as
    ``fit`` above, per-epoch loss and accuracy included; the final weights are equal to nnkit's
    (checked in ``main``)."""
    model = iris_model(seed)
    theta = np.concatenate([w.ravel() for w in model.get_weights()])   # the initial weights
    grad = np.zeros_like(theta)
    views, offset = [], 0
    for w in model.get_weights():
        views.append((theta[offset:offset + w.size].reshape(w.shape),
                      grad[offset:offset + w.size].reshape(w.shape)))
        offset += w.size
    (W1, dW1), (b1, db1), (W2, dW2), (b2, db2), (W3, dW3), (b3, db3) = views
    m, v, tmp = np.zeros_like(theta), np.zeros_like(theta), np.zeros_like(theta)
    lr, beta1, beta2, eps, t = 0.001, 0.9, 0.999, 1e-7, 0
    rng = np.random.default_rng([seed, 1])                       # fit's batch order
    history = []
    with Clock() as clock, np.errstate(over="ignore", invalid="ignore", divide="ignore",
                                       under="ignore"):
        for _ in range(EPOCHS):
            order = rng.permutation(len(X))
            xs, ys = X[order], Y[order]
            total, logits = 0.0, []
            for start in range(0, len(X), BATCH):
                x, y = xs[start:start + BATCH], ys[start:start + BATCH]
                z1 = x @ W1; z1 += b1; h1 = np.maximum(z1, 0)
                z2 = h1 @ W2; z2 += b2; h2 = np.maximum(z2, 0)
                z3 = h2 @ W3; z3 += b3
                N = z3.shape[0]
                shifted = z3 - z3.max(axis=1, keepdims=True)
                e = np.exp(shifted)
                e_sum = e.sum(axis=1, keepdims=True)
                L = float((np.log(e_sum).sum() - np.vdot(y, shifted)) / N)
                e /= e_sum; e -= y; e *= 1.0 / N; dz = e
                np.dot(h2.T, dz, out=dW3); np.add.reduce(dz, axis=0, out=db3); d = dz @ W3.T
                d = d * (z2 > 0)
                np.dot(h1.T, d, out=dW2); np.add.reduce(d, axis=0, out=db2); d = d @ W2.T
                d = d * (z1 > 0)
                np.dot(x.T, d, out=dW1); np.add.reduce(d, axis=0, out=db1)
                if not (np.isfinite(L) and np.isfinite(np.dot(grad, grad))):
                    raise FloatingPointError("the floor diverged")
                t += 1
                np.multiply(grad, 1.0 - beta1, out=tmp); m *= beta1; m += tmp
                np.multiply(grad, grad, out=tmp); tmp *= 1.0 - beta2; v *= beta2; v += tmp
                alpha_t = lr * (1.0 - beta2 ** t) ** 0.5 / (1.0 - beta1 ** t)
                np.sqrt(v, out=tmp); tmp += eps; np.divide(m, tmp, out=tmp); tmp *= alpha_t
                theta -= tmp
                total += L * N
                logits.append(z3)
            z = np.concatenate(logits)
            e = np.exp(z - z.max(axis=-1, keepdims=True))
            h = e / e.sum(axis=-1, keepdims=True)
            accuracy = np.count_nonzero(h.argmax(axis=1) == ys.argmax(axis=1)) / len(h)
            history.append((total / len(X), accuracy))
    if keep is not None:
        keep["weights"] = [w.copy() for w, _ in views]
        keep["history"] = history
    return clock


def run_by_hand(X, Y, seed):
    """Forward, softmax cross-entropy, backward, Adam — each weight array updated on its own."""
    rng = np.random.default_rng(seed)
    sizes = [4, 64, 64, 3]
    params = []
    for n_in, n_out in zip(sizes[:-1], sizes[1:]):
        limit = np.sqrt(6 / (n_in + n_out))
        params += [rng.uniform(-limit, limit, (n_in, n_out)), np.zeros(n_out)]
    m = [np.zeros_like(p) for p in params]
    v = [np.zeros_like(p) for p in params]
    lr, b1, b2, eps, t = 0.001, 0.9, 0.999, 1e-7, 0
    with Clock() as clock:
        for _ in range(EPOCHS):
            order = rng.permutation(len(X))
            for start in range(0, len(X), BATCH):
                idx = order[start:start + BATCH]
                x, y = X[idx], Y[idx]
                W1, b1_, W2, b2_, W3, b3 = params
                z1 = x @ W1 + b1_; h1 = np.maximum(z1, 0)
                z2 = h1 @ W2 + b2_; h2 = np.maximum(z2, 0)
                z3 = h2 @ W3 + b3
                e = np.exp(z3 - z3.max(axis=1, keepdims=True)); p = e / e.sum(axis=1, keepdims=True)
                dz3 = (p - y) / len(x)
                dW3 = h2.T @ dz3; db3 = dz3.sum(0); dh2 = dz3 @ W3.T
                dz2 = dh2 * (z2 > 0); dW2 = h1.T @ dz2; db2 = dz2.sum(0); dh1 = dz2 @ W2.T
                dz1 = dh1 * (z1 > 0); dW1 = x.T @ dz1; db1 = dz1.sum(0)
                grads = [dW1, db1, dW2, db2, dW3, db3]
                t += 1
                alpha = lr * np.sqrt(1 - b2 ** t) / (1 - b1 ** t)
                for p_, g, m_, v_ in zip(params, grads, m, v):
                    m_ += (1 - b1) * (g - m_)
                    v_ += (1 - b2) * (g * g - v_)
                    p_ -= alpha * m_ / (np.sqrt(v_) + eps)
    return clock


def run_sklearn(X, Y, seed):
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.neural_network import MLPClassifier
    clf = MLPClassifier(hidden_layer_sizes=(64, 64), activation="relu", solver="adam",
                        batch_size=BATCH, max_iter=EPOCHS, tol=0.0, n_iter_no_change=EPOCHS + 1,
                        alpha=0.0, random_state=seed)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        with Clock() as clock:
            clf.fit(X, Y.argmax(1))
    return clock


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=15)
    parser.add_argument("--no-sklearn", action="store_true", help="skip the scikit-learn row")
    args = parser.parse_args()
    X, Y, _ = data()
    steps = EPOCHS * int(np.ceil(len(X) / BATCH))
    runs = {"hand-written NumPy": run_by_hand, "nnkit": run_nnkit,
            "nnkit's NumPy calls only": run_floor}
    if not args.no_sklearn:
        runs["sklearn MLPClassifier"] = run_sklearn
    for run in runs.values():                     # warm-up: imports, caches, BLAS buffers
        run(X, Y, seed=0)
    fitted, floor = {}, {}
    run_nnkit(X, Y, 0, keep=fitted)
    run_floor(X, Y, 0, keep=floor)
    same = (fitted["history"] == floor["history"]
            and len(fitted["weights"]) == len(floor["weights"])
            and all(np.array_equal(a, b) for a, b in zip(fitted["weights"], floor["weights"])))
    wall = {name: [] for name in runs}
    cpu = {name: [] for name in runs}
    order = list(runs)
    for r in range(args.repeats):                 # take turns: A B C, C B A, A B C, …
        for name in order:
            clock = runs[name](X, Y, seed=r)
            wall[name].append(clock.wall / steps * 1e6)
            cpu[name].append(clock.cpu / steps * 1e6)
        order.reverse()
    ref = "hand-written NumPy"
    print(f"iris 4-64-64-3, Adam, {EPOCHS} epochs x {steps // EPOCHS} steps, batch {BATCH}; "
          f"{args.repeats} runs each, OPENBLAS_NUM_THREADS={os.environ['OPENBLAS_NUM_THREADS']}")
    print(f"{'':26}{'CPU µs/step':>12}{'× hand':>8}{'paired':>8}"
          f"{'wall µs/step':>14}{'× hand':>8}{'paired':>8}")
    for name in runs:
        cells = []
        for times in (cpu, wall):
            med = np.median(times[name])
            paired = np.median(np.array(times[name]) / np.array(times[ref]))
            cells.append(f"{med:12.1f}{med / np.median(times[ref]):8.2f}{paired:8.2f}")
        print(f"{name:26}{cells[0]}  {cells[1]}")
    print(f"(the NumPy-calls-only row ends with nnkit's weights and History, bit for bit: "
          f"{'yes' if same else 'NO'})")
    ratio = np.median(cpu["nnkit"]) / np.median(cpu[ref])
    paired = np.median(np.array(cpu["nnkit"]) / np.array(cpu[ref]))
    verdict = "meets" if ratio <= BAR else "MISSES"
    print(f"nnkit / hand-written, CPU time: {ratio:.2f}× (ratio of medians; paired {paired:.2f}×)"
          f" — {verdict} the bar ≤ {BAR}× (target ≤ {TARGET}×)")


if __name__ == "__main__":
    main()
