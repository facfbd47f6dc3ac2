"""Tests for diplomacy_lab.statements.vectors: static word-vector features of (text, target) pairs."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.utils import estimator_checks as checks

from diplomacy_lab.statements.classifier import StanceClassifier, load_model, save_model
from diplomacy_lab.statements.vectors import PairVectors, embed_texts

X = pd.DataFrame({
    "text": ["Italy backs the plan.", "France rejects the plan.", "Spain welcomes the sanctions.",
             "Poland condemns the sanctions.", "", "Italy backs the plan."],
    "target": ["troops", "troops", "sanctions", "sanctions", "troops", "aid"],
})


def test_embed_texts_is_unit_length_deterministic_and_zero_for_empty():
    v = embed_texts(["peace talks", "", "peace talks", "war"], dim=64)
    assert v.shape == (4, 64) and v.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(v[[0, 3]], axis=1), 1.0, rtol=1e-5)
    assert not v[1].any()
    np.testing.assert_array_equal(v[0], v[2])
    np.testing.assert_allclose(v[:1], embed_texts(["peace talks"], dim=64), rtol=1e-5, atol=1e-7)


@pytest.mark.parametrize(("features", "width"), [("pair", 4 * 64 + 1), ("text", 64), ("text_by_target", 3 * 64)])
def test_shapes_and_names(features, width):
    pv = PairVectors(features=features, dim=64).fit(X)
    out = pv.transform(X)
    assert out.shape == (len(X), width) == (len(X), pv.n_features_out_)
    assert len(pv.get_feature_names_out()) == width
    assert np.isfinite(out).all()


def test_pair_features_are_u_v_product_difference_and_cosine():
    pv = PairVectors(dim=64).fit(X)
    out = pv.transform(X)
    u, v = embed_texts(X["text"], 64), embed_texts(X["target"], 64)
    np.testing.assert_allclose(out[:, :64], u)
    np.testing.assert_allclose(out[:, 64:128], v)
    np.testing.assert_allclose(out[:, 128:192], u * v)
    np.testing.assert_allclose(out[:, 192:256], np.abs(u - v))
    np.testing.assert_allclose(out[:, 256], (u * v).sum(axis=1), rtol=1e-5)


def test_text_by_target_puts_the_vector_in_the_block_of_its_target_and_zeros_for_unseen():
    pv = PairVectors(features="text_by_target", dim=64).fit(X)
    assert pv.targets_ == ["aid", "sanctions", "troops"]
    new = pd.DataFrame({"text": ["Italy backs the plan.", "Italy backs the plan."], "target": ["aid", "unseen"]})
    out = pv.transform(new)
    u = embed_texts(["Italy backs the plan."], 64)[0]
    np.testing.assert_allclose(out[0, :64], u)
    assert not out[0, 64:].any() and not out[1].any()


def test_is_a_plain_estimator_clone_safe_and_checks_its_parameters():
    pv = PairVectors(features="text", dim=128)
    assert clone(pv).get_params() == {"features": "text", "dim": 128}
    checks.check_no_attributes_set_in_init("PairVectors", pv)
    checks.check_get_params_invariance("PairVectors", pv)
    with pytest.raises(ValueError, match="features must be one of"):
        PairVectors(features="mean").fit(X)
    with pytest.raises(ValueError, match="dim must be one of"):
        PairVectors(dim=100).fit(X)
    with pytest.raises(ValueError, match="vector_dim must be one of"):
        StanceClassifier(target_features="vectors", vector_dim=512).fit(X, ["a", "b"] * 3)
    fitted = PairVectors(dim=64).fit(X)
    assert not any(isinstance(v, np.ndarray) and v.size > 1000 for v in vars(fitted).values())  # no embedding table


@pytest.mark.parametrize("group", ["vectors", "text_vectors", ("interact", "target_vectors")])
def test_stance_classifier_with_vectors_saves_and_loads_without_the_embedding_table(tmp_path, group):
    y = ["support", "oppose", "support", "oppose", "oppose", "support"]
    model = StanceClassifier(target_features=group, vector_dim=64).fit(X, y)
    assert any(name.startswith(("vectors__", "text_vectors__", "target_vectors__")) for name in model.feature_names_out())
    path = save_model(model, tmp_path / "model.skops")
    assert path.stat().st_size < 1_000_000  # the 32,000 x 64 table (8 MB) is read from the package, not stored
    again = load_model(path)
    np.testing.assert_array_equal(again.predict_proba(X), model.predict_proba(X))
    np.testing.assert_array_equal(clone(model).fit(X, y).predict_proba(X), model.predict_proba(X))


def test_loading_the_vectors_leaves_the_root_logger_alone_and_needs_no_network(monkeypatch):
    import logging
    import socket

    from diplomacy_lab.statements import vectors

    def refuse(*args, **kwargs):
        raise AssertionError("the vectors tried to reach the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    vectors._wordllama.cache_clear()
    assert vectors._wordllama(128).embedding.shape == (32000, 128)
    assert root.handlers == handlers and root.level == level
