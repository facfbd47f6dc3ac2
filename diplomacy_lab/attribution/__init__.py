"""Attribution without a codebook: who is reported as saying or thinking what.

A CRF tagger (python-crfsuite) trained on PolNeAR finds, in each article,
attribution relations: source, cue and content character spans, ``kind``
(direct / indirect / mixed / other) and ``confidence``.

>>> import pandas as pd
>>> arts = pd.DataFrame({"doc_id": ["d"], "text": ["According to the ministry, talks resume."]})
>>> attributions(arts)[["source_text", "cue_text", "content_text"]].values.tolist()
[['the ministry', 'According to', 'talks resume']]
"""
from .api import attributions, regions_near, write_attributions
from .evaluation import annotator_agreement, attribution_errors, evaluate_attributions, matched_content_scores
from .model import load_model, save_model
from .plots import plot_attribution_scores
from .polnear import read_polnear, read_polnear_annotators
from .rules import rule_attributions
from .tagger import AttributionTagger

__all__ = ["AttributionTagger", "annotator_agreement", "attribution_errors", "attributions", "evaluate_attributions",
           "load_model", "matched_content_scores", "plot_attribution_scores", "read_polnear", "read_polnear_annotators",
           "regions_near", "rule_attributions", "save_model", "write_attributions"]
