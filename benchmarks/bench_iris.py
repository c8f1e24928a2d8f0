"""The course's iris model (4-64-64-3, relu/softmax, Adam, 100 epochs, batch 32), trained three ways.

    python benchmarks/bench_iris.py [--repeats 7]

Rows: nnkit's ``fit``; a minimal hand-written NumPy loop of the same math (per-array Adam, the way
one writes it by hand); scikit-learn's ``MLPClassifier`` of the same shape.  Prints the median time
per optimizer step and each row's ratio to the hand-written loop, measured in the same run.
Bar: nnkit ≤ 1.25× the hand-written loop; target ≤ 0.75×.
"""
from __future__ import annotations

import argparse
import time
import warnings

import numpy as np
from sklearn.datasets import load_iris
from sklearn.model_selection import train_test_split

from nnkit import layers, models

EPOCHS, BATCH = 100, 32


def data():
    X, y = load_iris(return_X_y=True)
    X_train, _, y_train, _ = train_test_split(X, y, test_size=0.2, random_state=42)
    return X_train, np.eye(3)[y_train], y_train


def run_nnkit(X, Y, seed):
    model = models.Sequential(seed=seed)
    model.add(layers.Dense(64, input_shape=(4,), activation="relu"))
    model.add(layers.Dense(64, activation="relu"))
    model.add(layers.Dense(3, activation="softmax"))
    model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
    t = time.perf_counter()
    model.fit(X, Y, epochs=EPOCHS, batch_size=BATCH, verbose=0)
    return time.perf_counter() - t


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
    t0 = time.perf_counter()
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
    return time.perf_counter() - t0


def run_sklearn(X, Y, seed):
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.neural_network import MLPClassifier
    clf = MLPClassifier(hidden_layer_sizes=(64, 64), activation="relu", solver="adam",
                        batch_size=BATCH, max_iter=EPOCHS, tol=0.0, n_iter_no_change=EPOCHS + 1,
                        alpha=0.0, random_state=seed)
    t = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        clf.fit(X, Y.argmax(1))
    return time.perf_counter() - t


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args()
    X, Y, _ = data()
    steps = EPOCHS * int(np.ceil(len(X) / BATCH))
    runs = {"hand-written NumPy": run_by_hand, "nnkit": run_nnkit, "sklearn MLPClassifier": run_sklearn}
    times = {name: [] for name in runs}
    for r in range(args.repeats):                 # interleave, so load on the machine hits all rows
        for name, run in runs.items():
            times[name].append(run(X, Y, seed=r) / steps * 1e6)
    ref = np.median(times["hand-written NumPy"])
    print(f"iris 4-64-64-3, Adam, {EPOCHS} epochs x {steps // EPOCHS} steps, batch {BATCH}; "
          f"median of {args.repeats} runs")
    print(f"{'':24}{'µs/step':>10}{'× hand-written':>16}")
    for name in runs:
        med = np.median(times[name])
        print(f"{name:24}{med:10.1f}{med / ref:16.2f}")


if __name__ == "__main__":
    main()
