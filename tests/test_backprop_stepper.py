"""BackpropStepper: the numbers it shows are the chain rule's, checked against finite differences.

The default example is Matt Mazur's worked one cut to a single output: x = (0.05, 0.10),
y = 0.01, w⁽¹⁾ = [[0.15, 0.20], [0.25, 0.30]], b⁽¹⁾ = 0.35, w⁽²⁾ = (0.40, 0.45), b⁽²⁾ = 0.60.
By hand: z⁽¹⁾₁ = 0.15·0.05 + 0.20·0.10 + 0.35 = 0.3775, h₁ = σ(0.3775) = 0.593270;
z⁽¹⁾₂ = 0.25·0.05 + 0.30·0.10 + 0.35 = 0.3925, h₂ = 0.596884.
"""
import numpy as np
import pytest

from nnkit import gradcheck, optimizers
from nnkit.widgets.backprop import BackpropStepper


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def numerical_gradients(stepper) -> dict:
    """Central differences of the nnkit model's own loss, weight array by weight array."""
    model = stepper.steps.model
    x = stepper.steps.x[None, :]
    y = model._check_y(np.array([[stepper.steps.y]]), 1)

    def f():
        return model._loss(model._forward(x), y)[0]

    return {f"{layer.name}.{key}": gradcheck.numerical_gradient(f, w, eps=1e-6)
            for layer in model.layers for key, w in layer.weights.items()}


def walk_to(stepper, stage):
    while stepper.stage != stage:
        stepper.next()


def test_forward_pass_matches_the_hand_computation():
    st = BackpropStepper()
    walk_to(st, "forward_hidden")
    n = st.numbers
    np.testing.assert_allclose(n["z1"], [0.3775, 0.3925])
    np.testing.assert_allclose(n["h1"], sigmoid(np.array([0.3775, 0.3925])))
    assert "0.15\\cdot0.05 + 0.2\\cdot0.1 + 0.35 = 0.3775" in st.formula_text()
    walk_to(st, "forward_output")
    z2 = 0.40 * n["h1"][0] + 0.45 * n["h1"][1] + 0.60
    assert n["z2"] == pytest.approx(z2) and n["y_hat"] == pytest.approx(sigmoid(z2))
    walk_to(st, "loss")
    assert st.loss_value == pytest.approx((sigmoid(z2) - 0.01) ** 2)
    # the model computes the same output
    assert st.steps.model.predict(np.array([[0.05, 0.10]]))[0, 0] == pytest.approx(n["y_hat"])


@pytest.mark.parametrize("loss", ["mse", "binary_crossentropy"])
@pytest.mark.parametrize("weights", ["example", 3])
def test_shown_gradients_equal_gradcheck(loss, weights):
    st = BackpropStepper(x=(0.7, -1.2), y=1.0, loss=loss, weights=weights)
    walk_to(st, "backward_hidden")
    numerical = numerical_gradients(st)
    assert set(st.gradients) == set(numerical)
    for key, shown in st.gradients.items():
        assert gradcheck.relative_error(shown, numerical[key]) < 1e-6, key
        np.testing.assert_allclose(shown, numerical[key], atol=1e-6)
    # and the relative errors gradcheck.check_model reports for the model's own backprop are tiny
    model = st.steps.model
    errors = gradcheck.check_model(model, st.steps.x[None, :], np.array([[st.steps.y]]))
    assert max(errors.values()) < 1e-6


def test_the_backward_stages_show_the_gradients_in_the_formulas_and_the_diagram():
    st = BackpropStepper()
    walk_to(st, "backward_output")
    n = st.numbers
    delta2 = 2 * (n["y_hat"] - 0.01) * n["y_hat"] * (1 - n["y_hat"])
    assert n["delta2"] == pytest.approx(delta2)
    assert f"{delta2:.4g}" in st.formula_text()
    edge = st.artists.edge_texts["h1", "y"].get_text()
    assert f"∂L/∂w = {n['dw2'][0]:.4g}" in edge
    walk_to(st, "backward_hidden")
    assert f"{n['dw1'][0, 0]:.4g}" in st.formula_text()
    assert "∂L/∂w" in st.artists.edge_texts["x1", "h1"].get_text()


def test_the_update_is_sgd_and_the_loss_drops():
    st = BackpropStepper(learning_rate=0.5)
    walk_to(st, "update")
    model = st.steps.model
    before_loss = st.loss_value
    # nnkit's SGD, applied to the same gradients, gives the weights the stepper shows
    theta = np.concatenate([w.ravel() for w in model.get_weights()])
    grad = np.concatenate([st.gradients[f"{l.name}.{k}"].ravel()
                           for l in model.layers for k in l.weights])
    sgd = optimizers.SGD(0.5)
    sgd.build([theta.size])
    sgd.apply(theta, grad)
    shown = np.concatenate([w.ravel() for w in st.numbers["new_weights"]])
    np.testing.assert_allclose(shown, theta)
    assert "→" in st.artists.edge_texts["x1", "h1"].get_text()
    promised = st.numbers["L_after"]                    # "then: …" on the diagram
    st.next()                                           # iteration 2 starts with the new weights
    assert (st.iteration, st.stage) == (2, "forward_hidden")
    np.testing.assert_allclose(np.concatenate([w.ravel() for w in model.get_weights()]), theta)
    assert st.loss_value < before_loss
    assert st.loss_value == pytest.approx(promised)


def test_back_undoes_the_update():
    st = BackpropStepper()
    first = st.steps.model.get_weights()
    walk_to(st, "update")
    st.next()
    assert st.back() == "update" and st.iteration == 1
    for a, b in zip(st.steps.model.get_weights(), first):
        np.testing.assert_array_equal(a, b)
    while st.stage != "start":
        st.back()
    assert st.back() == "start"                          # nothing before the start


def test_changing_the_example_recomputes_with_the_same_weights():
    st = BackpropStepper()
    walk_to(st, "loss")
    st.set(y=0.99)
    assert st.stage == "loss" and st.numbers["y"] == 0.99
    st.set(loss="binary_crossentropy")
    assert "\\log" in st.formula_text()
    with pytest.raises(ValueError, match="Did you mean 'mse'"):
        st.set(loss="mes")
    with pytest.raises(ValueError, match="learning_rate must be a positive number"):
        st.set(learning_rate=0)


def test_the_buttons_step():
    st = BackpropStepper()
    st.widget
    st.buttons["next"].click()
    assert st.stage == "forward_hidden" and not st.buttons["back"].disabled
    st.buttons["back"].click()
    assert st.stage == "start" and st.buttons["back"].disabled
    st.close()


def _label_outline(text, renderer):
    """The rotated rectangle a label covers, as a closed Path in display pixels."""
    from matplotlib.path import Path
    from matplotlib.transforms import Affine2D
    angle = text.get_rotation()
    text.set_rotation(0)
    box = text.get_window_extent(renderer)          # the same text, unrotated, same anchor
    text.set_rotation(angle)
    anchor = text.get_transform().transform(text.get_position())
    corners = np.array([[box.x0, box.y0], [box.x1, box.y0], [box.x1, box.y1], [box.x0, box.y1],
                        [box.x0, box.y0]])
    turn = Affine2D().rotate_deg_around(*anchor, angle)
    return Path(turn.transform(corners), closed=True)


@pytest.mark.parametrize("stage", ["start", "backward_hidden", "update"])
def test_no_weight_label_touches_a_line(stage):
    """Each weight is written beside its own line: its box meets no line, circle or other label."""
    from matplotlib.path import Path
    st = BackpropStepper()
    walk_to(st, stage)
    figure = st.view.figure
    figure.canvas.draw()
    renderer = figure.canvas.get_renderer()
    a = st.artists
    lines = {key: Path(line.get_transform().transform(np.column_stack(line.get_data())))
             for key, line in a.edges.items()}
    circles = [c.get_transform().transform_path(c.get_path()) for c in a.nodes.values()]
    outlines = {key: _label_outline(text, renderer) for key, text in a.edge_texts.items()}
    for key, outline in outlines.items():
        for line_key, line in lines.items():
            assert not outline.intersects_path(line, filled=True), (key, "crosses", line_key)
        assert not any(outline.intersects_path(c, filled=True) for c in circles), key
        for other_key, other in outlines.items():
            assert other_key == key or not outline.intersects_path(other, filled=True), \
                (key, other_key)
