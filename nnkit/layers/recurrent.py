"""Recurrent layers: ``SimpleRNN`` and ``LSTM``, trained by backpropagation through time (BPTT).

Shapes: N samples, T time steps, D input features, H units.  Input ``x: (N, T, D)``; output
``h_T: (N, H)`` (the last step, many-to-one) or, with ``return_sequences=True``, every step
``(N, T, H)`` (many-to-many: a ``Dense`` after it is applied at every step).

SimpleRNN, one step for a batch (rows are samples, so ``W x`` of the lesson is ``x @ W`` here):

    h_t = f(x_t W_x + h_{t-1} W_h + b)        x_t: (N, D)  W_x: (D, H)  W_h: (H, H)  b: (H,)

LSTM (lesson §3.6), the same equations in the same symbols:

    i_t = σ(W_xi x_t + W_hi h_{t-1} + b_i)        input gate
    f_t = σ(W_xf x_t + W_hf h_{t-1} + b_f)        forget gate
    o_t = σ(W_xo x_t + W_ho h_{t-1} + b_o)        output gate
    g_t = tanh(W_xg x_t + W_hg h_{t-1} + b_g)     candidate cell value
    c_t = f_t ⊙ c_{t-1} + i_t ⊙ g_t               cell state
    h_t = o_t ⊙ tanh(c_t)                         output (hidden state)

The four gates' weights are stored side by side, in the order **i, f, g, o** (the order Keras and
PyTorch use, so weights can be copied between them):

    W_x = [W_xi | W_xf | W_xg | W_xo]: (D, 4H)    W_h = [W_hi | …]: (H, 4H)    b = [b_i | …]: (4H,)

so one product ``a_t = x_t W_x + h_{t-1} W_h + b`` of shape (N, 4H) gives all four pre-activations.
Both layers start from h_{-1} = 0 (and c_{-1} = 0).

Speed without hiding the math: ``x_t W_x + b`` for every step is one matrix product before the
loop; inside the loop there is one (N, H) @ (H, 4H) product per step, and every array is allocated
once per pass, not once per step.  After a forward pass, ``layer.trace`` shows every gate for every
sample, step and unit, read straight from what the forward pass keeps for backward.
"""
from __future__ import annotations

import numpy as np

from nnkit import activations, checks
from nnkit.layers.base import Layer

__all__ = ["SimpleRNN", "LSTM"]

#: activations a recurrent step may use: elementwise ones (softmax mixes units, so it is refused)
RECURRENT_ACTIVATIONS = ("tanh", "sigmoid", "relu", "leaky_relu", "linear")


def _sigmoid_(z: np.ndarray) -> np.ndarray:
    """σ(z) in place, written as σ(z) = (1 + tanh(z / 2)) / 2, which never overflows."""
    z *= 0.5
    np.tanh(z, out=z)
    z += 1.0
    z *= 0.5
    return z


class Recurrent(Layer):
    """What SimpleRNN and LSTM share: the (time, features) input, the output, validation, config."""

    input_axes = ("time", "features")

    def __init__(self, units: int, return_sequences: bool = False, input_shape=None,
                 name: str | None = None):
        self.units = checks.positive_int("units", units)
        self.return_sequences = checks.boolean("return_sequences", return_sequences)
        super().__init__(input_shape=input_shape, name=name)
        if self.input_shape is not None:
            self._check_shape(self.input_shape)

    def _check_shape(self, input_shape) -> tuple:
        """A sample's shape must be (time, features); time may be None (any length)."""
        name = type(self).__name__
        if len(input_shape) != 2 or input_shape[1] is None:
            after = (" (A Dense layer outputs one vector per sample: put the recurrent layer "
                     "first, or after another one with return_sequences=True.)"
                     if len(input_shape) == 1 else "")
            raise ValueError(
                f"{name} expects input of shape (batch, time, features), so its input_shape must "
                f"be (time, features), e.g. (10, 3), or (None, 3) for sequences of any length. "
                f"Received: input_shape={tuple(input_shape)}.{after}")
        return tuple(input_shape)

    def compute_output_shape(self, input_shape):
        T = input_shape[0]
        return (T, self.units) if self.return_sequences else (self.units,)

    def _check_input(self, x) -> np.ndarray:
        """x: (N, T, D) with T ≥ 1 and D the built feature count, as the weights' dtype."""
        x = np.asarray(x, dtype=self.W_x.dtype)
        name = type(self).__name__
        if x.ndim != 3:
            raise ValueError(f"{name} expected input of shape (batch, time, features). Received "
                             f"shape {x.shape} ({x.ndim}-D).")
        if x.shape[1] == 0:
            raise ValueError(f"{name} received shape {x.shape}: 0 time steps. Each sequence needs "
                             f"at least one step.")
        D = self.W_x.shape[0]
        if x.shape[2] != D:
            raise ValueError(f"{name} was built for {D} features per step, but x has shape "
                             f"{x.shape} ({x.shape[2]} features).")
        return x

    def _output(self, hs: np.ndarray) -> np.ndarray:
        """hs: (T + 1, N, H) with hs[t + 1] = h_t → (N, T, H) or the last step's h: (N, H)."""
        if self.return_sequences:
            return np.ascontiguousarray(hs[1:].transpose(1, 0, 2))
        return hs[-1].copy()

    def _no_trace(self):
        raise ValueError(f"{type(self).__name__}.trace is empty: run a forward pass first, e.g. "
                         f"model.trace(x) or model.predict(x).")

    def get_config(self):
        return super().get_config() | {"units": self.units,
                                       "return_sequences": self.return_sequences}

    def _describe(self):
        seq = ", return_sequences=True" if self.return_sequences else ""
        return f"units={self.units}{seq}"


class SimpleRNN(Recurrent):
    """``h_t = activation(x_t W_x + h_{t-1} W_h + b)`` for t = 0 … T-1, with ``units`` = H.

    >>> SimpleRNN(16, input_shape=(None, 1))
    SimpleRNN(units=16, activation='tanh')

    Weights: ``W_x: (D, H)`` (glorot_uniform), ``W_h: (H, H)`` (orthogonal), ``b: (H,)`` (zeros).
    """

    def __init__(self, units: int, activation="tanh", return_sequences: bool = False,
                 input_shape=None, name: str | None = None):
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
        H = self.units
        xs = np.ascontiguousarray(x.transpose(1, 0, 2))        # (T, N, D): xs[t] is x_t
        zs = (xs.reshape(T * N, D) @ self.W_x).reshape(T, N, H)   # x_t W_x for every t at once
        zs += self.b
        hs = np.zeros((T + 1, N, H), dtype=x.dtype)             # hs[t + 1] = h_t; hs[0] = h_{-1} = 0
        for t in range(T):
            zs[t] += hs[t] @ self.W_h                           # z_t = x_t W_x + h_{t-1} W_h + b
            hs[t + 1] = self.activation.forward(zs[t])          # h_t = f(z_t)
        self.cache = (xs, zs, hs)
        return self._output(hs)

    def backward(self, dout):
        """dout = dL/dh: (N, T, H) with return_sequences, else (N, H) → dx: (N, T, D).

        Backprop through time: walking back from t = T-1, the gradient reaching h_t is the
        output's own gradient at t plus what step t+1 sends back through W_h.
        """
        xs, zs, hs = self.cache
        T, N, H = zs.shape
        dzs = np.empty_like(zs)
        if self.return_sequences:
            dout_t = dout.transpose(1, 0, 2)                     # (T, N, H)
            dh = np.zeros((N, H), dtype=zs.dtype)
        else:
            dh = np.array(dout, dtype=zs.dtype)                  # only h_{T-1} is an output
        for t in reversed(range(T)):
            if self.return_sequences:
                dh += dout_t[t]                                  # dh_t = ∂L/∂h_t + from step t+1
            dzs[t] = self.activation.backward(dh, zs[t], hs[t + 1])   # dz_t = dh_t ⊙ f'(z_t)
            dh = dzs[t] @ self.W_h.T                             # dh_{t-1} = dz_t W_hᵀ
        # every step used the same weights: their gradients are sums over steps (one product each)
        dz = dzs.reshape(T * N, H)
        np.dot(xs.reshape(T * N, -1).T, dz, out=self.dW_x)      # dW_x = Σ_t x_tᵀ dz_t
        np.dot(hs[:-1].reshape(T * N, H).T, dz, out=self.dW_h)  # dW_h = Σ_t h_{t-1}ᵀ dz_t
        dz.sum(axis=0, out=self.db)                              # db   = Σ_t Σ_n dz_t
        dx = (dz @ self.W_x.T).reshape(T, N, -1)                 # dx_t = dz_t W_xᵀ
        return dx.transpose(1, 0, 2)

    @property
    def trace(self) -> dict[str, np.ndarray]:
        """The last forward pass, per sample, step and unit: ``{"z", "h"}``, each (N, T, H)."""
        if self.cache is None:
            self._no_trace()
        _, zs, hs = self.cache
        return {"z": _readonly(zs.transpose(1, 0, 2)), "h": _readonly(hs[1:].transpose(1, 0, 2))}

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
    b_f = 1 so the forget gate starts mostly open, f ≈ σ(1) ≈ 0.73, and memories last).
    """

    def __init__(self, units: int, return_sequences: bool = False, unit_forget_bias: bool = True,
                 input_shape=None, name: str | None = None):
        self.unit_forget_bias = checks.boolean("unit_forget_bias", unit_forget_bias)
        super().__init__(units, return_sequences, input_shape, name)

    def build(self, input_shape, rng, dtype=np.float64):
        D, H = self._check_shape(input_shape)[1], self.units
        self.add_weight("W_x", (D, 4 * H), "glorot_uniform", rng, dtype)
        self.add_weight("W_h", (H, 4 * H), "orthogonal", rng, dtype)
        self.add_weight("b", (4 * H,), "zeros", rng, dtype)
        if self.unit_forget_bias:
            self.b[H:2 * H] = 1.0                                # b_f = 1
        super().build(input_shape, rng, dtype)

    def gates(self, a: np.ndarray) -> tuple[np.ndarray, ...]:
        """Split an (…, 4H) array into its four (…, H) gate blocks (views): i, f, g, o."""
        H = self.units
        return a[..., :H], a[..., H:2 * H], a[..., 2 * H:3 * H], a[..., 3 * H:]

    def forward(self, x, training=False):
        """x: (N, T, D) → h: (N, H), or (N, T, H) with return_sequences."""
        x = self._check_input(x)
        N, T, D = x.shape
        H = self.units
        W_h = self.W_h
        xs = np.ascontiguousarray(x.transpose(1, 0, 2))         # (T, N, D): xs[t] is x_t
        # the input part of every gate at every step, in one product: a[t] = x_t W_x + b
        a = np.dot(xs.reshape(T * N, D), self.W_x).reshape(T, N, 4 * H)
        a += self.b
        cs = np.zeros((T + 1, N, H), dtype=x.dtype)               # cs[t + 1] = c_t; cs[0] = c_{-1}
        hs = np.zeros((T + 1, N, H), dtype=x.dtype)               # hs[t + 1] = h_t; hs[0] = h_{-1}
        tanh_cs = np.empty((T, N, H), dtype=x.dtype)              # tanh(c_t), kept for backward
        rec = np.empty((N, 4 * H), dtype=x.dtype)
        ig = np.empty((N, H), dtype=x.dtype)
        for t in range(T):
            np.dot(hs[t], W_h, out=rec)
            a[t] += rec                                           # a_t = x_t W_x + h_{t-1} W_h + b
            # the gates, in place: a[t] now holds i_t, f_t, g_t, o_t
            i, f, g, o = self.gates(a[t])
            _sigmoid_(a[t, :, :2 * H])                            # i_t, f_t = σ(…)
            np.tanh(g, out=g)                                     # g_t = tanh(…)
            _sigmoid_(o)                                          # o_t = σ(…)
            np.multiply(f, cs[t], out=cs[t + 1])
            np.multiply(i, g, out=ig)
            cs[t + 1] += ig                                       # c_t = f_t ⊙ c_{t-1} + i_t ⊙ g_t
            np.tanh(cs[t + 1], out=tanh_cs[t])
            np.multiply(o, tanh_cs[t], out=hs[t + 1])             # h_t = o_t ⊙ tanh(c_t)
        self.cache = (xs, a, cs, tanh_cs, hs)                     # a now holds the gate values
        return self._output(hs)

    def backward(self, dout):
        """dout = dL/dh: (N, T, H) with return_sequences, else (N, H) → dx: (N, T, D).

        Backprop through time, from t = T-1 down to 0.  Two gradients flow back from step t+1:
        dh (through h_t W_h into every gate) and dc (straight along the cell state, scaled by f).
        """
        xs, gates, cs, tanh_cs, hs = self.cache
        T, N, H4 = gates.shape
        H = self.units
        W_hT = self.W_h.T
        dtype = gates.dtype
        da = np.empty_like(gates)                     # dL/da_t, the four pre-activations per step
        dc = np.zeros((N, H), dtype=dtype)            # dc_t arriving from step t+1 (0 after T-1)
        tmp = np.empty((N, H), dtype=dtype)
        tmp2 = np.empty((N, 2 * H), dtype=dtype)
        if self.return_sequences:
            dout_t = dout.transpose(1, 0, 2)          # (T, N, H): dout_t[t] = ∂L/∂h_t directly
            dh = np.zeros((N, H), dtype=dtype)
        else:
            dh = np.array(dout, dtype=dtype)          # only h_{T-1} is an output
        for t in reversed(range(T)):
            i, f, g, o = self.gates(gates[t])
            di, df, dg, do = self.gates(da[t])
            tanh_c = tanh_cs[t]
            # dh_t: the output's own gradient at step t + what step t+1 sent back (dh_{t} below)
            if self.return_sequences:
                dh += dout_t[t]
            # h_t = o_t ⊙ tanh(c_t)
            np.multiply(dh, tanh_c, out=do)           # do = dh_t ⊙ tanh(c_t)
            np.multiply(tanh_c, tanh_c, out=tmp)
            np.subtract(1.0, tmp, out=tmp)
            tmp *= o
            tmp *= dh
            dc += tmp                                 # dc_t = dc_t(from t+1) + dh_t ⊙ o_t ⊙ (1 - tanh²(c_t))
            # c_t = f_t ⊙ c_{t-1} + i_t ⊙ g_t
            np.multiply(dc, cs[t], out=df)            # df = dc_t ⊙ c_{t-1}
            np.multiply(dc, g, out=di)                # di = dc_t ⊙ g_t
            np.multiply(dc, i, out=dg)                # dg = dc_t ⊙ i_t
            dc *= f                                   # dc_{t-1} = dc_t ⊙ f_t  (sent to step t-1)
            # through the gate nonlinearities, derivatives written from the outputs:
            # σ' = s (1 - s) for i, f, o and tanh' = 1 - g² for g; da = d(gate) ⊙ derivative
            np.subtract(1.0, gates[t, :, :2 * H], out=tmp2)
            tmp2 *= gates[t, :, :2 * H]
            da[t, :, :2 * H] *= tmp2                  # da_i = di ⊙ i(1-i),  da_f = df ⊙ f(1-f)
            np.subtract(1.0, o, out=tmp)
            tmp *= o
            do *= tmp                                 # da_o = do ⊙ o(1-o)
            np.multiply(g, g, out=tmp)
            np.subtract(1.0, tmp, out=tmp)
            dg *= tmp                                 # da_g = dg ⊙ (1 - g²)
            # a_t = x_t W_x + h_{t-1} W_h + b
            np.dot(da[t], W_hT, out=dh)               # dh_{t-1} = da_t W_hᵀ  (sent to step t-1)
        # every step used the same weights: their gradients are sums over steps (one product each)
        da2 = da.reshape(T * N, H4)
        np.dot(xs.reshape(T * N, -1).T, da2, out=self.dW_x)      # dW_x = Σ_t x_tᵀ da_t
        np.dot(hs[:-1].reshape(T * N, H).T, da2, out=self.dW_h)  # dW_h = Σ_t h_{t-1}ᵀ da_t
        da2.sum(axis=0, out=self.db)                              # db   = Σ_t Σ_n da_t
        dx = np.dot(da2, self.W_x.T).reshape(T, N, -1)           # dx_t = da_t W_xᵀ
        return dx.transpose(1, 0, 2)

    @property
    def trace(self) -> dict[str, np.ndarray]:
        """The last forward pass's gates, each (N, T, H) — sample, step, unit: i, f, o, g, c, h.

        These are read-only views of what the forward pass keeps for backward (nothing is computed
        again); the next forward pass writes new arrays, so a trace you hold stays as it was.
        """
        if self.cache is None:
            self._no_trace()
        _, gates, cs, _, hs = self.cache
        i, f, g, o = self.gates(gates)
        named = {"i": i, "f": f, "o": o, "g": g, "c": cs[1:], "h": hs[1:]}
        return {k: _readonly(v.transpose(1, 0, 2)) for k, v in named.items()}

    def get_config(self):
        return super().get_config() | {"unit_forget_bias": self.unit_forget_bias}


def _readonly(view: np.ndarray) -> np.ndarray:
    """The same view, marked read-only so that editing a trace cannot corrupt backward's cache."""
    view.flags.writeable = False
    return view
