"""The codebook: actors and targets with the phrases that name them, compiled once into a matcher.

Modules: ``schema`` (load_codebook and validation), ``matcher`` (the compiled codebook),
``mentions`` (find_mentions: aliases, roles, metonyms, pronouns), ``coordination``
("French and British leaders"), ``prefilter`` (texts that can hold a target).
"""
