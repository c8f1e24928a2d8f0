"""Tests for nnkit.datasets: each checks a promise of a docstring, computed independently."""
import numpy as np
import pytest

from nnkit import datasets
from nnkit.datasets import (
    CLASSIFICATION, PLANAR, REGRESSION, adding, blobs, char_sequences, circle, decode, encode,
    gauss, load_digits, load_iris, load_text, make_planar, memory, moons, multi_gauss, plane, sine,
    spiral, to_categorical, xor,
)

RANDOM_SETS = {
    **{name: (lambda seed, f=f: f(n_samples=60, noise=0.2, seed=seed))
       for name, f in PLANAR.items()},
    "sine": lambda seed: sine(20, 8, seed=seed),
    "memory": lambda seed: memory(20, 6, store_step=None, seed=seed),
    "adding": lambda seed: adding(20, 8, seed=seed),
    "iris": lambda seed: load_iris(shuffle=True, seed=seed),
}


# ---------------------------------------------------------------- seeds
@pytest.mark.parametrize("name", sorted(RANDOM_SETS))
def test_same_seed_same_arrays_other_seed_other_arrays(name):
    make = RANDOM_SETS[name]
    a, b, c = make(3), make(3), make(4)
    for left, right in zip(a, b):
        np.testing.assert_array_equal(left, right)
    assert not np.array_equal(a[0], c[0])


@pytest.mark.parametrize("seed", [-1, 1.5, "0", True])
def test_bad_seed_names_seed(seed):
    with pytest.raises((ValueError, TypeError), match="seed"):
        circle(seed=seed)


# ---------------------------------------------------------------- planar: shapes and balance
@pytest.mark.parametrize("name", sorted(PLANAR))
@pytest.mark.parametrize("noise", [0.0, 0.5])
def test_planar_shapes_dtypes_and_range(name, noise):
    X, y = make_planar(name, n_samples=101, noise=noise, seed=0)
    assert X.shape == (101, 2) and X.dtype == np.float64
    if name in CLASSIFICATION:
        assert y.shape == (101,) and y.dtype == np.int64
    else:
        assert y.shape == (101, 1) and y.dtype == np.float64
        assert np.abs(y).max() <= 1.0
    if noise == 0 and name not in ("gauss", "blobs"):
        assert np.abs(X).max() <= 6.0


def test_names_cover_the_table():
    assert set(CLASSIFICATION) | set(REGRESSION) == set(PLANAR)
    assert not set(CLASSIFICATION) & set(REGRESSION)


@pytest.mark.parametrize("name", ["circle", "xor", "gauss", "spiral", "moons"])
def test_binary_sets_are_balanced_and_shuffled(name):
    _, y = make_planar(name, n_samples=101, seed=1)
    assert sorted(np.bincount(y)) == [50, 51]
    assert 0 < np.count_nonzero(np.diff(y)) < 100    # neither sorted nor alternating


# ---------------------------------------------------------------- planar: the pictures
def test_circle_classes_are_separated_by_radius():
    X, y = circle(400, noise=0.0, seed=0)
    r = np.hypot(X[:, 0], X[:, 1])
    assert r[y == 1].max() <= 2.5 < 3.5 <= r[y == 0].min()


def test_circle_noise_moves_points_across_the_gap():
    X, y = circle(400, noise=0.5, seed=0)
    r = np.hypot(X[:, 0], X[:, 1])
    assert r[y == 1].max() > r[y == 0].min()


def test_xor_label_is_sign_disagreement():
    X, y = xor(400, noise=0.0, seed=0)
    np.testing.assert_array_equal(y, (np.sign(X[:, 0]) != np.sign(X[:, 1])).astype(int))
    assert np.abs(X).min() >= 0.3


def test_gauss_blobs_sit_at_plus_and_minus_two():
    X, y = gauss(2000, seed=0)
    np.testing.assert_allclose(X[y == 1].mean(axis=0), [2, 2], atol=0.1)
    np.testing.assert_allclose(X[y == 0].mean(axis=0), [-2, -2], atol=0.1)
    assert X[y == 1].std() == pytest.approx(0.7, abs=0.05)


def test_spiral_classes_alternate_along_a_ray_and_defeat_a_line():
    X, y = spiral(2000, noise=0.0, seed=0)
    r, angle = np.hypot(X[:, 0], X[:, 1]), np.arctan2(X[:, 1], X[:, 0])
    on_ray = np.abs(angle - 1.0) < 0.1
    labels_outwards = y[on_ray][np.argsort(r[on_ray])]
    assert np.count_nonzero(np.diff(labels_outwards)) >= 3      # 1 → 0 → 1 → 0 … going out
    # the best least-squares line does little better than a coin
    A = np.column_stack([X, np.ones(len(y))])
    w = np.linalg.lstsq(A, 2.0 * y - 1.0, rcond=None)[0]
    assert ((A @ w > 0) == (y == 1)).mean() < 0.7


def test_moons_lie_on_their_arcs():
    X, y = moons(300, noise=0.0, seed=0)
    p = X / 3.0 + [0.5, 0.25]                        # undo the scaling to the unit-moon frame
    np.testing.assert_allclose(np.hypot(*p[y == 0].T), 1.0)
    np.testing.assert_allclose(np.hypot(*(p[y == 1] - [1.0, 0.5]).T), 1.0)


@pytest.mark.parametrize("n_classes", [2, 3, 6])
def test_blobs_honour_n_classes(n_classes):
    X, y = blobs(600, n_classes=n_classes, seed=0)
    assert np.array_equal(np.unique(y), np.arange(n_classes))
    assert np.bincount(y).max() - np.bincount(y).min() <= 1
    centres = np.array([X[y == k].mean(axis=0) for k in range(n_classes)])
    np.testing.assert_allclose(np.hypot(*centres.T), 4.0, atol=0.3)
    nearest = np.argmin(((X[:, None] - centres[None]) ** 2).sum(axis=2), axis=1)
    assert (nearest == y).mean() > 0.95


def test_plane_target_is_linear():
    X, y = plane(50, seed=0)
    np.testing.assert_allclose(y[:, 0], (X[:, 0] + X[:, 1]) / 12)


def test_multi_gauss_target_matches_a_loop_over_bumps():
    X, y = multi_gauss(30, seed=0)
    expected = np.zeros(30)
    for c1, c2, sign in [(-4, 2.5, 1), (0, 2.5, -1), (4, 2.5, 1),
                         (-4, -2.5, -1), (0, -2.5, 1), (4, -2.5, -1)]:
        expected += sign * np.exp(-((X[:, 0] - c1) ** 2 + (X[:, 1] - c2) ** 2) / (2 * 1.5 ** 2))
    np.testing.assert_allclose(y[:, 0], expected)


# ---------------------------------------------------------------- planar: bad arguments
@pytest.mark.parametrize("kwargs, word", [
    (dict(noise=0.51), "noise"), (dict(noise=-0.1), "noise"), (dict(noise="0.2"), "noise"),
    (dict(noise=np.nan), "noise"), (dict(n_samples=0), "n_samples"),
    (dict(n_samples=10.0), "n_samples"),
])
def test_planar_bad_arguments_name_the_parameter(kwargs, word):
    with pytest.raises((ValueError, TypeError), match=word):
        xor(**kwargs)


def test_noise_message_explains_the_scale():
    with pytest.raises(ValueError, match=r"noise=30.0.*noise=0.3"):
        circle(noise=30)


@pytest.mark.parametrize("n_classes", [1, 7, 2.0])
def test_blobs_bad_n_classes(n_classes):
    with pytest.raises((ValueError, TypeError), match="n_classes"):
        blobs(n_classes=n_classes)


def test_make_planar_suggests_the_closest_name():
    with pytest.raises(ValueError, match="Did you mean 'spiral'"):
        make_planar("spirals")


# ---------------------------------------------------------------- sequences
def test_sine_target_continues_the_wave():
    X, y = sine(50, seq_len=12, noise=0.0, period=16.0, seed=0)
    assert X.shape == (50, 12, 1) and y.shape == (50, 1) and X.dtype == y.dtype == np.float64
    # sin(a + 2δ) = 2 cos δ · sin(a + δ) - sin(a), with δ = 2π / period
    np.testing.assert_allclose(y[:, 0], 2 * np.cos(2 * np.pi / 16) * X[:, -1, 0] - X[:, -2, 0],
                               atol=1e-12)


def test_sine_noise_has_the_requested_size():
    clean, _ = sine(200, 20, noise=0.0, seed=5)
    noisy, _ = sine(200, 20, noise=0.3, seed=5)
    assert (noisy - clean).std() == pytest.approx(0.3, rel=0.1)


@pytest.mark.parametrize("store_step", [0, 3, None])
def test_memory_label_is_the_sign_at_the_store_step(store_step):
    X, y, store = memory(400, seq_len=8, store_step=store_step, seed=0, return_store_index=True)
    assert X.shape == (400, 8, 3) and X.dtype == np.float64 and y.dtype == np.int64
    assert np.bincount(y).tolist() == [200, 200]
    np.testing.assert_array_equal(X[:, :, 1].sum(axis=1), 1)            # one store flag …
    np.testing.assert_array_equal(np.argmax(X[:, :, 1], axis=1), store)  # … where reported
    np.testing.assert_array_equal(X[:, :, 2], np.eye(8)[np.full(400, 7)])  # recall at the end
    rows = np.arange(400)
    np.testing.assert_array_equal(y, (X[rows, store, 0] > 0).astype(int))
    if store_step is not None:
        assert (store == store_step).all()
    else:
        assert set(store) == set(range(7))


def test_memory_cannot_be_solved_without_memory():
    X, y, store = memory(4000, seq_len=6, store_step=None, seed=1, return_store_index=True)
    # the recall step is the same for every sample: reading it alone gives chance
    assert (X[:, -1] == X[0, -1]).all()
    # the distractors carry no information about the label
    for t in range(5):
        values = X[store != t, t, 0]
        assert set(np.unique(values)) == {-1.0, 1.0}
        assert abs(np.corrcoef(values, y[store != t])[0, 1]) < 0.06


@pytest.mark.parametrize("kwargs, word", [
    (dict(seq_len=1), "seq_len"), (dict(seq_len=5, store_step=4), "store_step"),
    (dict(store_step=-1), "store_step"), (dict(n_samples=0), "n_samples"),
    (dict(return_store_index=1), "return_store_index"),
])
def test_memory_bad_arguments(kwargs, word):
    with pytest.raises((ValueError, TypeError), match=word):
        memory(**kwargs)


def test_adding_target_is_the_sum_of_the_two_marked_values():
    X, y = adding(300, seq_len=10, seed=0)
    assert X.shape == (300, 10, 2) and y.shape == (300, 1)
    marks = X[:, :, 1]
    assert set(np.unique(marks)) == {0.0, 1.0}
    np.testing.assert_array_equal(marks[:, :5].sum(axis=1), 1)           # one in each half
    np.testing.assert_array_equal(marks[:, 5:].sum(axis=1), 1)
    for n in range(300):
        assert y[n, 0] == pytest.approx(sum(X[n, t, 0] for t in range(10) if marks[n, t]))
    assert 0 <= X[:, :, 0].min() and X[:, :, 0].max() < 1


@pytest.mark.parametrize("kwargs, word", [
    (dict(seq_len=0), "seq_len"), (dict(noise=-1), "noise"), (dict(period=0), "period"),
])
def test_sine_bad_arguments(kwargs, word):
    with pytest.raises((ValueError, TypeError), match=word):
        sine(**kwargs)


# ---------------------------------------------------------------- text
def test_shipped_text_is_the_alice_passage():
    text = load_text()
    assert text.startswith("CHAPTER I. Down the Rabbit-Hole")
    assert 4000 < len(text) < 8000 and text.isascii()


def test_char_sequences_windows_and_targets():
    text = "the cat sat on the mat."
    X, y, vocab = char_sequences(text, seq_len=5, step=2)
    assert vocab == sorted(set(text))
    assert X.shape == (len(range(0, len(text) - 5, 2)), 5, len(vocab)) and y.dtype == np.int64
    np.testing.assert_array_equal(X.sum(axis=2), 1.0)
    for n in range(len(y)):
        window = decode(X[n].argmax(axis=1), vocab) + decode([y[n]], vocab)
        assert window == text[2 * n: 2 * n + 6]


def test_char_sequences_default_text():
    X, y, vocab = char_sequences(seq_len=10, step=50)
    assert X.shape[1:] == (10, len(vocab)) and len(y) == len(X)
    assert "".join(vocab) == "".join(sorted(set(load_text())))


def test_encode_decode_round_trip():
    vocab = sorted(set(load_text()))
    s = "Down, down, down. 'Oh dear!'"
    codes = encode(s, vocab)
    assert codes.dtype == np.int64 and decode(codes, vocab) == s


@pytest.mark.parametrize("call, word", [
    (lambda: encode("café", list("acf")), "vocab"),
    (lambda: decode([3], list("ab")), "codes"),
    (lambda: decode([0], "ab"), "vocab"),
    (lambda: char_sequences("abc", seq_len=3), "seq_len"),
    (lambda: char_sequences("abcdef", seq_len=2, step=0), "step"),
    (lambda: char_sequences(["a", "b"]), "text"),
])
def test_text_bad_arguments(call, word):
    with pytest.raises((ValueError, TypeError), match=word):
        call()


# ---------------------------------------------------------------- labels
def test_to_categorical_by_hand():
    np.testing.assert_array_equal(to_categorical([2, 0, 1, 2]),
                                  [[0, 0, 1], [1, 0, 0], [0, 1, 0], [0, 0, 1]])
    assert to_categorical(np.array([1, 0]), num_classes=4).shape == (2, 4)


@pytest.mark.parametrize("y, num_classes, word", [
    ([0, 3], 2, "num_classes"), ([0, -1], None, "y"), ([0.5, 1], None, "y"),
    ([[0, 1]], None, "y"), ([0, 1], 0, "num_classes"),
])
def test_to_categorical_bad_arguments(y, num_classes, word):
    with pytest.raises((ValueError, TypeError), match=word):
        to_categorical(y, num_classes)


# ---------------------------------------------------------------- tabular
def test_iris_shapes_and_classes():
    X, y = load_iris()
    assert X.shape == (150, 4) and X.dtype == np.float64 and y.dtype == np.int64
    assert np.bincount(y).tolist() == [50, 50, 50]
    assert len(datasets.IRIS_FEATURES) == 4 and len(datasets.IRIS_CLASSES) == 3


def test_iris_shuffle_is_a_permutation():
    X, y = load_iris()
    Xs, ys = load_iris(shuffle=True, seed=0)
    assert not np.array_equal(y, ys)
    key = lambda X, y: np.lexsort(np.column_stack([X, y]).T)       # noqa: E731
    np.testing.assert_array_equal(np.column_stack([X, y])[key(X, y)],
                                  np.column_stack([Xs, ys])[key(Xs, ys)])


def test_iris_seed_without_shuffle_is_refused():
    with pytest.raises(ValueError, match="shuffle=True"):
        load_iris(seed=0)
    with pytest.raises(TypeError, match="shuffle"):
        load_iris(shuffle="yes")


def test_digits():
    X, y = load_digits()
    assert X.shape == (1797, 64) and X.dtype == np.float64 and y.dtype == np.int64
    assert X.min() == 0 and X.max() == 16 and np.array_equal(np.unique(y), np.arange(10))


# ---------------------------------------------------------------- planar: curves
@pytest.mark.parametrize("name", ["sin", "cubic", "abs"])
def test_curve_sets_lie_above_and_below_their_curve(name):
    X, y = make_planar(name, n_samples=301, seed=2)
    f = datasets.CURVES[name][1]
    gap = X[:, 1] - f(X[:, 0])
    assert (gap[y == 1] >= 0.25 - 1e-12).all() and (gap[y == 0] <= -0.25 + 1e-12).all()
    assert abs(int((y == 1).sum()) - int((y == 0).sum())) <= 1
    assert np.abs(X).max() <= 6.0
    x = np.linspace(-6, 6, 7)                              # the curves named in the docstring
    expected = {"sin": 3 * np.sin(x), "cubic": 3 * ((x / 4) ** 3 - x / 4), "abs": np.abs(x) - 3}
    np.testing.assert_allclose(f(x), expected[name])
    with pytest.raises(ValueError, match="name"):
        datasets.curve(10, name="tan")
