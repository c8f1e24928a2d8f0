"""The course's §4 example, run with nnkit: a multi-layer perceptron classifies iris flowers.

    python examples/iris_mlp.py

The statements in ``main`` are the course's, in its order, with three changes:

* the imports: ``from nnkit import layers, models`` replaces ``import tensorflow as tf`` and
  ``from tensorflow.keras import layers, models``;
* ``OneHotEncoder(sparse_output=False)`` instead of ``OneHotEncoder(sparse=False)``: scikit-learn
  1.2 renamed the argument and 1.4 removed the old name;
* ``models.Sequential(seed=seed)``: the one extra argument, so a run can be repeated exactly (the
  tests pass seeds 0 … 4). ``seed=None``, the default, draws a fresh seed, as the course's model does.
"""
from nnkit import layers, models
from sklearn.datasets import load_iris
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import OneHotEncoder


def main(seed=None):
    """Train the course's model on the iris data; return its test (loss, accuracy)."""
    # §4.1 data: 80 % to train, 20 % to test, labels one-hot encoded
    iris = load_iris()
    X, y = iris.data, iris.target
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=42)
    encoder = OneHotEncoder(sparse_output=False)     # the course's sparse=False (scikit-learn < 1.4)
    y_train = encoder.fit_transform(y_train.reshape(-1, 1))
    y_test = encoder.transform(y_test.reshape(-1, 1))

    # §4.2 the model: 4 inputs → 64 relu → 64 relu → 3 softmax
    model = models.Sequential(seed=seed)
    model.add(layers.Dense(64, input_shape=(4,), activation='relu'))
    model.add(layers.Dense(64, activation='relu'))
    model.add(layers.Dense(3, activation='softmax'))

    # §4.3 compile
    model.compile(optimizer='adam', loss='categorical_crossentropy', metrics=['accuracy'])

    # §4.4 train
    model.fit(X_train, y_train, epochs=100, batch_size=32)

    # §4.5 evaluate
    loss, accuracy = model.evaluate(X_test, y_test)
    print(f'Loss: {loss}, Accuracy: {accuracy}')
    return loss, accuracy


if __name__ == "__main__":
    main()
