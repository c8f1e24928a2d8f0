"""A lesson's concept check: every question stacked, each with its options and a Check button.

    Quiz(lesson_06.QUIZ)          # radio buttons / a number box per question, feedback in words
    quiz.answer(0, 2)             # what picking option 2 of question 0 and pressing Check does

The checking and the words are ``nnkit.labs.quiz``; this module only lays them out.  Readers
without a kernel (GitHub, nbconvert) get the questions — never the answers — as Markdown and
as a picture.
"""
import html
import re

import ipywidgets as widgets
from PIL import Image, ImageDraw

from nnkit.i18n import _
from nnkit.labs.quiz import Choice, QuizSession, markdown
from nnkit.widgets import render
from nnkit.widgets.lesson import STYLE, with_picture

__all__ = ["Quiz"]

CSS = ("<style>.nnkit-quiz label, .nnkit-quiz input, .nnkit-quiz .widget-button {font-size: 17px}"
       " .nnkit-quiz .widget-radio-box label {white-space: normal; height: auto; margin: 3px 0;"
       " display: flex; flex-direction: row-reverse; justify-content: flex-end; gap: 6px;"
       " align-items: baseline} .nnkit-quiz label input {flex: none}</style>")
COLORS = {True: "#1e6b34", False: "#a33c00", None: "#1b4f72"}


class Quiz:
    """``questions``: a list of ``Choice``/``Numeric`` (e.g. ``lesson_XX.QUIZ``), shown stacked."""

    def __init__(self, questions, title: str | None = None):
        title = _("Check your understanding") if title is None else title
        self.session, self.title = QuizSession(questions), title
        self.inputs, self.replies, self.score = [], [], widgets.HTML()
        boxes = [self._question_box(i, q) for i, q in enumerate(self.session.questions)]
        self.widget = widgets.VBox([widgets.HTML(STYLE + CSS), *boxes, self.score])
        self.widget.add_class("nnkit-lesson"), self.widget.add_class("nnkit-quiz")
        self._say(None, "", None)

    def _question_box(self, i: int, q) -> widgets.Widget:
        text = widgets.HTMLMath(f"<b>{i + 1}.</b> {_inline(q.question)}",
                                layout=widgets.Layout(max_width="860px"))
        if isinstance(q, Choice):
            entry = widgets.RadioButtons(options=[(f"{chr(65 + k)}. {o}", k)
                                                  for k, o in enumerate(q.options)], value=None,
                                         layout=widgets.Layout(width="auto", max_width="860px"))
        else:
            entry = widgets.Text(placeholder=_("a number"), layout=widgets.Layout(width="180px"))
        button = widgets.Button(description=_("Check"), button_style="primary")
        button.on_click(lambda _: self._from_button(i))
        reply = widgets.HTML(layout=widgets.Layout(max_width="860px"))
        self.inputs.append(entry), self.replies.append(reply)
        row = widgets.HBox([entry, widgets.Label(q.unit), button]) if not isinstance(q, Choice) \
            else widgets.VBox([entry, button])
        return widgets.VBox([text, row, reply], layout=widgets.Layout(margin="0 0 14px 0"))

    def answer(self, i: int, response):
        """Check ``response`` to question ``i`` (from 0): an option index or a number.  Moves the
        control to it, shows the feedback and returns it (a ``Feedback``); a bad response raises."""
        feedback = self.session.answer(i, response)
        entry, q = self.inputs[i], self.session.questions[i]
        entry.value = str(response) if not isinstance(q, Choice) \
            else response if isinstance(response, int) else q.options.index(response)
        self._say(i, feedback.message, feedback.correct)
        return feedback

    def _from_button(self, i: int) -> None:
        entry = self.inputs[i]
        if entry.value is None or entry.value == "":
            return self._say(i, _("Pick an answer, then press Check."), None)
        try:
            self.answer(i, entry.value)
        except (TypeError, ValueError) as err:              # words, never a traceback
            self._say(i, f"⚠ {err}", None)

    def _say(self, i, message: str, correct) -> None:
        if i is not None:
            body = "<br>".join(_inline(line) for line in message.split("\n"))
            self.replies[i].value = (f'<div style="font-size:17px;line-height:1.45;'
                                     f'color:{COLORS[correct]}">{body}</div>')
        self.score.value = ('<div style="font-size:17px"><b>' + _("Score:") + '</b> '
                            f'{self.session.score}</div>')

    def picture(self) -> bytes:
        """The questions and options (no answers) as a PNG, for readers without a kernel."""
        from nnkit.plots.fonts import cjk_font
        # Chinese letters (the English lessons' terms too) need the CJK font; without one they
        # are left out (never boxes)
        chinese = cjk_font() is not None
        plain = (lambda text: re.sub(r"[$`]|\*\*", "", text)) if chinese else _plain
        lines = [(plain(_("{title} — run the notebook and press Check").format(
            title=self.title)), True)]
        for n, q in enumerate(self.session.questions, 1):
            lines += [("", False)] + [(s, True) for s in _wrap(
                plain(f"{n}. {q.question}"), 88, "   ")]
            unit = f" ({q.unit})" if getattr(q, "unit", "") else ""
            options = [f"{chr(65 + k)}. {o}" for k, o in enumerate(q.options)] \
                if isinstance(q, Choice) else [_("answer: a number") + unit]
            lines += [(" " * 6 + s, False) for o in options
                      for s in _wrap(plain(o), 78, "   ")]
        fonts = {(strong, han): render.font(17, bold=strong, chinese=han)
                 for strong in (False, True) for han in (False, chinese)}
        image = Image.new("RGB", (960, 24 + 25 * len(lines)), "white")
        draw = ImageDraw.Draw(image)
        for row, (line, strong) in enumerate(lines):
            x = 18                  # Chinese letters in the CJK font, the rest in DejaVu (w₁ …)
            for run in re.findall(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]+|"
                                  r"[^\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]+", line):
                face = fonts[strong, chinese and bool(_HAN.match(run))]
                base = 12 + row * 25 + fonts[strong, False].getmetrics()[0]    # one baseline
                draw.text((x, base), run, fill="#1a1a1a", font=face, anchor="ls")
                x += draw.textlength(run, font=face)
        return render.png_bytes(image)

    def _repr_mimebundle_(self, **kwargs):
        bundle = with_picture(self.widget._repr_mimebundle_(**kwargs), self.picture())
        bundle["text/markdown"] = markdown(self.session.questions, self.title)
        return bundle

    def __repr__(self) -> str:
        return f"Quiz({len(self.session.questions)} questions, {self.session.score})"

_HAN = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")


def _wrap(text: str, width: int, indent: str) -> list:
    """Lines of at most ``width`` columns, a Chinese letter counting two; breaks between words
    and between Chinese letters; later lines start with ``indent``."""
    lines, line, used = [], "", 0
    for piece in re.findall(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]|[^\s\u3000-\u303f"
                            r"\u4e00-\u9fff\uff00-\uffef]+|\s+", text):
        piece = " " if piece.isspace() else piece
        size = 2 if _HAN.match(piece) else len(piece)
        if used + size > width and line.strip():
            lines.append(line.rstrip())
            line, used = indent, len(indent)
            if piece.isspace():
                continue
        line, used = line + piece, used + size
    return lines + [line.rstrip()] if line.strip() else lines


def _plain(text: str) -> str:
    """Text for the picture without a CJK font: no markup, no Chinese terms (never boxes)."""
    text = re.sub(r"\s*\(\s*[\u4e00-\u9fff]+\s*\)|,?\s*[\u4e00-\u9fff]+", "", text)
    return re.sub(r"[$`]|\*\*", "", text)


def _inline(text: str) -> str:
    """Escaped HTML with Markdown's `code` and **bold** (all a question needs)."""
    text = re.sub(r"`([^`]+)`", r"<code>\1</code>", html.escape(text))
    return re.sub(r"\*\*([^*]+)\*\*", r"<b>\1</b>", text)
