"""Save and load an :class:`AttributionTagger` as a crfsuite file plus JSON.

No pickle: ``attribution.crfsuite`` is crfsuite's own binary model format,
``attribution.json`` holds the estimator parameters, the feature version
and the provenance (data, split, annotator rule, date, dev scores).  The
shipped model lives in this package (``model/``) and is loaded once per
process by :func:`load_model` with no argument.

>>> tagger = load_model()
>>> tagger.get_params()["unit"] in ("paragraph", "sentence")
True
"""
from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from pathlib import Path

from .features import FEATURE_VERSION
from .tagger import AttributionTagger

MODEL_FILE = "attribution.crfsuite"
META_FILE = "attribution.json"


def save_model(tagger: AttributionTagger, directory, provenance: dict | None = None) -> Path:
    """Write ``tagger`` into ``directory``; returns the JSON path."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    (directory / MODEL_FILE).write_bytes(tagger.model_bytes_)
    meta = {"params": {k: v for k, v in tagger.get_params().items() if k != "verbose"},
            "feature_version": FEATURE_VERSION, "labels": list(tagger.labels_),
            "training_info": getattr(tagger, "training_info_", {}),
            "provenance": provenance or {}}
    path = directory / META_FILE
    path.write_text(json.dumps(meta, indent=2, default=str) + "\n", encoding="utf-8")
    return path


def read_model(model_bytes: bytes, meta: dict) -> AttributionTagger:
    """Tagger from crfsuite bytes and its JSON metadata (checks the feature version)."""
    if meta.get("feature_version") != FEATURE_VERSION:
        raise ValueError(f"model was trained with features v{meta.get('feature_version')}, "
                         f"this code computes v{FEATURE_VERSION}: retrain it "
                         f"(benchmarks/train_attribution.py)")
    tagger = AttributionTagger(**meta["params"])
    tagger.model_bytes_ = model_bytes
    tagger.labels_ = meta.get("labels", [])
    tagger.training_info_ = meta.get("training_info", {})
    tagger.provenance_ = meta.get("provenance", {})
    return tagger


def load_model(directory=None) -> AttributionTagger:
    """The tagger saved in ``directory``; the shipped one (cached) when None."""
    if directory is None:
        return _shipped()
    directory = Path(directory)
    if not (directory / MODEL_FILE).exists():
        raise FileNotFoundError(f"no {MODEL_FILE} in {directory}")
    meta = json.loads((directory / META_FILE).read_text(encoding="utf-8"))
    return read_model((directory / MODEL_FILE).read_bytes(), meta)


@lru_cache(maxsize=1)
def _shipped() -> AttributionTagger:
    folder = resources.files(__package__).joinpath("model")
    model = folder.joinpath(MODEL_FILE)
    if not model.is_file():
        raise FileNotFoundError("the shipped attribution model is missing "
                                "(run benchmarks/train_attribution.py)")
    meta = json.loads(folder.joinpath(META_FILE).read_text(encoding="utf-8"))
    return read_model(model.read_bytes(), meta)
