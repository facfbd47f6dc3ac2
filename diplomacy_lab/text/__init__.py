"""Text: sentences with offsets, the phrase language shared by codebooks and lexicons, KWIC and term counts.

Modules: ``sentences`` (Punkt splitting from packaged parameters), ``phrases`` (plain or
``re:`` phrases, apostrophes, compilation), ``guard`` (user regexes under a time limit), ``lexicons`` (strict YAML loading and validation),
``grammar`` (English word lists), ``kwic`` (keyword in context), ``terms`` (document-term counts).
"""
