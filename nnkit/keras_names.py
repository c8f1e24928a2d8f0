"""Names across libraries: the Keras 1/2 keywords that Keras 3 renamed, and nnkit ↔ Keras ↔ PyTorch.

``refuse(where, kwargs)`` turns a keyword nnkit does not take into an error that names what to
write instead — the Keras 3 spelling for an old Keras name (``lr`` → ``learning_rate``), or the
nnkit way where nnkit differs from Keras on purpose.  ``NAME_MAP`` is the table the README's
"Names in nnkit, Keras and PyTorch" section is generated from (``python -m nnkit.keras_names``);
a test checks that every nnkit name in it exists.
"""
from __future__ import annotations

__all__ = ["RENAMED", "DIFFERENT", "refuse", "NAME_MAP", "name_map_markdown"]

#: Keras 1/2 keyword → its Keras 3 (and nnkit) spelling
RENAMED = {
    "lr": "learning_rate",
    "nb_epoch": "epochs",
    "nb_epochs": "epochs",
    "init": "kernel_initializer",
    "output_dim": "units",
    "W_regularizer": "kernel_regularizer",
    "decay": "a learning-rate schedule (nnkit: change optimizer.learning_rate in a callback)",
    "bias": "use_bias",
    "dropout_rate": "rate",
    "p": "rate",
    "samples_per_epoch": "steps_per_epoch (nnkit: every epoch is one pass over x)",
    "show_accuracy": "metrics=['accuracy'] in compile",
}

#: keywords Keras 3 takes that nnkit leaves out on purpose → the nnkit way
DIFFERENT = {
    "steps_per_epoch": "nnkit's epoch is always one pass over x; choose batch_size and epochs",
    "validation_steps": "nnkit validates on all of validation_data",
    "workers": "nnkit trains in one process",
    "use_multiprocessing": "nnkit trains in one process",
    "bias_initializer": "nnkit starts every bias at 0, as Keras does by default",
    "activity_regularizer": "regularize the weights with kernel_regularizer",
    "bias_regularizer": "regularize the weights with kernel_regularizer",
    "kernel_constraint": "nnkit has no constraints",
    "dtype": "give Sequential(dtype='float32') for the whole model",
    "run_eagerly": "nnkit always runs eagerly: it is plain NumPy",
    "jit_compile": "nnkit is plain NumPy; there is nothing to compile",
    "weighted_metrics": "nnkit's metrics are unweighted; sample_weight weights the loss",
    "loss_weights": "nnkit models have one output",
    "noise_shape": "nnkit's Dropout drops each value independently",
    "batch_input_shape": "give input_shape=(features,) without the batch axis",
    "sample_weight": "nnkit weights samples in fit only (fit(sample_weight=…, class_weight=…))",
    "reduction": "nnkit's losses are the mean over samples (Keras's default)",
}


def refuse(where: str, kwargs: dict) -> None:
    """Raise a TypeError for the first keyword in ``kwargs`` (those ``where`` did not take)."""
    if not kwargs:
        return
    key = next(iter(kwargs))
    if key in RENAMED:
        raise TypeError(f"{where} got {key}={kwargs[key]!r}: '{key}' is a Keras 1/2 name. "
                        f"Keras 3 and nnkit call it {RENAMED[key]}.")
    if key in DIFFERENT:
        raise TypeError(f"{where} got {key}=: Keras 3 takes it, nnkit does not on purpose — "
                        f"{DIFFERENT[key]}.")
    raise TypeError(f"{where} got an unexpected keyword argument {key!r}.")


#: (what it is, nnkit, Keras 3, PyTorch) — the nnkit column is checked against the code
NAME_MAP = [
    ("model as a stack of layers", "nnkit.models.Sequential", "keras.Sequential", "torch.nn.Sequential"),
    ("one sample's shape", "nnkit.layers.Input", "keras.Input", "(none: layers take in_features)"),
    ("fully connected layer", "nnkit.layers.Dense", "keras.layers.Dense", "torch.nn.Linear"),
    ("dropout", "nnkit.layers.Dropout", "keras.layers.Dropout", "torch.nn.Dropout"),
    ("flatten", "nnkit.layers.Flatten", "keras.layers.Flatten", "torch.nn.Flatten"),
    ("activation layer", "nnkit.layers.Activation", "keras.layers.Activation", "torch.nn.ReLU, …"),
    ("simple recurrent layer", "nnkit.layers.SimpleRNN", "keras.layers.SimpleRNN", "torch.nn.RNN"),
    ("LSTM", "nnkit.layers.LSTM", "keras.layers.LSTM", "torch.nn.LSTM"),
    ("2-D convolution (channels last)", "nnkit.layers.Conv2D", "keras.layers.Conv2D", "torch.nn.Conv2d (channels first)"),
    ("2-D max pooling", "nnkit.layers.MaxPooling2D", "keras.layers.MaxPooling2D", "torch.nn.MaxPool2d"),
    ("ReLU", "nnkit.activations.relu", "keras.activations.relu", "torch.nn.functional.relu"),
    ("sigmoid", "nnkit.activations.sigmoid", "keras.activations.sigmoid", "torch.sigmoid"),
    ("softmax", "nnkit.activations.softmax", "keras.activations.softmax", "torch.softmax"),
    ("mean squared error", "nnkit.losses.MeanSquaredError", "keras.losses.MeanSquaredError", "torch.nn.MSELoss"),
    ("binary cross-entropy on logits", "nnkit.losses.BinaryCrossentropy", "keras.losses.BinaryCrossentropy(from_logits=True)", "torch.nn.BCEWithLogitsLoss"),
    ("cross-entropy on logits, one-hot", "nnkit.losses.CategoricalCrossentropy", "keras.losses.CategoricalCrossentropy(from_logits=True)", "torch.nn.CrossEntropyLoss (probabilities)"),
    ("cross-entropy on logits, class numbers", "nnkit.losses.SparseCategoricalCrossentropy", "keras.losses.SparseCategoricalCrossentropy(from_logits=True)", "torch.nn.CrossEntropyLoss"),
    ("gradient descent", "nnkit.optimizers.SGD", "keras.optimizers.SGD", "torch.optim.SGD"),
    ("Adam", "nnkit.optimizers.Adam", "keras.optimizers.Adam", "torch.optim.Adam"),
    ("RMSprop", "nnkit.optimizers.RMSprop", "keras.optimizers.RMSprop", "torch.optim.RMSprop"),
    ("L2 penalty", "nnkit.regularizers.l2", "keras.regularizers.L2", "weight_decay= of the optimizer"),
    ("train", "nnkit.models.Sequential.fit", "Model.fit", "a loop: forward, loss.backward(), optimizer.step()"),
    ("one training step", "nnkit.models.Sequential.train_on_batch", "Model.train_on_batch", "optimizer.zero_grad(); loss.backward(); optimizer.step()"),
    ("output for inputs", "nnkit.models.Sequential.predict", "Model.predict", "model.eval(); model(x)"),
    ("gradients without a step", "nnkit.models.Sequential.gradients", "tf.GradientTape", "loss.backward(); p.grad"),
    ("stop early", "nnkit.callbacks.EarlyStopping", "keras.callbacks.EarlyStopping", "(write it in the loop)"),
    ("save the best model", "nnkit.callbacks.ModelCheckpoint", "keras.callbacks.ModelCheckpoint", "torch.save(model.state_dict())"),
    ("load a model", "nnkit.models.load_model", "keras.models.load_model", "torch.load + load_state_dict"),
    ("one-hot labels", "nnkit.utils.to_categorical", "keras.utils.to_categorical", "torch.nn.functional.one_hot"),
    ("seed everything", "nnkit.utils.set_random_seed", "keras.utils.set_random_seed", "torch.manual_seed"),
    ("scikit-learn classifier", "nnkit.sklearn.NNClassifier", "scikeras.wrappers.KerasClassifier", "skorch.NeuralNetClassifier"),
    ("scikit-learn regressor", "nnkit.sklearn.NNRegressor", "scikeras.wrappers.KerasRegressor", "skorch.NeuralNetRegressor"),
]


def name_map_markdown() -> str:
    """The README section's table, from ``NAME_MAP``."""
    rows = ["| what | nnkit | Keras 3 | PyTorch |", "|---|---|---|---|"]
    rows += [f"| {what} | `{nn}` | `{keras}` | {torch} |" for what, nn, keras, torch in NAME_MAP]
    return "\n".join(rows)


if __name__ == "__main__":
    print(name_map_markdown())
