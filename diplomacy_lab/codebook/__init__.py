"""The codebook: actors and targets with the phrases that name them, compiled once into a matcher.

Modules: ``schema`` (load_codebook and validation), ``matcher`` (the compiled codebook),
``mentions`` (find_mentions: aliases, roles, dated roles, metonyms, speaker_only phrases, pronouns),
``speakers`` (is a speaker_only name the subject or speaker here?), ``coordination`` ("French and
British leaders"), ``anaphors`` ("the deal" after the deal was named), ``prefilter`` (texts that can
hold a target).
"""
