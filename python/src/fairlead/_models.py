"""What `explain` and `attributions` accept as a model, made into a file the CLI reads."""

from __future__ import annotations

import json
import os
from typing import Any, Union

import pandas as pd

from . import _binary
from ._errors import FairleadError

# The operator sets Fairlead's ONNX loader is tested with (fixtures/models/make_onnx_goldens.py).
_OPSET = {"": 17, "ai.onnx.ml": 3}

#: A model: a path to a model file (XGBoost JSON, LightGBM text, Fairlead linear JSON,
#: ONNX), ONNX bytes, an ``onnx.ModelProto``, or a fitted scikit-learn estimator or
#: pipeline (converted through skl2onnx).
ModelLike = Union[str, "os.PathLike[str]", bytes, Any]


def model_file(model: ModelLike, X: Any, folder: str) -> str:
    """A path to ``model`` as a file in ``folder`` (or its own path)."""
    if isinstance(model, (str, os.PathLike)):
        return _binary.path(model)
    if isinstance(model, (bytes, bytearray, memoryview)):
        return _write(bytes(model), folder)
    if hasattr(model, "SerializeToString") and hasattr(model, "graph"):
        return _write(model.SerializeToString(), folder)
    if _is_sklearn(model):
        return _write(_from_sklearn(model, X), folder)
    raise TypeError(
        f"a model is a path to a model file, ONNX bytes, an onnx.ModelProto or a fitted scikit-learn "
        f"estimator; found {type(model).__name__}"
    )


def _write(data: bytes, folder: str) -> str:
    path = os.path.join(folder, "model.onnx")
    with open(path, "wb") as file:
        file.write(data)
    return path


def _is_sklearn(model: Any) -> bool:
    return any(cls.__module__.split(".")[0] == "sklearn" for cls in type(model).__mro__)


def _from_sklearn(model: Any, X: Any) -> bytes:
    try:
        from onnx import helper
        from skl2onnx import to_onnx
        from skl2onnx.common.data_types import FloatTensorType, StringTensorType
    except ImportError:
        raise FairleadError(
            f"a scikit-learn {type(model).__name__} is read through ONNX: pip install skl2onnx "
            f"(or save the model as ONNX yourself and pass its path)",
            2,
        ) from None
    names = [str(name) for name in getattr(model, "feature_names_in_", [])]
    if not names:
        if not isinstance(X, pd.DataFrame):
            raise FairleadError("the scikit-learn model was fitted without column names; pass X as a DataFrame "
                                "whose columns are its features, in order", 2)
        names = [str(column) for column in X.columns][: getattr(model, "n_features_in_", len(X.columns))]
    final = model.steps[-1][1] if hasattr(model, "steps") else model
    options = {id(final): {"zipmap": False}} if hasattr(final, "predict_proba") else None
    textual = isinstance(X, pd.DataFrame) and any(
        not pd.api.types.is_numeric_dtype(X[name].dtype) for name in names if name in X.columns)
    if textual:
        # One named input per column, as a ColumnTransformer over a DataFrame expects;
        # Fairlead matches each input to its CSV column by name.
        types = [(name, StringTensorType([None, 1]) if not pd.api.types.is_numeric_dtype(X[name].dtype)
                  else FloatTensorType([None, 1])) for name in names]
        proto = to_onnx(model, initial_types=types, target_opset=_OPSET, options=options)
    else:
        proto = to_onnx(model, initial_types=[("X", FloatTensorType([None, len(names)]))], target_opset=_OPSET,
                        options=options)
        # One [N, p] input: Fairlead names its columns from this property.
        helper.set_model_props(proto, {"feature_names": json.dumps(names)})
    data: bytes = proto.SerializeToString()
    return data
