"""Recurrent layers: ``SimpleRNN`` and ``LSTM``, trained by backpropagation through time (BPTT).

Shapes: N samples, T time steps, D input features, H units.  Input ``x: (N, T, D)``; output the
last step's ``h: (N, H)`` (many-to-one) or, with ``return_sequences=True``, every step's
``(N, T, H)`` (many-to-many: a ``Dense`` after it is applied at every step).  Both layers start
from h_{-1} = 0 (and c_{-1} = 0).

SimpleRNN, one step for a batch (samples are rows, as in ``Dense``):

    h_t = f(x_t W_x + h_{t-1} W_h + b)        x_t: (N, D)  W_x: (D, H)  W_h: (H, H)  b: (H,)

LSTM, the lesson's equations (§3.6) in the lesson's symbols (x_t, h_t, c_t are columns):

    i_t = σ(W_xi x_t + W_hi h_{t-1} + b_i)        input gate
    f_t = σ(W_xf x_t + W_hf h_{t-1} + b_f)        forget gate
    o_t = σ(W_xo x_t + W_ho h_{t-1} + b_o)        output gate
    g_t = tanh(W_xg x_t + W_hg h_{t-1} + b_g)     candidate value
    c_t = f_t ⊙ c_{t-1} + i_t ⊙ g_t               cell state
    h_t = o_t ⊙ tanh(c_t)                         output

The four gates' weights are stored side by side in the order **i, f, g, o** — Keras's and
PyTorch's order, so weights can be copied between them — as Keras shapes them:

    W_x: (D, 4H) = [W_xiᵀ | W_xfᵀ | W_xgᵀ | W_xoᵀ]     W_h: (H, 4H) = [W_hiᵀ | …]     b: (4H,)

so one product ``a_t = W_xᵀ x_t + W_hᵀ h_{t-1} + b`` (4H values per sample) gives all four gates'
pre-activations.

Backward is the chain rule through those equations, from the last step back to the first (BPTT).
dh_t is what reaches h_t: the output's own gradient at step t plus what step t+1 sends back.

    do_t     = dh_t ⊙ tanh(c_t)
    dc_t     = dc_t (from step t+1) + dh_t ⊙ o_t ⊙ (1 - tanh²(c_t))
    df_t     = dc_t ⊙ c_{t-1}      di_t = dc_t ⊙ g_t      dg_t = dc_t ⊙ i_t
    dc_{t-1} = dc_t ⊙ f_t                                          (sent back to step t-1)
    da_t     = [di ⊙ i(1-i) | df ⊙ f(1-f) | dg ⊙ (1-g²) | do ⊙ o(1-o)]
    dh_{t-1} = W_h da_t                                            (sent back to step t-1)
    dW_x = Σ_t x_t da_tᵀ      dW_h = Σ_t h_{t-1} da_tᵀ      db = Σ_t da_t      dx_t = W_x da_t

What makes it fast: the input part ``W_xᵀ x_t + b`` of every step is one matrix
product before the loop; inside the loop there is a single (4H, H) @ (H, N) product per step; the
big arrays are allocated once and reused from one training step to the next.

After a forward pass ``layer.trace`` (or ``model.trace(x)``) holds every gate for every sample,
step and unit, copied from what the forward pass keeps for backward — nothing is computed twice.
"""
from __future__ import annotations

import numpy as np

from nnkit import activations, checks
from nnkit.keras_names import refuse
from nnkit.layers.base import Layer

__all__ = ["SimpleRNN", "LSTM"]

#: activations a recurrent step may use: elementwise ones (softmax mixes the units: refused)
RECURRENT_ACTIVATIONS = ("tanh", "sigmoid", "relu", "leaky_relu", "linear")


def _sigmoid_(z: np.ndarray) -> None:
    """σ(z) = 1 / (1 + e^(-z)) in place.  For very negative z, e^(-z) overflows to inf and
    σ = 1 / inf = 0 exactly, as it should (callers silence the overflow warning)."""
    np.negative(z, out=z)
    np.exp(z, out=z)
    z += 1.0
    np.reciprocal(z, out=z)


class Recurrent(Layer):
    """What SimpleRNN and LSTM share: (time, features) inputs, validation, output, config."""

    input_axes = ("time", "features")

    def __init__(self, units: int, return_sequences: bool = False, input_shape=None,
                 name: str | None = None):
        self.units = checks.positive_int("units", units)
        self.return_sequences = checks.boolean("return_sequences", return_sequences)
        super().__init__(input_shape=input_shape, name=name)
        if self.input_shape is not None:
            self._check_shape(self.input_shape)
        self._buffers: dict[str, np.ndarray] = {}

    def _check_shape(self, input_shape) -> tuple:
        """One sample's shape must be (time, features); time may be None (any length)."""
        if len(input_shape) != 2 or input_shape[1] is None:
            hint = (" (A Dense layer outputs one vector per sample: put the recurrent layer first, "
                    "or after another recurrent layer with return_sequences=True.)"
                    if len(input_shape) == 1 else "")
            raise ValueError(
                f"{type(self).__name__} expects input of shape (batch, time, features), so its "
                f"input_shape must be (time, features), e.g. (10, 3), or (None, 3) for sequences "
                f"of any length. Received: input_shape={tuple(input_shape)}.{hint}")
        return tuple(input_shape)

    def compute_output_shape(self, input_shape):
        return (input_shape[0], self.units) if self.return_sequences else (self.units,)

    def _check_input(self, x) -> np.ndarray:
        """x: (N, T, D) with T ≥ 1 and D the features the layer was built for."""
        name = type(self).__name__
        if not self.built:
            raise ValueError(f"This {name} has no weights yet: put it in a Sequential model (its "
                             f"first layer with input_shape=(time, features)), or call "
                             f"layer.build(input_shape, rng) first.")
        x = np.asarray(x, dtype=self.W_x.dtype)
        D = self.W_x.shape[0]
        if x.ndim != 3:
            raise ValueError(f"{name} expected input of shape (batch, time, features). Received "
                             f"shape {x.shape} ({x.ndim}-D).")
        if x.shape[1] == 0:
            raise ValueError(f"{name} received shape {x.shape}: 0 time steps. Each sequence "
                             f"needs at least one step.")
        if x.shape[2] != D:
            raise ValueError(f"{name} was built for {D} features per step, but x has shape "
                             f"{x.shape} ({x.shape[2]} features).")
        return x

    def _buffer(self, name: str, shape: tuple, dtype, keep: bool = True) -> np.ndarray:
        """A scratch array kept from one training step to the next (allocating anew is slow).

        ``keep=False`` (passes outside training: predict, trace) gives a fresh array, so a big
        prediction does not stay in memory.
        """
        if not keep:
            return np.empty(shape, dtype)
        buf = self._buffers.get(name)
        if buf is None or buf.shape != shape or buf.dtype != dtype:
            buf = self._buffers[name] = np.empty(shape, dtype)
        return buf

    def _no_trace(self):
        raise ValueError(f"{type(self).__name__}.trace is empty: run a forward pass first, e.g. "
                         f"model.trace(x) or model.predict(x).")

    def get_config(self):
        return super().get_config() | {"units": self.units,
                                       "return_sequences": self.return_sequences}

    def _describe(self):
        return f"units={self.units}" + (", return_sequences=True" if self.return_sequences else "")


class SimpleRNN(Recurrent):
    """``h_t = activation(x_t W_x + h_{t-1} W_h + b)`` for t = 0 … T-1, with ``units`` = H.

    >>> SimpleRNN(16, input_shape=(None, 1))
    SimpleRNN(units=16, activation='tanh')

    Weights: ``W_x: (D, H)`` (glorot_uniform), ``W_h: (H, H)`` (orthogonal), ``b: (H,)`` (zeros).
    """

    def __init__(self, units: int, activation="tanh", return_sequences: bool = False,
                 input_shape=None, name: str | None = None, **kwargs):
        refuse("SimpleRNN", kwargs)
        self.activation = activations.get(activation)
        checks.one_of("activation", self.activation.name, RECURRENT_ACTIVATIONS)
        super().__init__(units, return_sequences, input_shape, name)

    def build(self, input_shape, rng, dtype=np.float64):
        D, H = self._check_shape(input_shape)[1], self.units
        self.add_weight("W_x", (D, H), "glorot_uniform", rng, dtype)
        self.add_weight("W_h", (H, H), "orthogonal", rng, dtype)
        self.add_weight("b", (H,), "zeros", rng, dtype)
        super().build(input_shape, rng, dtype)

    def forward(self, x, training=False):
        """x: (N, T, D) → h: (N, H), or (N, T, H) with return_sequences."""
        x = self._check_input(x)
        N, T, D = x.shape
        xs = x.transpose(1, 0, 2)                               # (T, N, D): xs[t] is x_t
        zs = np.matmul(xs, self.W_x)                            # x_t W_x for every t: (T, N, H)
        zs += self.b
        hs = np.zeros((T + 1, N, self.units), x.dtype)          # hs[t + 1] = h_t; h_{-1} = 0
        for t in range(T):
            zs[t] += hs[t] @ self.W_h                           # z_t = x_t W_x + h_{t-1} W_h + b
            hs[t + 1] = self.activation.forward(zs[t])          # h_t = f(z_t)
        self.cache = (xs, zs, hs)
        if self.return_sequences:
            return hs[1:].transpose(1, 0, 2).copy()
        return hs[-1].copy()

    def backward(self, dout):
        """dout = dL/dh: (N, T, H) with return_sequences, else (N, H) → dx: (N, T, D).

        Walking back from t = T-1, the gradient reaching h_t is the output's own gradient at t
        plus what step t+1 sends back through W_h.
        """
        xs, zs, hs = self.cache
        T, N, H = zs.shape
        dzs = np.empty_like(zs)
        if self.return_sequences:
            dout_t = dout.transpose(1, 0, 2)                     # (T, N, H)
            dh = np.zeros((N, H), zs.dtype)
        else:
            dh = np.array(dout, dtype=zs.dtype)                  # only h_{T-1} is an output
        for t in reversed(range(T)):
            if self.return_sequences:
                dh += dout_t[t]                                  # dh_t = ∂L/∂h_t + from step t+1
            dzs[t] = self.activation.backward(dh, zs[t], hs[t + 1])   # dz_t = dh_t ⊙ f'(z_t)
            dh = dzs[t] @ self.W_h.T                             # dh_{t-1} = dz_t W_hᵀ
        # every step used the same weights: their gradients are sums over the steps
        dz = dzs.reshape(T * N, H)
        np.dot(np.ascontiguousarray(xs).reshape(T * N, -1).T, dz, out=self.dW_x)  # Σ_t x_tᵀ dz_t
        np.dot(hs[:-1].reshape(T * N, H).T, dz, out=self.dW_h)  # dW_h = Σ_t h_{t-1}ᵀ dz_t
        dz.sum(axis=0, out=self.db)                              # db   = Σ_t Σ_n dz_t
        return np.matmul(dzs, self.W_x.T).transpose(1, 0, 2)     # dx_t = dz_t W_xᵀ

    @property
    def trace(self) -> dict[str, np.ndarray]:
        """The last forward pass, per sample, step and unit: ``{"z", "h"}``, each (N, T, H)."""
        if self.cache is None:
            self._no_trace()
        _, zs, hs = self.cache
        return {"z": zs.transpose(1, 0, 2).copy(), "h": hs[1:].transpose(1, 0, 2).copy()}

    def get_config(self):
        return super().get_config() | {"activation": self.activation.get_config()}

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        config["activation"] = activations.from_config(config["activation"])
        return cls(**config)

    def _describe(self):
        seq = ", return_sequences=True" if self.return_sequences else ""
        return f"units={self.units}, activation={self.activation.name!r}{seq}"


class LSTM(Recurrent):
    """Long short-term memory with ``units`` = H cells (equations in the module docstring).

    >>> LSTM(32, input_shape=(None, 3))
    LSTM(units=32)

    Weights, gate blocks in the order i, f, g, o: ``W_x: (D, 4H)`` (glorot_uniform),
    ``W_h: (H, 4H)`` (orthogonal), ``b: (4H,)`` (zeros; with ``unit_forget_bias=True``,
    b_f = 1, so the forget gate starts mostly open, f ≈ σ(1) ≈ 0.73, and memories last).
    The lesson's matrices are blocks of these: W_xi = W_x[:, :H]ᵀ, W_hf = W_h[:, H:2H]ᵀ, ….

    Inside, each sample is a *column*, as in the lesson's ``W_xi x_t``: h_t and c_t are (H, N),
    a_t is (4H, N), and each gate is a block of H whole rows — one contiguous array, which keeps
    every step fast.
    """

    def __init__(self, units: int, return_sequences: bool = False, unit_forget_bias: bool = True,
                 input_shape=None, name: str | None = None, **kwargs):
        refuse("LSTM", kwargs)
        self.unit_forget_bias = checks.boolean("unit_forget_bias", unit_forget_bias)
        super().__init__(units, return_sequences, input_shape, name)

    def build(self, input_shape, rng, dtype=np.float64):
        D, H = self._check_shape(input_shape)[1], self.units
        self.add_weight("W_x", (D, 4 * H), "glorot_uniform", rng, dtype)
        self.add_weight("W_h", (H, 4 * H), "orthogonal", rng, dtype)
        self.add_weight("b", (4 * H,), "zeros", rng, dtype)
        if self.unit_forget_bias:
            self.b[H:2 * H] = 1.0                                  # b_f = 1
        super().build(input_shape, rng, dtype)

    def gates(self, a: np.ndarray) -> tuple[np.ndarray, ...]:
        """Split a (…, 4H, N) array into its four (…, H, N) gate blocks (views): i, f, g, o."""
        H = self.units
        return a[..., :H, :], a[..., H:2 * H, :], a[..., 2 * H:3 * H, :], a[..., 3 * H:, :]

    def forward(self, x, training=False):
        """x: (N, T, D) → h: (N, H), or (N, T, H) with return_sequences."""
        x = self._check_input(x)
        N, T, D = x.shape
        H, dtype = self.units, x.dtype

        def buf(name, shape):                                      # see Recurrent._buffer
            return self._buffer(name, shape, dtype, keep=training)

        W_hT = self.W_h.T                                          # (4H, H): W_hi; W_hf; W_hg; W_ho
        # the input part of every gate at every step, one product: a[t] = W_xᵀ x_t + b
        xs = np.ascontiguousarray(x.transpose(1, 0, 2)).reshape(T * N, D)   # rows: (t, n)
        xW = np.dot(xs, self.W_x).reshape(T, N, 4 * H)
        a = buf("a", (T, 4 * H, N))                                # (T, 4H, N): a[t] is a_t
        np.add(xW.transpose(0, 2, 1), self.b[:, None], out=a)
        cs = buf("c", (T + 1, H, N))                               # cs[t + 1] = c_t
        hs = buf("h", (T + 1, H, N))                               # hs[t + 1] = h_t
        cs[0] = hs[0] = 0.0                                        # c_{-1} = h_{-1} = 0
        tanh_cs = buf("tanh_c", (T, H, N))                         # tanh(c_t), kept for backward
        rec, ig = buf("rec", (4 * H, N)), buf("ig", (H, N))
        with np.errstate(over="ignore"):                           # e^(-z) → inf: σ(z) = 0, fine
            for t in range(T):
                a_t = a[t]
                i, f, g, o = self.gates(a_t)
                np.dot(W_hT, hs[t], out=rec)
                a_t += rec                                 # a_t = W_xᵀ x_t + W_hᵀ h_{t-1} + b
                # the gates, in place: from here on a[t] holds i_t, f_t, g_t, o_t
                _sigmoid_(a_t[:2 * H])                             # i_t, f_t = σ(…)
                np.tanh(g, out=g)                                  # g_t = tanh(…)
                _sigmoid_(o)                                       # o_t = σ(…)
                np.multiply(f, cs[t], out=cs[t + 1])
                np.multiply(i, g, out=ig)
                cs[t + 1] += ig                                    # c_t = f_t ⊙ c_{t-1} + i_t ⊙ g_t
                np.tanh(cs[t + 1], out=tanh_cs[t])
                np.multiply(o, tanh_cs[t], out=hs[t + 1])          # h_t = o_t ⊙ tanh(c_t)
        self.cache = (x, a, cs, tanh_cs, hs)                       # a holds the gates now
        if self.return_sequences:
            return hs[1:].transpose(2, 0, 1).copy()                # (N, T, H)
        return hs[-1].T.copy()                                     # h_{T-1}: (N, H)

    def backward(self, dout):
        """dout = dL/dh: (N, T, H) with return_sequences, else (N, H) → dx: (N, T, D).

        Backprop through time, from t = T-1 down to 0.  Two gradients flow back from step t+1:
        dh (through W_h, from every gate) and dc (straight along the cell state, scaled by f).
        """
        x, gates, cs, tanh_cs, hs = self.cache
        T, H4, N = gates.shape
        H, dtype, buf = self.units, gates.dtype, self._buffer
        W_h = self.W_h
        # Local derivatives, written from the forward pass's outputs.  They do not depend on the
        # gradient flowing back, so they are computed for all steps at once, before the loop:
        #   σ'(a) = s (1 - s) for i, f, o;   tanh'(a) = 1 - g² for g;
        #   ∂h_t/∂c_t = o_t (1 - tanh²(c_t))
        dgates = np.subtract(1.0, gates, out=buf("dgates", gates.shape, dtype))
        dgates *= gates
        g_all, dg_all = self.gates(gates)[2], self.gates(dgates)[2]
        np.multiply(g_all, g_all, out=dg_all)
        np.subtract(1.0, dg_all, out=dg_all)
        dh_dc = np.multiply(tanh_cs, tanh_cs, out=buf("dh_dc", tanh_cs.shape, dtype))
        np.subtract(1.0, dh_dc, out=dh_dc)
        dh_dc *= self.gates(gates)[3]

        da = buf("da", gates.shape, dtype)           # dL/da_t for every step: (T, 4H, N)
        dc = np.zeros((H, N), dtype)                 # dc_t arriving from step t+1 (none after T-1)
        tmp = np.empty((H, N), dtype)
        if self.return_sequences:
            dout_t = dout.transpose(1, 2, 0)         # (T, H, N): ∂L/∂h_t straight from the output
            dh = np.zeros((H, N), dtype)
        else:
            dh = np.array(dout.T, dtype=dtype, order="C")   # only h_{T-1} is an output
        for t in reversed(range(T)):
            i, f, g, o = self.gates(gates[t])
            di, df, dg, do = self.gates(da[t])
            if self.return_sequences:
                dh += dout_t[t]                      # dh_t = ∂L/∂h_t + what step t+1 sent back
            # h_t = o_t ⊙ tanh(c_t)
            np.multiply(dh, tanh_cs[t], out=do)      # do = dh_t ⊙ tanh(c_t)
            np.multiply(dh, dh_dc[t], out=tmp)
            dc += tmp                                # dc_t = (from t+1) + dh_t ⊙ ∂h_t/∂c_t
            # c_t = f_t ⊙ c_{t-1} + i_t ⊙ g_t
            np.multiply(dc, cs[t], out=df)           # df = dc_t ⊙ c_{t-1}
            np.multiply(dc, g, out=di)               # di = dc_t ⊙ g_t
            np.multiply(dc, i, out=dg)               # dg = dc_t ⊙ i_t
            dc *= f                                  # dc_{t-1} = dc_t ⊙ f_t           (to step t-1)
            # i, f, o = σ(a), g = tanh(a)
            da[t] *= dgates[t]                       # da_t = [di, df, dg, do] ⊙ [σ', σ', tanh', σ']
            # a_t = W_xᵀ x_t + W_hᵀ h_{t-1} + b
            np.dot(W_h, da[t], out=dh)               # dh_{t-1} = W_h da_t             (to step t-1)
        # every step used the same weights, so their gradients are sums over the steps
        daT = da.transpose(0, 2, 1)                                            # (T, N, 4H)
        hW = np.matmul(hs[:-1], daT, out=buf("hW", (T, H, H4), dtype))
        hW.sum(axis=0, out=self.dW_h)                                          # Σ_t h_{t-1} da_tᵀ
        np.matmul(x.transpose(1, 2, 0), daT).sum(axis=0, out=self.dW_x)        # Σ_t x_t da_tᵀ
        da.sum(axis=0).sum(axis=1, out=self.db)                                # Σ_t Σ_n da_t
        return np.matmul(self.W_x, da).transpose(2, 0, 1)                      # dx_t = W_x da_t

    @property
    def trace(self) -> dict[str, np.ndarray]:
        """The last forward pass's gates, each (N, T, H) — sample, step, unit: i, f, o, g, c, h.

        Copies of the arrays the forward pass keeps for backward (nothing is computed again), so a
        trace you hold is not changed by later passes.
        """
        if self.cache is None:
            self._no_trace()
        _, gates, cs, _, hs = self.cache
        i, f, g, o = self.gates(gates)
        named = {"i": i, "f": f, "o": o, "g": g, "c": cs[1:], "h": hs[1:]}
        return {k: v.transpose(2, 0, 1).copy() for k, v in named.items()}

    def get_config(self):
        return super().get_config() | {"unit_forget_bias": self.unit_forget_bias}
