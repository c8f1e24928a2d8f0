"""Tests for nnkit.plots: each picture is checked against numbers we know, not just that it ran."""
import matplotlib.text
import matplotlib.pyplot as plt
import numpy as np
import pytest
from sklearn.metrics import confusion_matrix as sklearn_confusion_matrix

from nnkit import plots
from nnkit.plots import network, shading, style

ORANGE = np.array(style.CLASS_COLORS[0]) / 255   # class 0, negative
BLUE = np.array(style.CLASS_COLORS[1]) / 255     # class 1, positive


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


@pytest.fixture
def ax():
    fig, ax = plt.subplots()
    yield ax
    plt.close(fig)


def tint_of(rgb) -> np.ndarray:
    """Direction of a colour away from white: a tint of class colour c is parallel to 1 - c."""
    away = 1.0 - np.asarray(rgb, dtype=float)[:3]
    return away / np.linalg.norm(away)


def is_tint(rgb, color) -> bool:
    return np.allclose(tint_of(rgb), tint_of(color), atol=0.02)


def pixel_at(ax, x1, x2) -> np.ndarray:
    """RGBA (0–1) of the rendered figure at data point (x1, x2)."""
    canvas = ax.figure.canvas
    canvas.draw()
    buffer = np.asarray(canvas.buffer_rgba())
    px, py = ax.transData.transform((x1, x2))
    return buffer[buffer.shape[0] - int(round(py)), int(round(px))] / 255.0


# --- decision boundary ---------------------------------------------------------------------------

EXTENT = (-3.0, 3.0, -3.0, 3.0)
X_TRAIN = np.array([[-2.0, 0.0], [2.0, 1.0], [1.0, -1.0]])
Y_TRAIN = np.array([0, 1, 1])
X_TEST = np.array([[-1.0, 2.0], [2.5, -2.0]])
Y_TEST = np.array([0, 1])


def binary_rule(resolution=60, feature=0):
    """P(class 1) = sigmoid(x_feature) on the grid: class 1 where x_feature > 0."""
    points, shape = plots.grid(EXTENT, resolution)
    return sigmoid(2 * points[:, feature]).reshape(shape)


def test_grid_gives_cell_centres_row_by_row_from_the_bottom():
    points, shape = plots.grid((0, 4, 0, 2), 4)
    assert shape == (4, 4) and points.shape == (16, 2)
    # cell width 1 in x1 and 0.5 in x2, so centres at 0.5, 1.5, ... and 0.25, 0.75, ...
    np.testing.assert_allclose(points[0], [0.5, 0.25])
    np.testing.assert_allclose(points[3], [3.5, 0.25])
    np.testing.assert_allclose(points[4], [0.5, 0.75])
    np.testing.assert_allclose(points[-1], [3.5, 1.75])


def test_data_extent_pads_the_range():
    extent = plots.data_extent(np.array([[0.0, 0.0], [10.0, 2.0]]), margin=0.1)
    np.testing.assert_allclose(extent, (-1.0, 11.0, -0.2, 2.2))


def test_binary_boundary_puts_class_1_colour_right_of_x1_0(ax):
    artists = plots.decision_boundary(ax, binary_rule(), EXTENT, X_TRAIN, Y_TRAIN)
    image = artists.image.get_array()                     # (R, R, 3) uint8, row 0 at the bottom
    assert image.shape == (60, 60, 3)
    row = 30
    right, left, middle = image[row, 55] / 255, image[row, 4] / 255, image[row, 29:31] / 255
    assert is_tint(right, BLUE) and is_tint(left, ORANGE)
    assert right[2] > right[0] and left[0] > left[2]      # blue side is blue, orange side orange
    assert np.all(middle > 0.9)                           # P ≈ 0.5 at x1 = 0: nearly white


def test_boundary_orientation_in_the_rendered_figure(ax):
    # P(class 1) = sigmoid(x2): class 1 is the top half of the picture, not the bottom
    plots.decision_boundary(ax, binary_rule(feature=1), EXTENT, X_TRAIN, Y_TRAIN, legend=False)
    assert is_tint(pixel_at(ax, 0.3, 2.6), BLUE)
    assert is_tint(pixel_at(ax, 0.3, -2.6), ORANGE)


def test_multiclass_boundary_uses_the_argmax_colour(ax):
    points, shape = plots.grid(EXTENT, 30)
    centres = np.array([[-2.0, -2.0], [2.0, -2.0], [0.0, 2.0]])
    logits = -((points[:, None, :] - centres[None]) ** 2).sum(axis=-1)
    probs = np.exp(logits - logits.max(axis=1, keepdims=True))
    probs /= probs.sum(axis=1, keepdims=True)
    artists = plots.decision_boundary(ax, probs.reshape(shape + (3,)), EXTENT, X_TRAIN, Y_TRAIN)
    image = artists.image.get_array().reshape(-1, 3) / 255
    winners = probs.argmax(axis=1)
    for k in range(3):
        colour = np.array(style.CLASS_COLORS[k]) / 255
        strong = np.flatnonzero((winners == k) & (probs.max(axis=1) > 0.9))
        assert len(strong) > 10
        assert all(is_tint(image[i], colour) for i in strong)


def test_discretize_paints_hard_regions(ax):
    artists = plots.decision_boundary(ax, binary_rule(), EXTENT, X_TRAIN, Y_TRAIN, discretize=True)
    colours = np.unique(artists.image.get_array().reshape(-1, 3), axis=0)
    assert len(colours) == 2                              # exactly one colour per class
    assert {tuple(c) for c in colours} == {tuple(style.confidence_lut(2)[k, 255]) for k in (0, 1)}


def test_train_points_filled_and_test_points_hollow(ax):
    artists = plots.decision_boundary(ax, binary_rule(), EXTENT, X_TRAIN, Y_TRAIN, X_TEST, Y_TEST)
    np.testing.assert_allclose(artists.train_points.get_offsets(), X_TRAIN)
    np.testing.assert_allclose(artists.train_points.get_facecolors()[:, :3], [ORANGE, BLUE, BLUE])
    np.testing.assert_allclose(artists.test_points.get_offsets(), X_TEST)
    faces = artists.test_points.get_facecolors()
    assert len(faces) == 0 or np.all(faces[:, 3] == 0)    # hollow: no fill at all
    np.testing.assert_allclose(artists.test_points.get_edgecolors()[:, :3], [ORANGE, BLUE])


def test_one_hot_labels_are_read_as_classes(ax):
    one_hot = np.eye(2)[Y_TRAIN]
    artists = plots.decision_boundary(ax, binary_rule(), EXTENT, X_TRAIN, one_hot)
    np.testing.assert_allclose(artists.train_points.get_facecolors()[:, :3], [ORANGE, BLUE, BLUE])


def test_update_changes_the_image_without_new_artists(ax):
    artists = plots.decision_boundary(ax, binary_rule(), EXTENT, X_TRAIN, Y_TRAIN, X_TEST, Y_TEST)
    image, n_images, n_collections = artists.image, len(ax.images), len(ax.collections)
    before = artists.image.get_array().copy()
    changed = plots.update_decision_boundary(artists, 1.0 - binary_rule())   # classes swapped
    assert changed == [image] and artists.image is image
    assert (len(ax.images), len(ax.collections)) == (n_images, n_collections)
    after = artists.image.get_array()
    assert not np.array_equal(before, after)
    assert is_tint(after[30, 55] / 255, ORANGE)           # right side is now class 0


def test_update_rejects_a_new_grid_shape(ax):
    artists = plots.decision_boundary(ax, binary_rule(), EXTENT, X_TRAIN, Y_TRAIN)
    with pytest.raises(ValueError, match=r"grid_probs.*\(60, 60\)"):
        plots.update_decision_boundary(artists, binary_rule(resolution=40))


def test_update_data_points_moves_the_dots(ax):
    artists = plots.decision_boundary(ax, binary_rule(), EXTENT, X_TRAIN, Y_TRAIN)
    n_collections = len(ax.collections)
    plots.update_data_points(artists, X_TRAIN[:2] + 0.5, [1, 0], X_TEST, Y_TEST)
    np.testing.assert_allclose(artists.train_points.get_offsets(), X_TRAIN[:2] + 0.5)
    np.testing.assert_allclose(artists.train_points.get_facecolors()[:, :3], [BLUE, ORANGE])
    np.testing.assert_allclose(artists.test_points.get_offsets(), X_TEST)
    assert len(ax.collections) == n_collections


def test_regression_colours_positive_blue_negative_orange(ax):
    points, shape = plots.grid(EXTENT, 20)
    values = points[:, 0].reshape(shape)                  # y = x1: negative left, positive right
    y = X_TRAIN[:, 0]
    artists = plots.decision_boundary(ax, values, EXTENT, X_TRAIN, y, kind="regression")
    image = artists.image.get_array() / 255
    assert is_tint(image[10, 19], BLUE) and is_tint(image[10, 0], ORANGE)
    assert artists.vmax == 2.0                            # largest |y_train|
    faces = artists.train_points.get_facecolors()[:, :3]
    assert is_tint(faces[0], ORANGE) and is_tint(faces[1], BLUE)


@pytest.mark.parametrize("kwargs, pattern", [
    (dict(grid_probs=np.zeros(10)), "grid_probs"),                     # not a 2-D grid
    (dict(grid_probs=np.full((5, 5), 3.0)), "kind='regression'"),      # not probabilities
    (dict(grid_probs=np.full((5, 5, 8), 1 / 8)), "grid_probs"),        # too many classes
    (dict(y_train=np.array([0, 1])), "X_train and y_train"),           # lengths differ
    (dict(X_train=np.zeros((3, 3))), "X_train"),                       # not 2 features
    (dict(y_train=np.array([0, 1, 2])), "y_train"),                    # class 2 of 2 classes
    (dict(extent=(1, 0, 0, 1)), "extent"),                             # x1_min > x1_max
    (dict(X_test=X_TEST), "X_test and y_test"),                        # one without the other
    (dict(kind="classifier"), "kind"),
])
def test_decision_boundary_rejects_bad_input(ax, kwargs, pattern):
    arguments = dict(grid_probs=np.full((5, 5), 0.5), extent=EXTENT, X_train=X_TRAIN, y_train=Y_TRAIN)
    arguments.update(kwargs)
    with pytest.raises((ValueError, TypeError), match=pattern):
        plots.decision_boundary(ax, **arguments)


# --- shading and style: the plain-data palette the fast renderer shares ---------------------------

def test_binary_shading_equals_two_class_shading():
    p = np.linspace(0, 1, 12).reshape(3, 4)
    np.testing.assert_array_equal(shading.class_shading(p),
                                  shading.class_shading(np.stack([1 - p, p], axis=-1)))


def test_lookup_tables():
    lut = style.probability_lut()
    assert lut.shape == (256, 3) and lut.dtype == np.uint8
    assert is_tint(lut[0] / 255, ORANGE) and is_tint(lut[255] / 255, BLUE)
    assert np.all(lut[127:129] > 250)                     # P ≈ 0.5: white
    table = style.confidence_lut(3)
    assert table.shape == (3, 256, 3) and np.all(table[:, 0] == 255)   # a tie is white
    with pytest.raises(ValueError, match="n_classes"):
        style.class_colors(7)


# --- loss curves -----------------------------------------------------------------------------------

HISTORY = {"loss": [0.9, 0.5, 0.3, 0.2], "val_loss": [1.0, 0.7, 0.6, 0.65], "accuracy": [0.5, 0.7, 0.8, 0.9]}


def test_loss_curves_hold_the_history(ax):
    artists = plots.loss_curves(ax, HISTORY)
    np.testing.assert_array_equal(artists.train_line.get_xdata(), [1, 2, 3, 4])   # epochs from 1
    np.testing.assert_array_equal(artists.train_line.get_ydata(), HISTORY["loss"])
    np.testing.assert_array_equal(artists.validation_line.get_ydata(), HISTORY["val_loss"])
    assert ax.get_yscale() == "linear"
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["train", "validation"]


def test_loss_curves_log_scale_and_metric(ax):
    plots.loss_curves(ax, HISTORY, log=True)
    assert ax.get_yscale() == "log"


def test_other_metric_and_test_prefix(ax):
    artists = plots.loss_curves(ax, {"accuracy": [0.5, 0.9], "test_accuracy": [0.4, 0.8]},
                                metric="accuracy")
    np.testing.assert_array_equal(artists.validation_line.get_ydata(), [0.4, 0.8])
    assert ax.get_ylabel() == "accuracy"
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["train", "test"]


def test_update_loss_curves_in_place_and_rescales(ax):
    artists = plots.loss_curves(ax, {"loss": [], "val_loss": []})    # a live view, before epoch 1
    assert ax.get_legend() is None
    n_lines = len(ax.lines)
    history = {"loss": [5.0, 3.0, 1.0], "val_loss": [6.0, 4.0, 2.0]}
    changed = plots.update_loss_curves(artists, history)
    assert changed == [artists.train_line, artists.validation_line] and len(ax.lines) == n_lines
    np.testing.assert_array_equal(artists.train_line.get_ydata(), history["loss"])
    np.testing.assert_array_equal(artists.validation_line.get_xdata(), [1, 2, 3])
    low, high = ax.get_ylim()
    assert low <= 1.0 and high >= 6.0                      # autoscaled to the new values
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["train", "validation"]


def test_loss_curves_accept_a_history_object(ax):
    class History:
        history = HISTORY
    artists = plots.loss_curves(ax, History())
    np.testing.assert_array_equal(artists.train_line.get_ydata(), HISTORY["loss"])


def test_loss_curves_reject_bad_history(ax):
    with pytest.raises(ValueError, match="history has no 'loss'.*'acc'"):
        plots.loss_curves(ax, {"acc": [1.0]})
    with pytest.raises(TypeError, match="history must be a dict"):
        plots.loss_curves(ax, [0.5, 0.4])


# --- network diagram ------------------------------------------------------------------------------

W1 = np.array([[1.0, -2.0, 0.5],
               [0.0, 4.0, -0.5]])            # (2 inputs, 3 hidden): the largest |w| is W1[1, 1] = 4
b1 = np.array([0.5, -1.0, 0.0])
W2 = np.array([[1.0], [-1.0], [2.0]])       # (3 hidden, 1 output)
b2 = np.array([3.0])
WEIGHTS = [(W1, b1), (W2, b2)]


def test_network_has_one_line_per_weight_coloured_by_sign(ax):
    artists = plots.network_diagram(ax, WEIGHTS, input_labels=["x1", "x2"], output_labels=["y"])
    assert len(artists.lines.get_segments()) == 2 * 3 + 3 * 1
    colours = artists.lines.get_colors()
    widths = artists.lines.get_linewidths()
    w = np.concatenate([W1.ravel(), W2.ravel()])          # the documented segment order
    for k in np.flatnonzero(w > 0):
        assert is_tint(colours[k], BLUE)
    for k in np.flatnonzero(w < 0):
        assert is_tint(colours[k], ORANGE)
    assert np.argmax(widths) == np.argmax(np.abs(w)) == 4  # W1[1, 1] = 4
    assert widths[4] == network.MAX_WIDTH
    assert widths[3] == network.MIN_WIDTH                   # W1[1, 0] = 0: thinnest


def test_network_segment_joins_the_right_units(ax):
    artists = plots.network_diagram(ax, WEIGHTS)
    # W1[0, 2] joins input 0 (column 0, top of 2 units: y = 0.5) to hidden 2 (column 1, y = -1)
    np.testing.assert_allclose(artists.lines.get_segments()[2], [[0.0, 0.5], [1.0, -1.0]])
    assert len(artists.units.get_offsets()) == 2 + 3 + 1
    assert len(artists.biases.get_offsets()) == 3 + 1
    assert is_tint(artists.biases.get_facecolors()[0], BLUE)    # b1[0] = +0.5
    assert is_tint(artists.biases.get_facecolors()[1], ORANGE)  # b1[1] = -1


def test_update_network_changes_widths_in_place(ax):
    artists = plots.network_diagram(ax, WEIGHTS)
    lines, n_collections = artists.lines, len(ax.collections)
    before = artists.lines.get_linewidths().copy()
    new_W1 = W1.copy()
    new_W1[0, 0] = -8.0                                     # now the largest, and negative
    changed = plots.update_network_diagram(artists, [(new_W1, b1), (W2, b2)])
    assert changed[0] is lines and artists.lines is lines and len(ax.collections) == n_collections
    widths = artists.lines.get_linewidths()
    assert not np.allclose(before, widths)
    assert np.argmax(widths) == 0 and is_tint(artists.lines.get_colors()[0], ORANGE)


def test_network_accepts_keras_flat_weights(ax):
    artists = plots.network_diagram(ax, [W1, b1, W2, b2])
    assert len(artists.lines.get_segments()) == 9


def test_network_fixed_scale_keeps_widths_comparable(ax):
    artists = plots.network_diagram(ax, WEIGHTS, scale=8.0)
    assert artists.lines.get_linewidths()[4] < network.MAX_WIDTH    # 4 is half of the scale


@pytest.mark.parametrize("weights, pattern", [
    ([(W1, b1), (np.ones((4, 1)), b2)], r"weights\[1\]\[0\].*4 rows"),     # chain broken
    ([(W1, np.zeros(2))], r"weights\[0\].*b of shape \(2,\)"),             # bias length
    ([], "non-empty list"),
    ([(W1, b1), "W2"], r"weights\[1\] must be a \(W, b\) pair"),
])
def test_network_rejects_bad_weights(ax, weights, pattern):
    with pytest.raises((ValueError, TypeError), match=pattern):
        plots.network_diagram(ax, weights)


def test_network_rejects_wrong_label_count(ax):
    with pytest.raises(ValueError, match="input_labels"):
        plots.network_diagram(ax, WEIGHTS, input_labels=["x1"])


def test_update_network_rejects_other_layer_sizes(ax):
    artists = plots.network_diagram(ax, WEIGHTS)
    with pytest.raises(ValueError, match=r"drawn with, \(2, 3, 1\)"):
        plots.update_network_diagram(artists, [(np.ones((2, 4)), np.ones(4))])


# --- activation functions -------------------------------------------------------------------------

def test_activation_curves_follow_the_formulas(ax):
    z = np.array([-2.0, 0.0, 1.0])
    artists = plots.activation_functions(ax, ["sigmoid", "tanh", "relu"], z=z)
    s = sigmoid(z)
    np.testing.assert_allclose(artists.lines["sigmoid"].get_ydata(), s)
    np.testing.assert_allclose(artists.derivative_lines["sigmoid"].get_ydata(), s * (1 - s))
    assert artists.lines["sigmoid"].get_ydata()[1] == 0.5             # σ(0) = 1/2
    assert artists.derivative_lines["sigmoid"].get_ydata()[1] == 0.25  # σ'(0) = 1/4
    np.testing.assert_allclose(artists.lines["tanh"].get_ydata(), np.tanh(z))
    np.testing.assert_allclose(artists.derivative_lines["tanh"].get_ydata(), 1 / np.cosh(z) ** 2)
    np.testing.assert_allclose(artists.lines["relu"].get_ydata(), [0.0, 0.0, 1.0])
    line, dashed = artists.lines["tanh"], artists.derivative_lines["tanh"]
    assert dashed.get_linestyle() == "--" and dashed.get_color() == line.get_color()


def test_relu_derivative_has_a_gap_not_a_vertical_line(ax):
    artists = plots.activation_functions(ax, ["relu"], z=np.linspace(-1, 1, 5))
    y = artists.derivative_lines["relu"].get_ydata()
    np.testing.assert_array_equal(y[np.isfinite(y)], [0, 0, 0, 1, 1])  # f'(0) = 0 as the core says
    assert np.isnan(y).sum() == 1


def test_saturation_shades_where_the_slope_is_small(ax):
    artists = plots.activation_functions(ax, ["tanh"], saturation=True)
    spans = artists.saturation["tanh"]
    edges = sorted(x for patch in spans for x in (patch.get_x(), patch.get_x() + patch.get_width()))
    # tanh'(z) = 1 - tanh(z)² < 0.1  ⇔  |z| > artanh(√0.9) ≈ 1.818
    assert len(spans) == 2
    np.testing.assert_allclose(edges, [-5.0, -1.825, 1.825, 5.0], atol=0.03)
    assert plots.activation_functions(ax, ["linear"], saturation=True).saturation["linear"] == []


def test_the_legend_hides_no_saturation_band():
    # lesson 01's picture: the sigmoid's band is the top strip, where an inside legend used to sit
    artists = plots.activation_functions(None, ["sigmoid", "tanh", "relu"], saturation=True)
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    canvas = FigureCanvasAgg(artists.figure)
    canvas.draw()
    renderer = canvas.get_renderer()
    legend = artists.ax.get_legend().get_window_extent(renderer)
    bands = [span.get_window_extent(renderer) for spans in artists.saturation.values()
             for span in spans]
    assert len(bands) == 5                         # sigmoid 2, tanh 2, relu 1 (its dead side)
    assert not any(legend.overlaps(band) for band in bands)


@pytest.mark.parametrize("names, pattern", [
    (["sigmod"], "names.*Did you mean 'sigmoid'"),
    (["softmax"], "softmax.*not elementwise"),
    ([3], "names must hold activation names"),
])
def test_activation_functions_reject_bad_names(ax, names, pattern):
    with pytest.raises((ValueError, TypeError), match=pattern):
        plots.activation_functions(ax, names)


# --- confusion matrix -----------------------------------------------------------------------------

Y_TRUE = np.array([0, 0, 1, 1, 1, 2, 2, 2, 2])
Y_PRED = np.array([0, 1, 1, 1, 2, 2, 2, 0, 2])


def test_confusion_matrix_counts_match_sklearn(ax):
    artists = plots.confusion_matrix(ax, Y_TRUE, Y_PRED)
    expected = sklearn_confusion_matrix(Y_TRUE, Y_PRED)
    np.testing.assert_array_equal(artists.matrix, expected)
    np.testing.assert_array_equal([[int(t.get_text()) for t in row] for row in artists.texts], expected)
    assert artists.texts[0, 0].get_fontsize() >= 12


def test_confusion_matrix_normalized_rows_sum_to_one(ax):
    artists = plots.confusion_matrix(ax, Y_TRUE, np.eye(3)[Y_PRED], normalize="true")  # one-hot
    np.testing.assert_allclose(artists.matrix.sum(axis=1), 1.0)


def test_confusion_matrix_rejects_bad_input(ax):
    with pytest.raises(ValueError, match="y_true and y_pred"):
        plots.confusion_matrix(ax, Y_TRUE, Y_PRED[:-1])
    with pytest.raises(ValueError, match="normalize.*'true'"):
        plots.confusion_matrix(ax, Y_TRUE, Y_PRED, normalize="rows")


# --- figures: ax=None makes a stand-alone Figure, never a pyplot one ------------------------------

def test_ax_none_makes_a_private_figure_shown_as_png():
    artists = plots.loss_curves(None, HISTORY)
    assert plt.get_fignums() == []                         # nothing registered with pyplot
    assert artists._repr_png_().startswith(b"\x89PNG")


def test_pyplot_figures_are_not_shown_twice(ax):
    assert plots.loss_curves(ax, HISTORY)._repr_png_() is None


def test_ax_of_the_wrong_type_is_refused():
    with pytest.raises(TypeError, match="ax must be a matplotlib Axes"):
        plots.loss_curves("axes", HISTORY)


def test_every_plot_draws_at_projector_sizes():
    artists = [
        plots.decision_boundary(None, binary_rule(), EXTENT, X_TRAIN, Y_TRAIN, X_TEST, Y_TEST),
        plots.loss_curves(None, HISTORY),
        plots.network_diagram(None, WEIGHTS, layer_titles=["x", "tanh", "sigmoid"]),
        plots.activation_functions(None),
        plots.confusion_matrix(None, Y_TRUE, Y_PRED),
    ]
    for a in artists:
        a.figure.canvas.draw()
        texts = [t for t in a.figure.findobj(matplotlib.text.Text) if t.get_text()]
        assert texts and min(t.get_fontsize() for t in texts) >= 12, type(a).__name__
