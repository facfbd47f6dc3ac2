"""Coverage: which outlets cover which actors, proposals and facts, and whose voice is heard.

Modules: ``volume`` (articles over time), ``attention`` (coverage matrices, attention over
time), ``shared`` (exclusive and shared coverage, cross-outlet duplicates), ``voices`` (reported
speech, voice share), ``reporting_verbs`` (how outlets introduce what actors said), ``sources``
(every attributed source from the learned attributions, codebook actors as a filter).
"""
