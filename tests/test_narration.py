"""Own words vs quoted words: the narration/quoted split and the framing functions' ``voice=``."""

from __future__ import annotations

import pandas as pd
import pytest

from diplomacy_lab.framing.fighting_words import fighting_words
from diplomacy_lab.framing.frames import frame_shares
from diplomacy_lab.framing.keyness import keyness
from diplomacy_lab.framing.naming import naming_variants
from diplomacy_lab.framing.tone import group_tone
from diplomacy_lab.statements.narration import narration_spans, select_voice
from diplomacy_lab.text.sentences import sentences


def spans_of(text: str, **options) -> list[tuple[str, str]]:
    table = narration_spans(pd.DataFrame({"doc_id": ["a"], "text": [text]}), **options)
    return [(h, t) for h, t in zip(table["how"], table["text"]) if h != "narration"]


def quoted_text(text: str) -> str:
    return select_voice(pd.DataFrame({"doc_id": ["a"], "text": [text]}), "quoted")["text"].iloc[0]


def test_a_quote_in_a_sentence():
    assert spans_of("Meloni said: “Italy will not send troops.” She left.") == \
        [("quote", "“Italy will not send troops.”")]
    assert spans_of('Peskov called it "a provocation by the West, nothing else" on Monday.') == \
        [("quote", '"a provocation by the West, nothing else"')]


def test_according_to_attributes_the_rest_of_the_sentence():
    assert spans_of("According to Peskov, the talks were useful.") == [("according_to", "the talks were useful.")]
    assert spans_of("The talks were useful, according to the Kremlin.") == [("according_to", "The talks were useful,")]
    assert spans_of("The talks, according to diplomats, were useful.") == [("according_to", "The talks,"),
                                                                          ("according_to", "were useful.")]


def test_a_quote_spanning_sentences_stays_quoted():
    text = "“We will not send troops. We never will. Never,” Meloni said. Then she left."
    assert spans_of(text) == [("quote", "“We will not send troops. We never will. Never,”")]
    # a quote left open closes at the end of its paragraph; a new paragraph that opens a quote continues it
    assert spans_of("“An unclosed quote.\nThe outlet writes this.") == [("quote", "“An unclosed quote.")]
    assert spans_of("“First paragraph of a quote.\n“Second paragraph,” she said.") == [
        ("quote", "“First paragraph of a quote."), ("short_quote", "“Second paragraph,”")]


def test_reported_speech_and_what_is_not():
    assert spans_of("Moscow has accused London of planning a military intervention.") == [
        ("reported_speech", "London of planning a military intervention.")]
    assert spans_of("Italy will not send troops, Meloni said.") == [("reported_speech", "Italy will not send troops")]
    assert spans_of("Talks were useful, said Dmitry Peskov.") == [("reported_speech", "Talks were useful")]
    assert spans_of("She worked with the United States to halt the war.") == []  # "States" is no speech verb
    assert spans_of("His comments angered Rome.") == []  # a noun after a determiner
    assert spans_of("Italy rejects the coalition, urges US-led peace efforts") == []
    assert spans_of("Moscow has accused London of planning a military intervention.", indirect=False) == []


def test_spans_cover_every_article_without_gaps(seed):
    spans = narration_spans(seed)
    for doc_id, text in zip(seed["doc_id"], seed["text"]):
        mine = spans[spans["doc_id"] == doc_id]
        assert mine["start"].iloc[0] == 0 and mine["end"].iloc[-1] == len(text)
        assert (mine["start"].iloc[1:].to_numpy() == mine["end"].iloc[:-1].to_numpy()).all()
        assert "".join(mine["text"]) == text
    assert set(spans["voice"]) == {"narration", "quoted"}


def test_select_voice_keeps_offsets_and_drops_empty_sentences(seed):
    sents = sentences(seed)
    quoted = select_voice(sents, "quoted", articles=seed)
    assert 0 < len(quoted) < len(sents) and quoted.attrs["dropped_sentences"] == len(sents) - len(quoted)
    full = sents.set_index(["doc_id", "sent_id"])["text"]
    for key, text in zip(zip(quoted["doc_id"], quoted["sent_id"]), quoted["text"]):
        assert len(text) == len(full[key])
    narration = select_voice(seed, "narration")
    assert (narration["text"].str.len() == seed["text"].str.len()).all()
    assert select_voice(seed, "all") is seed
    with pytest.raises(ValueError, match="voice must be one of"):
        select_voice(seed, "outlet")
    with pytest.raises(ValueError, match="needs articles="):
        select_voice(sents, "quoted")


def test_military_intervention_is_quoted_in_the_commentary(seed):
    lexicon = {"concepts": {"the_force": {"variants": {"military intervention": ["military intervention"],
                                                       "reassurance force": ["reassurance force"]}}}}
    counts = {}
    for voice in ("all", "narration", "quoted"):
        table = naming_variants(seed, lexicon, voice=voice)
        row = table[(table["outlet"] == "Commentary site") & (table["variant"] == "military intervention")]
        counts[voice] = int(row["mentions"].iloc[0])
    assert counts == {"all": 1, "narration": 0, "quoted": 1}


def test_framing_functions_take_voice(seed):
    all_frames = frame_shares(seed)
    narration = frame_shares(seed, voice="narration")
    quoted = frame_shares(seed, voice="quoted")
    per_outlet = lambda t: t.groupby("outlet")["sentences"].first()
    assert (per_outlet(narration) <= per_outlet(all_frames)).all()
    assert (per_outlet(quoted) < per_outlet(all_frames)).all()
    tone = group_tone(seed, voice="quoted")
    assert (tone["sentences"] < group_tone(seed)["sentences"]).all()
    with pytest.raises(ValueError, match="tone= holds scores of whole sentences"):
        group_tone(seed, tone=pd.DataFrame({"doc_id": [], "compound": []}), voice="quoted")
    rt = "Russian state-media repost"
    said_all = keyness(seed, "outlet", target=rt).set_index("term").loc["said", "count_target"]
    said_quoted = keyness(seed, "outlet", target=rt, voice="quoted").set_index("term")
    assert said_all >= 5 and ("said" not in said_quoted.index or said_quoted.loc["said", "count_target"] < said_all)
    fw = fighting_words(seed, "outlet", groups=(rt, [o for o in seed["outlet"].unique() if o != rt]), voice="narration")
    assert len(fw) > 0
    with pytest.raises(ValueError, match="name it text"):
        keyness(seed.rename(columns={"text": "body"}), "outlet", target=rt, text="body", voice="quoted")
