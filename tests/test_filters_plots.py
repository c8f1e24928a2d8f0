"""nnkit.plots.filters: lesson 12's pictures of filters, feature maps and a saliency map."""
import matplotlib

matplotlib.use("Agg")

import numpy as np
import pytest
from matplotlib.figure import Figure

from nnkit.plots.filters import feature_maps, kernels, saliency


def grid(rows, cols):
    return Figure(figsize=(8, 3)).subplots(rows, cols)


def test_kernels_draw_each_filter_on_one_symmetric_scale():
    K = np.random.default_rng(0).normal(size=(3, 3, 2, 5))
    axes = grid(2, 3)
    art = kernels(axes, K, channel=1)
    assert len(art.images) == 5
    np.testing.assert_array_equal(art.images[4].get_array(), K[:, :, 1, 4])
    limit = np.abs(K[:, :, 1, :]).max()
    assert all(im.get_clim() == (-limit, limit) for im in art.images)
    assert not axes.flat[5].axison                     # the spare sixth Axes is left empty
    assert art._repr_png_()[:4] == b"\x89PNG"


def test_feature_maps_share_one_grey_scale():
    maps = np.random.default_rng(1).random((4, 4, 3)) * 5
    art = feature_maps(grid(1, 3), maps)
    assert [im.get_clim() for im in art.images] == [(0.0, maps.max())] * 3
    np.testing.assert_array_equal(art.images[2].get_array(), maps[:, :, 2])


def test_saliency_shows_image_and_signed_gradient():
    image, M = np.eye(4), np.array([[0, -2.0, 0, 0], [0, 0, 1, 0], [0, 0, 0, 0], [0, 0, 0, 0.5]])
    axes = grid(1, 2)
    art = saliency(axes, image, M, label=7, class_index=7)
    assert art.images[1].get_clim() == (-2.0, 2.0)
    assert axes[1].get_title() == "∂S_7/∂x" and "7" in axes[0].get_title()


@pytest.mark.parametrize("call, words", [
    (lambda: kernels(grid(1, 2), np.zeros((3, 3, 1, 4))), "at least 4 Axes"),
    (lambda: kernels(grid(1, 2), np.zeros((3, 3, 2))), "(k_h, k_w, C, F)"),
    (lambda: kernels(grid(1, 2), np.zeros((3, 3, 1, 2)), channel=1), "channel"),
    (lambda: feature_maps(grid(1, 2), np.zeros((1, 4, 4, 2))), "maps[0]"),
    (lambda: saliency(grid(1, 2), np.zeros((4, 4)), np.zeros((4, 5))), "one shape"),
])
def test_bad_arguments_are_refused(call, words):
    with pytest.raises(ValueError, match=None) as info:
        call()
    assert words in str(info.value)
