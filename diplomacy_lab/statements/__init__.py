"""Statements: who (actor) takes which stance on which proposal (target), with the evidence.

Modules: ``extract`` (extract_statements), ``holders`` (who holds a stance), ``cues`` (the
cue lexicon and CueStanceClassifier), ``classifier`` and ``features`` (the trainable
StanceClassifier), ``coding`` and ``evaluation`` (coding sheets and scores against gold),
``matrix`` (the actor x target stance matrix), ``dna`` (export for the Discourse Network Analyzer),
``narration`` (the outlet's own words vs the words it quotes or reports).
"""
