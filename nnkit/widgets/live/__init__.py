"""Live pictures drawn by the browser from compact data, on a kernel clock with flow control.

    from nnkit.widgets.live import LiveView, PlanarTrainer
    view = LiveView(PlanarTrainer("circle", hidden_layers=(4, 2)), presenter=True)
    view                                    # Play, click to add points, hover a neuron, scrub

- ``frames``:    ``Frame`` (the arrays of one picture) and the colour tables from nnkit.plots.style;
- ``loop``:      ``FrameLoop``, the kernel's clock: display rate, a window of unacknowledged
                 frames, adaptive steps per frame;
- ``recording``: ``Recording``, every epoch's weights in bounded memory (the timeline);
- ``view``:      ``LiveView``, the anywidget; its front end is ``live_view.js``;
- ``demo``:      ``PlanarTrainer``, a producer that trains a small Sequential on planar data.
"""
from nnkit.widgets.live.demo import PlanarTrainer
from nnkit.widgets.live.frames import Frame, boundary_lut, diverging_lut, encode
from nnkit.widgets.live.loop import FrameLoop
from nnkit.widgets.live.recording import Recording
from nnkit.widgets.live.view import NORMAL, PRESENTER, LiveView

__all__ = ["LiveView", "FrameLoop", "Frame", "Recording", "PlanarTrainer", "encode",
           "boundary_lut", "diverging_lut", "NORMAL", "PRESENTER"]
