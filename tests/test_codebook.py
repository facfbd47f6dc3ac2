"""Tests for diplomacy_lab.codebook.schema: loading, checking and describing codebooks."""

from __future__ import annotations

import copy
import dataclasses
import re
from pathlib import Path

import pytest
import yaml

from diplomacy_lab.codebook.schema import (
    Actor,
    Codebook,
    CodebookError,
    Target,
    load_codebook,
    phrase_key,
    regex_source,
)
from diplomacy_lab.paths import data_dir

SEED_CODEBOOK = data_dir() / "codebooks" / "ukraine_2025.yaml"

# The shape the issue insists on, written as YAML.
ISSUE_YAML = """\
name: Issue example
actors: {meloni: {name: Giorgia Meloni, country: Italy, aliases: [Giorgia Meloni, Meloni]}}
targets: {troops_to_ukraine: {label: Sending troops to Ukraine, patterns: [boots on the ground]}}
"""


def minimal() -> dict:
    """A small valid codebook as a dict; tests change a copy of it."""
    return {
        "name": "test",
        "actors": {
            "meloni": {
                "name": "Giorgia Meloni",
                "country": "Italy",
                "gender": "female",
                "aliases": ["Giorgia Meloni", "Meloni"],
                "roles": ["Italian Prime Minister"],
            },
            "italy": {
                "name": "Government of Italy",
                "country": "Italy",
                "kind": "government",
                "aliases": ["Italian government"],
                "metonyms": ["Rome"],
            },
        },
        "targets": {
            "troops": {"label": "Troops to Ukraine", "patterns": ["reassurance force", "re:send(ing)? troops"]},
        },
    }


def error_of(data) -> str:
    with pytest.raises(CodebookError) as info:
        load_codebook(data)
    return str(info.value)


def write(tmp_path: Path, text: str, name: str = "codebook.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# --- loading ------------------------------------------------------------------


def test_seed_codebook_loads():
    cb = load_codebook(SEED_CODEBOOK)
    assert isinstance(cb, Codebook)
    assert cb.name
    meloni = cb.actors["meloni"]
    assert (meloni.id, meloni.name, meloni.country, meloni.kind, meloni.gender) == (
        "meloni", "Giorgia Meloni", "Italy", "person", "female",
    )  # fmt: skip
    assert "Meloni" in meloni.aliases and "Italian Prime Minister" in meloni.roles
    assert cb.actors["italy"].kind == "government" and "Rome" in cb.actors["italy"].metonyms
    assert cb.actors["nato"].kind == "organisation"
    troops = cb.targets["troops_to_ukraine"]
    assert troops.label and troops.description and len(troops.patterns) > 5
    assert all(isinstance(a, Actor) for a in cb.actors.values())
    assert all(isinstance(t, Target) for t in cb.targets.values())


def test_path_as_str_and_path_give_equal_codebooks():
    assert load_codebook(str(SEED_CODEBOOK)) == load_codebook(SEED_CODEBOOK)


def test_issue_example_yaml_and_dict(tmp_path):
    from_file = load_codebook(write(tmp_path, ISSUE_YAML))
    from_dict = load_codebook(yaml.safe_load(ISSUE_YAML))
    assert from_file == from_dict
    assert from_file.actors["meloni"].aliases == ("Giorgia Meloni", "Meloni")
    assert from_file.actors["meloni"].kind == "person" and from_file.actors["meloni"].gender is None
    assert from_file.targets["troops_to_ukraine"].patterns == ("boots on the ground",)
    assert from_file.targets["troops_to_ukraine"].description is None


def test_phrases_in_order_with_their_via():
    cb = load_codebook(minimal())
    assert cb.actors["meloni"].phrases == (
        ("Giorgia Meloni", "alias"), ("Meloni", "alias"), ("Italian Prime Minister", "role"),
    )  # fmt: skip
    assert cb.actors["italy"].phrases == (("Italian government", "alias"), ("Rome", "metonymy"))


def test_actor_with_only_roles_or_metonyms_needs_no_aliases():
    data = minimal()
    del data["actors"]["italy"]["aliases"]
    del data["actors"]["meloni"]["aliases"]
    cb = load_codebook(data)
    assert cb.actors["italy"].aliases == () and cb.actors["italy"].metonyms == ("Rome",)
    assert cb.actors["meloni"].roles == ("Italian Prime Minister",)


def test_phrases_are_stripped_and_spaces_collapsed():
    data = minimal()
    data["actors"]["meloni"]["aliases"] = ["  Giorgia \n Meloni "]
    assert load_codebook(data).actors["meloni"].aliases == ("Giorgia Meloni",)


def test_the_input_dict_is_not_changed():
    data = minimal()
    before = copy.deepcopy(data)
    load_codebook(data)
    assert data == before


def test_tables():
    cb = load_codebook(minimal())
    actors = cb.actors_table()
    assert list(actors.columns) == ["actor", "name", "country", "kind", "gender", "n_phrases"]
    assert actors["actor"].tolist() == ["meloni", "italy"]
    assert actors["n_phrases"].tolist() == [3, 2]
    assert actors["n_phrases"].dtype == "int64"
    assert actors["kind"].tolist() == ["person", "government"]
    targets = cb.targets_table()
    assert list(targets.columns) == ["target", "label", "description", "n_patterns"]
    assert targets.iloc[0].to_dict() | {"description": None} == {
        "target": "troops", "label": "Troops to Ukraine", "description": None, "n_patterns": 2,
    }  # fmt: skip


def test_seed_tables_count_every_phrase():
    cb = load_codebook(SEED_CODEBOOK)
    actors = cb.actors_table().set_index("actor")
    for actor in cb.actors.values():
        assert actors.at[actor.id, "n_phrases"] == len(actor.aliases) + len(actor.roles) + len(actor.metonyms)
    assert len(cb.targets_table()) == len(cb.targets)


def test_round_trips(tmp_path):
    cb = load_codebook(SEED_CODEBOOK)
    assert load_codebook(cb.to_dict()) == cb
    assert load_codebook(write(tmp_path, cb.to_yaml())) == cb
    assert hash(load_codebook(cb.to_dict())) == hash(cb)


def test_codebook_is_frozen():
    cb = load_codebook(minimal())
    with pytest.raises(dataclasses.FrozenInstanceError):
        cb.name = "other"
    with pytest.raises(dataclasses.FrozenInstanceError):
        cb.actors["meloni"].name = "other"


def test_phrase_key_normalises_case_space_and_apostrophes():
    assert phrase_key("Meloni’s  Government") == phrase_key("meloni's government") == "meloni's government"
    assert phrase_key("Prime\tMinister\n") == "prime minister"


def test_regex_source_is_case_insensitive_and_apostrophe_tolerant():
    rx = re.compile(regex_source("Starmer and Macron’s (plan|idea)"), re.IGNORECASE)
    assert rx.search("starmer and macron's idea")
    assert not rx.search("Starmer and Macron's ideas")  # must not end inside a word


# --- errors: each names the entry and the fix --------------------------------


def test_duplicate_actor_id_in_yaml(tmp_path):
    text = """\
name: dup
actors:
  meloni: {name: Giorgia Meloni, country: Italy, aliases: [Meloni]}
  macron: {name: Emmanuel Macron, country: France, aliases: [Macron]}
  meloni: {name: G. Meloni, country: Italy, aliases: [Giorgia Meloni]}
targets:
  truce: {label: Truce, patterns: [truce]}
"""
    path = write(tmp_path, text)
    with pytest.raises(CodebookError) as info:
        load_codebook(path)
    message = str(info.value)
    assert str(path) in message
    assert "actors" in message and "'meloni'" in message and "twice" in message
    assert "lines 3 and 5" in message
    assert "merge" in message or "rename" in message


def test_duplicate_target_id_and_duplicate_key_in_an_entry(tmp_path):
    targets = """\
name: dup
actors: {meloni: {name: Giorgia Meloni, country: Italy, aliases: [Meloni]}}
targets:
  truce: {label: Truce, patterns: [truce]}
  truce: {label: Ceasefire, patterns: [ceasefire]}
"""
    message = str(pytest.raises(CodebookError, load_codebook, write(tmp_path, targets)).value)
    assert "targets" in message and "'truce'" in message
    keys = """\
name: dup
actors:
  meloni:
    name: Giorgia Meloni
    country: Italy
    aliases: [Meloni]
    aliases: [Giorgia Meloni]
targets: {truce: {label: Truce, patterns: [truce]}}
"""
    message = str(pytest.raises(CodebookError, load_codebook, write(tmp_path, keys, "keys.yaml")).value)
    assert "actors.meloni" in message and "'aliases'" in message and "twice" in message


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        # empty lists
        (lambda d: d["actors"]["meloni"].update(aliases=[]), ["actors.meloni.aliases", "empty list"]),
        (lambda d: d["targets"]["troops"].update(patterns=[]), ["targets.troops.patterns", "empty list"]),
        # a string where a list is expected
        (lambda d: d["actors"]["meloni"].update(roles="Italian PM"), ["actors.meloni.roles", "must be a list, got a string", "['Italian PM']"]),
        (lambda d: d["targets"]["troops"].update(patterns="truce"), ["targets.troops.patterns", "must be a list, got a string"]),
        # bad regex: the regex and re's message
        (lambda d: d["targets"]["troops"]["patterns"].append("re:send(ing troops"), ["targets.troops.patterns[2]", "send(ing troops", "missing ), unterminated subpattern"]),
        (lambda d: d["actors"]["meloni"]["roles"].append("re:[Italian"), ["actors.meloni.roles[1]", "bad regular expression", "[Italian"]),
        (lambda d: d["targets"]["troops"]["patterns"].append("re:"), ["targets.troops.patterns[2]", "empty regular expression"]),
        (lambda d: d["targets"]["troops"]["patterns"].append("re:x*"), ["targets.troops.patterns[2]", "matches empty text"]),
        # unknown keys: the key and the allowed ones
        (lambda d: d.update(version=2), ["unknown key 'version'", "name, actors, targets"]),
        (lambda d: d["actors"]["meloni"].update(alias=["Meloni"]), ["actors.meloni", "unknown key 'alias'", "did you mean 'aliases'", "name, country, kind, gender, aliases, roles, metonyms"]),
        (lambda d: d["targets"]["troops"].update(pattern=["x"]), ["targets.troops", "unknown key 'pattern'", "label, description, patterns"]),
        # ids
        (lambda d: d["actors"].update(Macron=d["actors"].pop("meloni")), ["actors", "'Macron'", "not valid", "'macron'"]),
        (lambda d: d["actors"].update({"giorgia-meloni": d["actors"].pop("meloni")}), ["'giorgia-meloni'", "'giorgia_meloni'"]),
        (lambda d: d["targets"].update({"2troops": d["targets"].pop("troops")}), ["targets", "'2troops'", "starting with a letter"]),
        (lambda d: d["actors"].update({False: d["actors"].pop("meloni")}), ["actors", "YAML boolean", "quote it"]),
        # a phrase naming two actors
        (lambda d: d["actors"]["italy"]["metonyms"].append("Italian Prime Minister"), ["actors.italy.metonyms", "'Italian Prime Minister'", "actors.meloni"]),
        (lambda d: d["actors"]["italy"]["aliases"].append("meloni"), ["actors.italy.aliases", "actors.meloni"]),
        (lambda d: d["actors"]["meloni"]["roles"].append("Meloni"), ["actors.meloni", "listed twice", "aliases and roles"]),
        # empty phrases and values
        (lambda d: d["actors"]["meloni"]["aliases"].append(""), ["actors.meloni.aliases[2]", "empty phrase"]),
        (lambda d: d["targets"]["troops"]["patterns"].append("   "), ["targets.troops.patterns[2]", "empty phrase"]),
        (lambda d: d["actors"]["meloni"]["aliases"].append(2025), ["actors.meloni.aliases[2]", "2025", "not a string but int"]),
        (lambda d: d.update(name=""), ["name", "empty string"]),
        # required keys, kinds and types
        (lambda d: d.pop("targets"), ["top level", "missing required key(s) targets"]),
        (lambda d: d["actors"]["meloni"].pop("country"), ["actors.meloni", "missing required key(s) country"]),
        (lambda d: d["targets"]["troops"].pop("label"), ["targets.troops", "missing required key(s) label"]),
        (lambda d: d["actors"]["meloni"].pop("aliases") and d["actors"]["meloni"].pop("roles"), ["actors.meloni", "has no phrases", "add aliases"]),
        (lambda d: d.update(actors={}), ["actors", "is empty", "at least one actor"]),
        (lambda d: d.update(targets={}), ["targets", "is empty", "at least one target"]),
        (lambda d: d.update(actors=["meloni"]), ["actors", "must be a mapping", "got a list"]),
        (lambda d: d["actors"].update(meloni=None), ["actors.meloni", "must be a mapping", "None"]),
        (lambda d: d["actors"]["meloni"].update(kind="party"), ["actors.meloni.kind", "'party'", "person, government, organisation"]),
        (lambda d: d["actors"]["meloni"].update(gender="f"), ["actors.meloni.gender", "female, male"]),
        (lambda d: d["actors"]["meloni"].update(name=["Giorgia", "Meloni"]), ["actors.meloni.name", "must be a string", "list"]),
        (lambda d: d["targets"]["troops"].update(description=3), ["targets.troops.description", "must be a string"]),
    ],
)
def test_errors_name_the_entry_and_the_fix(change, expected):
    data = minimal()
    change(data)
    message = error_of(data)
    assert message.startswith("<dict>: ")
    for part in expected:
        assert part in message, f"{part!r} not in {message!r}"


def test_ambiguous_phrase_ignores_case_spaces_and_apostrophes():
    data = minimal()
    data["actors"]["meloni"]["aliases"].append("Meloni's  Government")
    data["actors"]["italy"]["aliases"].append("meloni’s government")
    message = error_of(data)
    assert "actors.italy.aliases" in message and "actors.meloni" in message


def test_the_same_pattern_may_serve_two_targets():
    data = minimal()
    data["targets"]["force"] = {"label": "A force", "patterns": ["reassurance force"]}
    cb = load_codebook(data)
    assert cb.targets["force"].patterns == cb.targets["troops"].patterns[:1]


def test_top_level_must_be_a_mapping(tmp_path):
    message = str(pytest.raises(CodebookError, load_codebook, write(tmp_path, "- name\n- actors\n")).value)
    assert "top level" in message and "must be a mapping" in message and "got a list" in message
    with pytest.raises(TypeError, match="YAML path or a dict"):
        load_codebook(["name", "actors"])


def test_missing_file():
    with pytest.raises(FileNotFoundError, match="no codebook file"):
        load_codebook("data/codebooks/no_such_codebook.yaml")


def test_yaml_syntax_error_names_the_file(tmp_path):
    path = write(tmp_path, "name: broken\nactors: {meloni: [unclosed\n")
    with pytest.raises(CodebookError) as info:
        load_codebook(path)
    message = str(info.value)
    assert str(path) in message and "not valid YAML" in message and "line" in message


def test_empty_file_and_not_utf8(tmp_path):
    assert "is empty" in str(pytest.raises(CodebookError, load_codebook, write(tmp_path, "# nothing\n")).value)
    path = tmp_path / "latin1.yaml"
    path.write_bytes("name: caf\xe9\n".encode("latin-1"))
    assert "UTF-8" in str(pytest.raises(CodebookError, load_codebook, path).value)


def test_codebook_error_is_a_value_error():
    assert issubclass(CodebookError, ValueError)


# --- facts (optional) -----------------------------------------------------------


def test_facts_are_optional_and_round_trip():
    assert load_codebook(minimal()).facts == {}
    data = minimal()
    data["facts"] = {"truce_30": {"label": "The 30-day ceasefire", "patterns": ["re:30-day (ceasefire|truce)"]}}
    cb = load_codebook(data)
    assert list(cb.facts) == ["truce_30"] and cb.facts["truce_30"].patterns == ("re:30-day (ceasefire|truce)",)
    assert load_codebook(cb.to_dict()) == cb and "facts:" in cb.to_yaml()
    assert cb.facts_table().to_dict("records") == [
        {"fact": "truce_30", "label": "The 30-day ceasefire", "description": None, "n_patterns": 1}
    ]


@pytest.mark.parametrize(
    "facts, expected",
    [
        ({}, ["facts", "is empty", "or remove the key"]),
        ({"truce": {"label": "T"}}, ["facts.truce", "missing required key(s) patterns"]),
        ({"truce": {"label": "T", "patterns": ["re:(unclosed"]}}, ["facts.truce.patterns[0]"]),
        ({"Truce": {"label": "T", "patterns": ["truce"]}}, ["facts", "'Truce'", "not valid"]),
    ],
)
def test_fact_errors_name_the_entry(facts, expected):
    data = minimal()
    data["facts"] = facts
    message = error_of(data)
    for part in expected:
        assert part in message, f"{part!r} not in {message!r}"


def test_seed_codebook_has_the_facts_coverage_compares():
    cb = load_codebook(data_dir() / "codebooks" / "ukraine_2025.yaml")
    assert {"ceasefire_30_day", "jeddah_talks", "paris_summit"} <= set(cb.facts)
