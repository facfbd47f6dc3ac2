"""Attribution without a codebook: who is reported as saying or thinking what.

A CRF tagger (python-crfsuite) trained on PolNeAR finds, in each article,
attribution relations (source, cue, content character spans).
"""
from .evaluation import evaluate_attributions
from .polnear import read_polnear
from .tagger import AttributionTagger

__all__ = ["AttributionTagger", "evaluate_attributions", "read_polnear"]
