"""Benchmark: nnkit's LSTM forward + backward against a minimal hand-written NumPy LSTM.

The claim: one training step of ``nnkit.layers.LSTM`` (batch 32, 50 steps, 1 input feature,
32 units, full backprop through time) runs within 2× of PyTorch's ``nn.LSTM`` on the CPU.

The reference is the textbook implementation of the same math (CS231n style): a step function
called T times forward and T times backward, every array allocated where it is needed.  PyTorch
is measured too when ``import torch`` works — it is never a dependency of nnkit.  To include it
without touching the project's environment:

    python3 -m venv /tmp/benchvenv && /tmp/benchvenv/bin/pip install numpy torch
    PYTHONPATH=. /tmp/benchvenv/bin/python benchmarks/bench_lstm.py

All implementations get the same weights and inputs; their gradients are compared once before
timing.  Cases take turns in blocks (see ``time_cases``); medians are reported.  On a small
shared machine, pin the threads for steadier figures (``OPENBLAS_NUM_THREADS=1
OMP_NUM_THREADS=1 python …``) and try ``--clock cpu``.
"""
from __future__ import annotations

import argparse
import os
import platform
import time

import numpy as np

from nnkit.layers import LSTM

N, T, D, H = 32, 50, 1, 32


# ---- the reference: a minimal hand-written LSTM, gates in the order i, f, g, o ------------------
def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def ref_step_forward(x, h_prev, c_prev, W_x, W_h, b):
    a = x @ W_x + h_prev @ W_h + b                       # (N, 4H)
    i, f, g, o = np.split(a, 4, axis=1)
    i, f, g, o = sigmoid(i), sigmoid(f), np.tanh(g), sigmoid(o)
    c = f * c_prev + i * g
    tc = np.tanh(c)
    h = o * tc
    return h, c, (x, h_prev, c_prev, i, f, g, o, tc)


def ref_step_backward(dh, dc, cache, W_x, W_h):
    x, h_prev, c_prev, i, f, g, o, tc = cache
    do = dh * tc
    dc = dc + dh * o * (1 - tc * tc)
    di, df, dg, dc_prev = dc * g, dc * c_prev, dc * i, dc * f
    da = np.concatenate([di * i * (1 - i), df * f * (1 - f), dg * (1 - g * g), do * o * (1 - o)],
                        axis=1)
    return da @ W_x.T, da @ W_h.T, dc_prev, x.T @ da, h_prev.T @ da, da.sum(axis=0)


def ref_forward_backward(x, dout, W_x, W_h, b):
    n, t_len, _ = x.shape
    h = np.zeros((n, W_h.shape[0]), x.dtype)
    c = np.zeros_like(h)
    caches = []
    for t in range(t_len):
        h, c, cache = ref_step_forward(x[:, t], h, c, W_x, W_h, b)
        caches.append(cache)
    dx = np.zeros_like(x)
    dW_x, dW_h, db = np.zeros_like(W_x), np.zeros_like(W_h), np.zeros_like(b)
    dh, dc = dout, np.zeros_like(c)
    for t in reversed(range(t_len)):
        dx[:, t], dh, dc, dWx_t, dWh_t, db_t = ref_step_backward(dh, dc, caches[t], W_x, W_h)
        dW_x += dWx_t
        dW_h += dWh_t
        db += db_t
    return dx, dW_x, dW_h, db


# ---- the three contestants -----------------------------------------------------------------------
def make_cases(dtype, rng):
    layer = LSTM(H)
    layer.build((T, D), np.random.default_rng(0), np.dtype(dtype))
    layer.b[...] = rng.normal(0, 0.1, layer.b.shape)
    x = rng.normal(size=(N, T, D)).astype(dtype)
    dout = rng.normal(size=(N, H)).astype(dtype)
    W_x, W_h, b = layer.W_x.copy(), layer.W_h.copy(), layer.b.copy()

    def nnkit_step():
        layer.forward(x, training=True)
        return layer.backward(dout), layer.dW_x, layer.dW_h, layer.db

    def reference_step():
        return ref_forward_backward(x, dout, W_x, W_h, b)

    cases = {"hand-written NumPy": reference_step, "nnkit": nnkit_step}
    torch_step = make_torch_step(dtype, x, dout, W_x, W_h, b)
    if torch_step is not None:
        cases["PyTorch nn.LSTM"] = torch_step
    return cases


def make_torch_step(dtype, x, dout, W_x, W_h, b):
    try:
        import torch
    except ImportError:
        return None
    tdtype = {"float32": torch.float32, "float64": torch.float64}[dtype]
    lstm = torch.nn.LSTM(D, H, batch_first=True).to(tdtype)
    with torch.no_grad():                       # same order i, f, g, o; PyTorch stores Wᵀ
        lstm.weight_ih_l0.copy_(torch.from_numpy(W_x.T.copy()))
        lstm.weight_hh_l0.copy_(torch.from_numpy(W_h.T.copy()))
        lstm.bias_ih_l0.copy_(torch.from_numpy(b))
        lstm.bias_hh_l0.zero_()
    tx = torch.from_numpy(x).requires_grad_(True)
    tdout = torch.from_numpy(dout)

    def torch_step():
        for p in (tx, *lstm.parameters()):
            p.grad = None
        _, (h_last, _) = lstm(tx)
        h_last[0].backward(tdout)
        return (tx.grad.numpy(), lstm.weight_ih_l0.grad.numpy().T, lstm.weight_hh_l0.grad.numpy().T,
                lstm.bias_ih_l0.grad.numpy())

    return torch_step


def check_same(cases, dtype):
    """Every implementation must give the reference's dx, dW_x, dW_h, db."""
    tol = 1e-8 if dtype == "float64" else 2e-3
    want = cases["hand-written NumPy"]()
    for name, step in cases.items():
        for label, a, b in zip(("dx", "dW_x", "dW_h", "db"), step(), want):
            err = np.max(np.abs(np.asarray(a) - b)) / max(1e-12, np.max(np.abs(b)))
            if err > tol:
                raise AssertionError(f"{name} ({dtype}): {label} differs from the reference "
                                     f"(relative error {err:.2e}).")


def time_cases(cases: dict, repeats: int, warmup: int, rounds: int = 5,
               clock=time.perf_counter) -> dict:
    """Median milliseconds per call of every case.

    Each case runs in blocks of repeats / rounds timed calls (after ``warmup`` untimed ones and a
    pause), and the blocks take turns over several rounds: a load that comes and goes on a shared
    machine then hits every case alike, while NumPy's (OpenBLAS) and PyTorch's (OpenMP) idle
    threads never spin against each other inside a block.
    """
    times = {key: [] for key in cases}
    for _ in range(rounds):
        for key, step in cases.items():
            time.sleep(0.2)
            for _ in range(warmup):
                step()
            for _ in range(max(1, repeats // rounds)):
                start = clock()
                step()
                times[key].append(clock() - start)
    return {key: 1e3 * float(np.median(ts)) for key, ts in times.items()}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=50)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--clock", choices=["wall", "cpu"], default="wall",
                        help="cpu: this process's CPU time, steadier on a busy machine (pin the "
                             "threads to 1, or idle threads' spinning is counted too)")
    args = parser.parse_args()
    rng = np.random.default_rng(0)
    try:
        import torch
        torch_info = f"torch {torch.__version__} ({torch.get_num_threads()} threads)"
    except ImportError:
        torch_info = "torch not importable: PyTorch row skipped"
    print(f"LSTM forward + backward (BPTT): batch N={N}, steps T={T}, features D={D}, units H={H}")
    blas = os.environ.get("OPENBLAS_NUM_THREADS", "default")
    print(f"numpy {np.__version__} (OPENBLAS_NUM_THREADS={blas}), {torch_info}, "
          f"python {platform.python_version()}, {os.cpu_count()} CPUs")
    print(f"median of {args.repeats} repeats, ms per forward + backward ({args.clock} clock)")
    cases = {}
    for dtype in ("float64", "float32"):
        for name, step in make_cases(dtype, rng).items():
            cases[name, dtype] = step
        check_same({name: step for (name, d), step in cases.items() if d == dtype}, dtype)
    clock = time.perf_counter if args.clock == "wall" else time.process_time
    results = time_cases(cases, args.repeats, args.warmup, clock=clock)
    torch32 = results.get(("PyTorch nn.LSTM", "float32"))
    header = f"{'implementation':<22}{'dtype':<9}{'ms':>8}{'× hand-written':>16}"
    header += f"{'× PyTorch f32':>15}" if torch32 else ""
    print()
    print(header)
    print("-" * len(header))
    for (name, dtype), ms in results.items():
        row = f"{name:<22}{dtype:<9}{ms:>8.2f}{ms / results['hand-written NumPy', dtype]:>16.2f}"
        row += f"{ms / torch32:>15.2f}" if torch32 else ""
        print(row)
    if torch32:
        print("\ntarget: nnkit ≤ 2× PyTorch CPU (float32)")
        for dtype in ("float32", "float64"):
            ratio = results["nnkit", dtype] / torch32
            print(f"  nnkit {dtype}: {ratio:.2f}× PyTorch float32 — "
                  f"{'met' if ratio <= 2 else 'not met'}")


if __name__ == "__main__":
    main()
