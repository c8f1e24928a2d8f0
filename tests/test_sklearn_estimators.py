"""nnkit.sklearn: estimators that pass scikit-learn's own checks and work in its tools."""
from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.datasets import load_iris
from sklearn.model_selection import GridSearchCV, cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.utils.estimator_checks import parametrize_with_checks

from nnkit.sklearn import NNClassifier, NNRegressor

# Checks expected to fail, and why (scikit-learn runs them and reports an xfail):
EXPECTED_FAILURES = {
    "check_sample_weight_equivalence_on_dense_data":
        "mini-batch training: a sample of weight 2 is not the same as the sample twice (the "
        "batches differ), as with any SGD-trained network",
    "check_sample_weight_equivalence_on_sparse_data":
        "nnkit takes dense arrays only",
}


# scikit-learn itself skips three checks here (pandas is not a dependency of nnkit; the
# array-API check needs SCIPY_ARRAY_API=1): check_sample_weights_pandas_series,
# check_dataframe_column_names_consistency and check_array_api_input.


def _expected(estimator):
    return EXPECTED_FAILURES


@parametrize_with_checks([NNClassifier(epochs=60), NNRegressor(epochs=60)],
                         expected_failed_checks=_expected)
def test_sklearn_estimator_checks(estimator, check):
    check(estimator)


def test_pipeline_grid_search_and_cross_validation():
    X, y = load_iris(return_X_y=True)
    pipe = make_pipeline(StandardScaler(), NNClassifier(hidden_layer_sizes=(16,), epochs=40))
    scores = cross_val_score(pipe, X, y, cv=3)
    assert scores.mean() >= 0.85
    search = GridSearchCV(pipe, {"nnclassifier__learning_rate": [0.0001, 0.03]}, cv=3)
    search.fit(X, y)
    assert search.best_params_ == {"nnclassifier__learning_rate": 0.03}
    assert search.score(X, y) >= 0.9


def test_clone_keeps_parameters_and_labels_may_be_strings():
    X, y = load_iris(return_X_y=True)
    names = np.array(["setosa", "versicolor", "virginica"])[y]
    model = clone(NNClassifier(hidden_layer_sizes=(8, 8), activation="tanh", epochs=30,
                                random_state=3))
    assert model.get_params()["hidden_layer_sizes"] == (8, 8)
    model.fit(StandardScaler().fit_transform(X), names)
    assert set(model.predict(StandardScaler().fit_transform(X))) <= set(names)
    assert model.model_.layers[0].activation.name == "tanh"


def test_regressor_fits_a_line():
    rng = np.random.default_rng(0)
    X = rng.uniform(-1, 1, size=(200, 2))
    y = 3 * X[:, 0] - X[:, 1]
    assert NNRegressor(epochs=100).fit(X, y).score(X, y) >= 0.95


def test_nnkit_imports_without_sklearn():
    code = ("import sys; import nnkit, nnkit.models, nnkit.layers; "
            "print('sklearn' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_the_seed_is_called_random_state_as_in_scikit_learn():
    X, y = load_iris(return_X_y=True)
    X = StandardScaler().fit_transform(X)
    params = NNClassifier().get_params()
    assert "random_state" in params and "seed" not in params
    first = NNClassifier(hidden_layer_sizes=(8,), epochs=5, random_state=7).fit(X, y)
    again = NNClassifier(hidden_layer_sizes=(8,), epochs=5, random_state=7).fit(X, y)
    other = NNClassifier(hidden_layer_sizes=(8,), epochs=5, random_state=8).fit(X, y)
    np.testing.assert_array_equal(first.predict_proba(X), again.predict_proba(X))
    assert not np.array_equal(first.predict_proba(X), other.predict_proba(X))
    assert first.model_.seed == 7
    assert NNRegressor(random_state=4).get_params()["random_state"] == 4


def test_one_class_message_prints_the_plain_label():
    X = np.arange(12.0).reshape(6, 2)
    with pytest.raises(ValueError, match=r"only one class, 0\.0\.") as err:
        NNClassifier(epochs=1).fit(X, np.zeros(6))
    assert "np.float64" not in str(err.value)
