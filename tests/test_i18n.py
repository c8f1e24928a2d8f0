"""The Chinese edition: the language switch, the message catalogs, Chinese figures and widgets,
and the Chinese lessons' code cells against their English twins.

Catalogs: nnkit/locale/nnkit.pot (made by `make messages` from the marked strings), the Chinese
nnkit/locale/zh_CN/LC_MESSAGES/nnkit.po and its compiled nnkit.mo.
"""
import gettext
import io
import string
import tokenize
import warnings
from pathlib import Path

import nbformat
import numpy as np
import pytest

babel = pytest.importorskip("babel", reason="Babel (the `test` extra) reads the catalogs")
from babel.messages import extract as babel_extract  # noqa: E402
from babel.messages.pofile import read_po  # noqa: E402

import nnkit  # noqa: E402
from nnkit import i18n  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
LOCALE = REPO / "nnkit" / "locale"
POT = LOCALE / "nnkit.pot"
PO = LOCALE / "zh_CN" / "LC_MESSAGES" / "nnkit.po"
MO = LOCALE / "zh_CN" / "LC_MESSAGES" / "nnkit.mo"
LESSONS = REPO / "lessons"
ZH_LESSONS = sorted((LESSONS / "zh").glob("*.ipynb"))
FIRST_CELL = 'import nnkit\nnnkit.set_language("zh")   # 控件、提示和图中的文字使用中文'
HAN = range(0x4E00, 0xA000)


def chinese(text: str) -> bool:
    return any(ord(c) in HAN for c in text)


@pytest.fixture
def zh():
    """Chinese for one test, English again afterwards (whatever the test did)."""
    nnkit.set_language("zh")
    yield
    nnkit.set_language("en")


def catalog(path):
    with open(path, "rb") as f:
        return read_po(f)


# ---- the catalogs ------------------------------------------------------------------------------

def test_every_message_has_a_chinese_translation():
    template, chinese_po = catalog(POT), catalog(PO)
    ids = {m.id for m in template if m.id}
    assert len(ids) > 100, "the template lost its messages"
    missing = sorted(str(i) for i in ids if i not in chinese_po or not chinese_po[i].string)
    fuzzy = sorted(str(m.id) for m in chinese_po if m.id and m.fuzzy)
    stale = sorted(str(m.id) for m in chinese_po if m.id and m.id not in ids)
    assert not missing, f"{len(missing)} messages without Chinese (run `make messages`, then " \
                        f"translate them in {PO.relative_to(REPO)}): {missing[:5]}"
    assert not fuzzy, f"fuzzy (unchecked) translations: {fuzzy[:5]}"
    assert not stale, f"translations of messages the code no longer has: {stale[:5]}"


def fields(text: str) -> list:
    """The {placeholders} of a message, as str.format reads them."""
    return sorted(name for _, name, _, _ in string.Formatter().parse(text) if name is not None)


def test_translations_keep_every_placeholder():
    for m in catalog(PO):
        if not (m.id and m.string):
            continue
        ids = m.id if isinstance(m.id, tuple) else (m.id,)             # plural: (singular, plural)
        strings = m.string if isinstance(m.string, tuple) else (m.string,)
        for text in strings:                                             # Chinese: one plural form
            assert fields(text) == fields(ids[-1]), (m.id, m.string)


def test_the_template_has_every_marked_string_of_the_source():
    """`make messages` was run after the last marked string changed."""
    found = {message for _, _, message, *_ in babel_extract.extract_from_dir(
        str(REPO), method_map=[("nnkit/**.py", "python")],
        keywords={**babel_extract.DEFAULT_KEYWORDS, "N_": None, "figure_text": None})}
    in_template = {m.id for m in catalog(POT) if m.id}
    assert found - in_template == set(), "run `make messages`: new marked strings"
    assert in_template - found == set(), "run `make messages`: strings no longer in the code"


def test_the_compiled_catalog_matches_the_po_file():
    with open(MO, "rb") as f:
        compiled = gettext.GNUTranslations(f)
    for m in catalog(PO):
        if isinstance(m.id, tuple):                                      # a plural entry
            got = tuple(compiled.ngettext(*m.id, n) for n in range(1, 1 + len(m.string)))
            assert got == m.string, f"run `make messages`: {m.id!r} is stale"
        elif m.id:
            assert compiled.gettext(m.id) == m.string, f"run `make messages`: {m.id!r} is stale"


def test_the_catalogs_ship_with_the_package():
    text = (REPO / "pyproject.toml").read_text(encoding="utf-8")
    assert "locale/*/LC_MESSAGES/*.mo" in text


# ---- the switch --------------------------------------------------------------------------------

def test_set_language_switches_and_switches_back():
    assert nnkit.set_language("zh_CN.UTF-8") is None and nnkit.get_language() == "zh"
    assert i18n._("Check") == "检查"
    nnkit.set_language("en")
    assert nnkit.get_language() == "en" and i18n._("Check") == "Check"


@pytest.mark.parametrize("bad", ["fr", "", None, 3, "english please"])
def test_an_unknown_language_is_refused_naming_what_is_allowed(bad):
    with pytest.raises(ValueError, match=r"allowed: \['en', 'zh'\]"):
        nnkit.set_language(bad)
    assert nnkit.get_language() == "en"


@pytest.mark.parametrize("environ, expected", [
    ({}, "en"), ({"NNKIT_LANG": "zh"}, "zh"), ({"NNKIT_LANG": "en", "LANG": "zh_CN.UTF-8"}, "en"),
    ({"LANG": "zh_CN.UTF-8"}, "zh"), ({"LANG": "en_US.UTF-8"}, "en"),
    ({"LC_ALL": "zh_TW.UTF-8", "LANG": "en_US.UTF-8"}, "zh"), ({"LANGUAGE": "zh_CN:en"}, "zh")])
def test_the_default_comes_from_nnkit_lang_then_the_locale(environ, expected):
    assert i18n.default_language(environ) == expected


def test_a_misspelt_nnkit_lang_is_an_error():
    with pytest.raises(ValueError, match="NNKIT_LANG='cn'.*allowed"):
        i18n.default_language({"NNKIT_LANG": "cn"})


def test_exceptions_stay_english(zh):
    with pytest.raises(ValueError, match="must be at most"):
        from nnkit.plots import style
        style.class_colors(9)


# ---- what widgets and checkers show ------------------------------------------------------------

def test_a_diverging_run_is_diagnosed_in_chinese(zh):
    model = nnkit.Sequential([nnkit.layers.Dense(1, input_shape=(2,))])
    model.compile(optimizer=nnkit.optimizers.SGD(learning_rate=1e3), loss="mse")
    x = np.random.default_rng(0).normal(size=(32, 2))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        model.fit(x, x.sum(axis=1, keepdims=True), epochs=60, batch_size=8, verbose=0)
    said = [str(w.message) for w in caught if issubclass(w.category, nnkit.TrainingDiverged)]
    assert said, [str(w.message) for w in caught]
    assert said[0].startswith("损失在第 ") and "学习率 1000 对这个网络来说太大了" in said[0] \
        and "训练已停止" in said[0] and "试试更小的学习率，例如 0.03。" in said[0], said[0]


def test_the_neuron_explorer_speaks_chinese(zh):
    from nnkit.widgets import NeuronExplorer
    explorer = NeuronExplorer(w1=0.0, w2=0.0)
    def descriptions(box):
        for child in getattr(box, "children", ()):
            yield from descriptions(child)
        if getattr(box, "description", ""):
            yield box.description

    shown = list(descriptions(explorer.widget))
    assert {"激活函数 f", "权重 w₁", "权重 w₂", "偏置 b", "输入 x₁", "输入 x₂"} <= set(shown), shown
    assert "没有决策线" in explorer.message.value and "位于" in explorer.formula.value
    nnkit.set_language("en")
    assert NeuronExplorer().formula.value.count("lies") == 1


def test_the_quiz_speaks_chinese(zh):
    from nnkit.exercises.quizzes import lesson_01
    from nnkit.widgets import Quiz
    quiz = Quiz(lesson_01.QUIZ)
    i, q = next((i, q) for i, q in enumerate(quiz.session.questions) if hasattr(q, "options"))
    wrong = next(k for k in range(len(q.options)) if k != q.answer)
    feedback = quiz.answer(i, wrong)
    assert feedback.message.startswith("✗ 不是这个。") and "正确答案是" in feedback.message
    assert "得分" in quiz.score.value and "共 " in quiz.score.value
    assert quiz.inputs[i].value == wrong


def test_an_exercise_check_speaks_chinese(zh, capsys):
    from nnkit.exercises.feedback import Hint, checker

    @checker("a_test_exercise")
    def check_double(my_double):
        raise Hint("x")

    result = check_double(lambda v: 2 * v)
    assert not result and result.message.startswith("✗ 还不对 —— ")
    assert check_double(None).message.count("收到的是 None") == 1


# ---- figures -----------------------------------------------------------------------------------

def test_a_chinese_figure_has_every_glyph(zh):
    from nnkit.plots import fonts
    if fonts.cjk_font() is None:
        pytest.skip("no CJK font on this machine (apt-get install fonts-noto-cjk; binder/apt.txt "
                    "and .ci/run install it)")
    from nnkit.widgets import LossExplorer
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        explorer = LossExplorer()
        png = explorer.picture()
    missing = [str(w.message) for w in caught if "missing from" in str(w.message)]
    assert not missing, missing[:3]
    assert png and png[:4] == b"\x89PNG"
    texts = [t.get_text() for t in explorer.artists.ax.figure.findobj(
        lambda a: hasattr(a, "get_text"))]
    assert any("预测值 h" in t for t in texts), texts


def test_without_a_cjk_font_figures_stay_english_with_one_notice(zh, monkeypatch):
    from nnkit.plots import fonts
    monkeypatch.setattr(fonts, "cjk_font", lambda: None)
    monkeypatch.setitem(fonts._state, "warned", False)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        labels = [fonts.figure_text("prediction h"), fonts.figure_text("loss L")]
    assert labels == ["prediction h", "loss L"]
    notices = [w for w in caught if "no font with Chinese letters" in str(w.message)]
    assert len(notices) == 1
    assert i18n._("prediction h") == "预测值 h"      # the widgets' words are still Chinese


# ---- the Chinese lessons -----------------------------------------------------------------------

def code_without_comments(source: str) -> list:
    """The code's tokens without comments and blank lines (a comment may be translated)."""
    lines = [line for line in source.splitlines()
             if not line.lstrip().startswith(("%", "!"))]    # IPython magics: compared as text
    magics = [line.strip() for line in source.splitlines() if line.lstrip().startswith(("%", "!"))]
    skip = {tokenize.COMMENT, tokenize.NL, tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT,
            tokenize.ENDMARKER}
    tokens = [(t.type, t.string) for t in
              tokenize.generate_tokens(io.StringIO("\n".join(lines) + "\n").readline)
              if t.type not in skip]
    return magics + tokens


def code_cells(notebook) -> list:
    return [c for c in notebook.cells if c.cell_type == "code"]


def test_the_comment_stripping_sees_code_changes():
    assert code_without_comments("x = 1  # one\n") == code_without_comments("x = 1  # 一\n")
    assert code_without_comments("x = 1\n") != code_without_comments("x = 2\n")
    assert code_without_comments("print('a')") != code_without_comments("print('甲')")


@pytest.mark.parametrize("zh_path", ZH_LESSONS, ids=lambda p: p.name)
def test_a_chinese_lesson_has_its_english_twins_code(zh_path):
    twin = LESSONS / zh_path.name
    if not twin.exists():
        pytest.skip(f"{zh_path.name} has no English twin yet")
    zh_nb, en_nb = nbformat.read(zh_path, 4), nbformat.read(twin, 4)
    first, *zh_code = code_cells(zh_nb)
    assert zh_nb.cells[0] is first and first.source == FIRST_CELL
    en_code = code_cells(en_nb)
    assert len(zh_code) == len(en_code), \
        f"{len(zh_code)} code cells after the first, the English twin has {len(en_code)}"
    for n, (z, e) in enumerate(zip(zh_code, en_code), 1):
        assert code_without_comments(z.source) == code_without_comments(e.source), \
            f"code cell {n} differs from the English twin's:\n{z.source[:300]}"
        assert sorted(z.metadata.get("tags", [])) == sorted(e.metadata.get("tags", [])), \
            f"code cell {n}: tags differ"
    assert zh_nb.metadata.get("kernelspec", {}).get("name") == "python3"


def test_the_playground_speaks_chinese(zh):
    from nnkit.widgets import Playground
    pg = Playground(dataset="plane", learning_rate=10, presenter=False)
    try:
        captions = {c.description for c in pg.data_controls.controls.values()}
        captions |= {c.description for c in pg.training_controls.controls.values()}
        assert {"数据集", "噪声（%）", "学习率", "优化器", "批大小", "重新生成"} <= captions, captions
        assert pg.step_button.description == "单步" and pg.reset_button.description == "重置"
        assert ("平面（回归）", "plane") in pg.data_controls.dataset.options
        with pytest.warns(nnkit.TrainingDiverged):    # lr 10 on a regression: the loss blows up
            pg.train(5)
        assert pg.diverged and "训练已停止" in pg.status and "学习率" in pg.status, pg.status
        assert "第 " in pg.epoch_label.value and " 轮" in pg.epoch_label.value
        assert "测试损失" in pg.stats.value
    finally:
        pg.close()


def test_the_live_views_words_follow_the_language(zh):
    from nnkit.widgets.live.panels import panel_labels
    from nnkit.widgets.live.view import LIVE_LABELS, live_labels
    words = live_labels()
    assert set(words) == set(LIVE_LABELS)
    assert words["play"] == "播放" and words["epoch"] == "第 {epoch} 轮" and words["loss"] == "损失"
    assert panel_labels()["pause"] == "暂停"
    nnkit.set_language("en")
    assert live_labels()["play"] == "Play" and live_labels()["epoch"] == "Epoch {epoch}"
