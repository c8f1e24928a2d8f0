"""Convolution and max pooling for images (course text §5.1, lesson 12): ``Conv2D``, ``MaxPooling2D``.

Images are channels-last, as in Keras: a batch x has shape (N, H, W, C) — N images of H rows,
W columns and C channels (1 for grey, 3 for RGB).

**Conv2D** (卷积层).  A kernel K of shape (k_h, k_w, C, F) holds F filters; each filter slides over
the image with stride s and gives one feature map (特征图).  Output pixel (i, j) of filter f is

    z[n, i, j, f] = b[f] + Σ_{u, v, c} x[n, s·i + u, s·j + v, c] · K[u, v, c, f]
    h = activation(z)

— a cross-correlation, which is what Keras, PyTorch and every deep-learning library call
"convolution" (Goodfellow, Bengio & Courville, *Deep Learning*, 2016, §9.1, eq. 9.6).  The same
few weights are used at every position (weight sharing, 权值共享), and each output sees only a
k_h × k_w patch (locality, 局部连接).

The computation here is "im2col": cut every patch the kernel visits into one row,

    P = patches(x)        (N·H'·W', k_h·k_w·C)     one row per output position
    z = P @ K_mat + b     K_mat = K.reshape(k_h·k_w·C, F)

so a convolution is a Dense layer applied to patches, and its backward pass is Dense's
(lesson 05), given dz = dout ⊙ f'(z):

    dK = Pᵀ @ dz          (k_h·k_w·C, F)  → reshaped to K's shape
    db = Σ dz             (F,)
    dP = dz @ K_matᵀ      (N·H'·W', k_h·k_w·C), and dx adds each patch row back where it was cut.

Output size along one axis, input size n, kernel k, stride s (Keras's rule):

    padding="valid":  n' = ⌊(n - k) / s⌋ + 1     (the kernel stays inside the image)
    padding="same":   n' = ⌈n / s⌉               (zeros added around; half before, the rest after)

**MaxPooling2D** (最大池化).  Each channel on its own: the largest value in each p_h × p_w window,
windows ``strides`` apart (default: ``pool_size``, windows side by side).  Backward sends each
dout to the one input that was the maximum (its window's argmax) and 0 to the others.
"""
from __future__ import annotations

import math

import numpy as np

from nnkit import activations, checks, initializers, regularizers
from nnkit.keras_names import refuse
from nnkit.layers.base import Layer

__all__ = ["Conv2D", "MaxPooling2D", "output_size"]

PADDINGS = ("valid", "same")


def _pair(name: str, value) -> tuple[int, int]:
    """3 → (3, 3); (3, 2) → (3, 2); anything else → TypeError/ValueError naming ``name``."""
    if isinstance(value, (tuple, list)):
        if len(value) != 2:
            raise ValueError(f"{name} must be one positive integer or a pair (rows, columns). "
                             f"Received: {name}={value!r}.")
        try:
            return (checks.positive_int(name, value[0]), checks.positive_int(name, value[1]))
        except (TypeError, ValueError) as err:   # name the pair the learner wrote, not one entry
            raise type(err)(f"{name} must be one positive integer or a pair of positive "
                             f"integers (rows, columns), e.g. {name}=(2, 2). Received: "
                             f"{name}={tuple(value)!r}.") from None
    size = checks.positive_int(name, value)
    return (size, size)


def output_size(n: int, k: int, s: int, padding: str) -> int:
    """Output length along one axis: n inputs, window k, stride s (see the module docstring)."""
    if padding == "same":
        return math.ceil(n / s)
    return (n - k) // s + 1


def _padding(n: int, k: int, s: int, padding: str) -> tuple[int, int]:
    """(before, after): how many padding entries "same" adds along one axis (Keras/TensorFlow)."""
    if padding == "valid":
        return (0, 0)
    total = max((output_size(n, k, s, "same") - 1) * s + k - n, 0)
    return (total // 2, total - total // 2)


def _shape_2d(layer, input_shape) -> tuple[int, int, int]:
    """(H, W, C) of a sample, or a ValueError that says what the layer takes."""
    what = type(layer).__name__
    if input_shape is None or len(input_shape) != 3 or any(s is None for s in input_shape):
        raise ValueError(f"{what} takes images of shape (height, width, channels), channels "
                         f"last, e.g. input_shape=(8, 8, 1) for 8 × 8 grey images. Received "
                         f"input_shape={None if input_shape is None else tuple(input_shape)}.")
    return tuple(int(s) for s in input_shape)


class _Windows(Layer):
    """What Conv2D and MaxPooling2D share: a window (k_h, k_w) moved with a stride over H and W."""

    input_axes = ("height", "width", "channels")

    def _check_shape(self, input_shape) -> tuple[int, int, int]:
        H, W, C = _shape_2d(self, input_shape)
        (kh, kw), (sh, sw) = self._window, self.strides
        if self.padding == "valid" and (kh > H or kw > W):
            raise ValueError(f"{type(self).__name__}'s window {self._window} is larger than the "
                             f"image ({H} × {W}) with padding='valid': there is no position for "
                             f"it. Use a smaller window, or padding='same'.")
        return H, W, C

    def compute_output_shape(self, input_shape):
        H, W, C = self._check_shape(input_shape)
        (kh, kw), (sh, sw) = self._window, self.strides
        return (output_size(H, kh, sh, self.padding), output_size(W, kw, sw, self.padding),
                self._channels_out(C))

    def _pad(self, x: np.ndarray, value: float) -> np.ndarray:
        """x (N, H, W, C) with "same" padding added (``value``: 0 for conv, -inf for pooling)."""
        (kh, kw), (sh, sw) = self._window, self.strides
        top = _padding(x.shape[1], kh, sh, self.padding)
        left = _padding(x.shape[2], kw, sw, self.padding)
        if top == (0, 0) and left == (0, 0):
            return x
        return np.pad(x, ((0, 0), top, left, (0, 0)), constant_values=value)

    def _patches(self, xp: np.ndarray, Ho: int, Wo: int) -> np.ndarray:
        """Every window of the padded xp: (N, H', W', k_h, k_w, C).

        patches[n, i, j, u, v, c] = xp[n, s_h·i + u, s_w·j + v, c] — one slice per kernel cell.
        """
        (kh, kw), (sh, sw) = self._window, self.strides
        N, C = xp.shape[0], xp.shape[3]
        patches = np.empty((N, Ho, Wo, kh, kw, C), dtype=xp.dtype)
        for u in range(kh):
            for v in range(kw):
                patches[:, :, :, u, v, :] = xp[:, u:u + sh * Ho:sh, v:v + sw * Wo:sw, :]
        return patches

    def _add_back(self, dpatches: np.ndarray, padded_shape: tuple, x_shape: tuple) -> np.ndarray:
        """The reverse of ``_patches``: add every patch's gradient where it was cut → dx (x_shape)."""
        (kh, kw), (sh, sw) = self._window, self.strides
        Ho, Wo = dpatches.shape[1:3]
        dxp = np.zeros(padded_shape, dtype=dpatches.dtype)
        for u in range(kh):
            for v in range(kw):
                dxp[:, u:u + sh * Ho:sh, v:v + sw * Wo:sw, :] += dpatches[:, :, :, u, v, :]
        top = _padding(x_shape[1], kh, sh, self.padding)[0]
        left = _padding(x_shape[2], kw, sw, self.padding)[0]
        return dxp[:, top:top + x_shape[1], left:left + x_shape[2], :]

    def _check_input(self, x: np.ndarray) -> None:
        if x.ndim != 4:
            raise ValueError(f"{type(self).__name__} expects a batch of images (N, height, width, "
                             f"channels). Received x of shape {x.shape}.")


class Conv2D(_Windows):
    """A 2-D convolution: F = ``filters`` kernels of ``kernel_size`` slid over (N, H, W, C) images.

    >>> Conv2D(8, 3, activation="relu", input_shape=(8, 8, 1))
    Conv2D(filters=8, kernel_size=(3, 3), strides=(1, 1), padding='valid', activation='relu')

    Weights: ``K`` (k_h, k_w, C, F) — Keras's ``kernel`` — and ``b`` (F,).  Parameters:
    k_h·k_w·C·F + F, whatever the image size.  Output: (N, H', W', F) (sizes: module docstring).
    ``kernel_initializer``: as Dense's, with fan_in = k_h·k_w·C and fan_out = k_h·k_w·F (Keras's
    rule: each input and each output touches a whole k_h × k_w window).
    """

    def __init__(self, filters: int | None = None, kernel_size=None, strides=1, padding="valid",
                 activation=None, kernel_initializer="glorot_uniform", use_bias: bool = True,
                 kernel_regularizer=None, input_shape=None, name: str | None = None, **kwargs):
        refuse("Conv2D", kwargs)
        self.filters = checks.positive_int("filters", filters)
        if kernel_size is None:
            raise TypeError("Conv2D needs kernel_size, the window's size: an integer such as 3 "
                            "or a pair (rows, columns). Received: kernel_size=None.")
        self.kernel_size = _pair("kernel_size", kernel_size)
        self.strides = _pair("strides", strides)
        self.padding = checks.one_of("padding", padding, PADDINGS)
        self.activation = activations.get(activation)
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.use_bias = checks.boolean("use_bias", use_bias)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        super().__init__(input_shape=input_shape, name=name)
        if self.input_shape is not None:
            self._check_shape(self.input_shape)

    @property
    def _window(self):
        return self.kernel_size

    def _channels_out(self, C):
        return self.filters

    def build(self, input_shape, rng, dtype=np.float64):
        H, W, C = self._check_shape(input_shape)
        self.add_weight("K", self.kernel_size + (C, self.filters), self.kernel_initializer, rng,
                        dtype, self.kernel_regularizer)
        if self.use_bias:
            self.add_weight("b", (self.filters,), "zeros", rng, dtype)
        super().build(input_shape, rng, dtype)

    def forward(self, x, training=False):
        """x: (N, H, W, C) → h: (N, H', W', F);  z = patches(x) @ K_mat + b,  h = f(z)."""
        self._check_input(x)
        N = x.shape[0]
        Ho, Wo, F = self.compute_output_shape(x.shape[1:])
        xp = self._pad(x, 0.0)
        P = self._patches(xp, Ho, Wo).reshape(N * Ho * Wo, -1)      # (N·H'·W', k_h·k_w·C)
        z = P @ self.K.reshape(-1, F)                                # (N·H'·W', F)
        if self.use_bias:
            z += self.b
        h = self.activation.forward(z)
        self.cache = (P, z, h, x.shape, xp.shape)
        return h.reshape(N, Ho, Wo, F)

    def backward(self, dout):
        """dout: (N, H', W', F) = dL/dh → dx: (N, H, W, C); fills dK, db."""
        P, z, h, x_shape, padded_shape = self.cache
        dz = self.activation.backward(dout.reshape(z.shape), z, h)  # dz = dout ⊙ f'(z)
        F = self.filters
        np.dot(P.T, dz, out=self.dK.reshape(-1, F))                 # dK = Pᵀ dz
        if self.use_bias:
            dz.sum(axis=0, out=self.db)                             # db = Σ dz
        if not self.input_grad:                                     # first layer: no dx needed
            return None
        dP = dz @ self.K.reshape(-1, F).T                           # dP = dz K_matᵀ
        N, Ho, Wo = dout.shape[:3]
        kh, kw = self.kernel_size
        return self._add_back(dP.reshape(N, Ho, Wo, kh, kw, -1), padded_shape, x_shape)

    def get_config(self):
        return super().get_config() | {
            "filters": self.filters,
            "kernel_size": list(self.kernel_size),
            "strides": list(self.strides),
            "padding": self.padding,
            "activation": self.activation.get_config(),
            "kernel_initializer": initializers.name_of(self.kernel_initializer),
            "use_bias": self.use_bias,
            "kernel_regularizer": (None if self.kernel_regularizer is None
                                   else self.kernel_regularizer.get_config()),
        }

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        config["activation"] = activations.from_config(config["activation"])
        if config["kernel_regularizer"] is not None:
            config["kernel_regularizer"] = regularizers.Regularizer(**config["kernel_regularizer"])
        return cls(**config)

    def _describe(self):
        return (f"filters={self.filters}, kernel_size={self.kernel_size}, strides={self.strides}, "
                f"padding={self.padding!r}, activation={self.activation.name!r}")


class MaxPooling2D(_Windows):
    """The maximum of each ``pool_size`` window, channel by channel; no weights.

    >>> MaxPooling2D(2)
    MaxPooling2D(pool_size=(2, 2), strides=(2, 2), padding='valid')

    (N, H, W, C) → (N, H', W', C); ``strides=None`` means ``strides=pool_size``.
    """

    def __init__(self, pool_size=2, strides=None, padding="valid", input_shape=None,
                 name: str | None = None, **kwargs):
        refuse("MaxPooling2D", kwargs)
        self.pool_size = _pair("pool_size", pool_size)
        self.strides = self.pool_size if strides is None else _pair("strides", strides)
        self.padding = checks.one_of("padding", padding, PADDINGS)
        super().__init__(input_shape=input_shape, name=name)
        if self.input_shape is not None:
            self._check_shape(self.input_shape)

    @property
    def _window(self):
        return self.pool_size

    def _channels_out(self, C):
        return C

    def forward(self, x, training=False):
        """x: (N, H, W, C) → h: (N, H', W', C), h = the max of each window."""
        self._check_input(x)
        N, C = x.shape[0], x.shape[3]
        Ho, Wo, _ = self.compute_output_shape(x.shape[1:])
        xp = self._pad(x, -np.inf)                  # "same": padding never wins the max
        windows = self._patches(xp, Ho, Wo).reshape(N, Ho, Wo, -1, C)   # (N, H', W', p_h·p_w, C)
        where = windows.argmax(axis=3)              # which cell of each window is the max
        self.cache = (where, x.shape, xp.shape)
        return np.take_along_axis(windows, where[:, :, :, None, :], axis=3)[:, :, :, 0, :]

    def backward(self, dout):
        """dout: (N, H', W', C) → dx: (N, H, W, C): each dout goes to its window's max."""
        if not self.input_grad:                     # first layer: no dx needed
            return None
        where, x_shape, padded_shape = self.cache
        ph, pw = self.pool_size
        N, Ho, Wo, C = dout.shape
        dwindows = np.zeros((N, Ho, Wo, ph * pw, C), dtype=dout.dtype)
        np.put_along_axis(dwindows, where[:, :, :, None, :], dout[:, :, :, None, :], axis=3)
        return self._add_back(dwindows.reshape(N, Ho, Wo, ph, pw, C), padded_shape, x_shape)

    def get_config(self):
        return super().get_config() | {"pool_size": list(self.pool_size),
                                       "strides": list(self.strides), "padding": self.padding}

    def _describe(self):
        return f"pool_size={self.pool_size}, strides={self.strides}, padding={self.padding!r}"
