"""Long outcome labels are shortened for display (sweep table, region-map legend), never in the data.

The full label of the challenger's attack in ``article5:n=12`` is built here from the model's outcome names
(one terminal per number of allies who fight, 0..12), independently of the sweep's code.
"""

from __future__ import annotations

import csv
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from deterrence.analysis.outcome_labels import MAX_PARTS, SEPARATOR, shorten_outcomes
from deterrence.cli import main


def attack(k):
    return f"attack; {k} {'ally fights' if k == 1 else 'allies fight'}"


FULL_ATTACK = " | ".join(attack(k) for k in range(13))


def test_a_long_label_keeps_its_first_and_last_outcome_and_counts_the_rest():
    short = shorten_outcomes([FULL_ATTACK, "none", "a | b | c"])
    assert short[FULL_ATTACK] == "attack; 0 allies fight | ... 11 more ... | attack; 12 allies fight"
    assert short["none"] == "none" and short["a | b | c"] == "a | b | c"          # MAX_PARTS = 3 outcomes: in full
    assert shorten_outcomes(["a | b | c | d | e"], max_parts=4)["a | b | c | d | e"] == "a | b | ... 2 more ... | e"


def test_labels_that_would_shorten_alike_are_shown_in_full():
    one, two = "a | b | c | z", "a | x | y | z"              # same first and last outcome, same count
    short = shorten_outcomes([one, two, "p | q | r | s"])
    assert short[one] == one and short[two] == two
    assert short["p | q | r | s"] == "p | ... 2 more ... | s"
    with pytest.raises(ValueError, match="max_parts"):
        shorten_outcomes([one], max_parts=1)


part = st.text(alphabet="abcxyz ;()0123", min_size=1, max_size=4).map(str.strip).filter(lambda s: s and "|" not in s)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(part, min_size=1, max_size=8), min_size=1, max_size=6), st.integers(2, 5))
def test_display_texts_are_distinct_and_account_for_every_outcome(groups, max_parts):
    labels = [SEPARATOR.join(g) for g in groups]
    short = shorten_outcomes(labels, max_parts=max_parts)
    assert set(short) == set(labels)
    assert len(set(short.values())) == len(short)              # no two labels displayed alike
    for lab, s in short.items():
        parts = lab.split(SEPARATOR)
        if s == lab:
            continue
        shown = s.split(SEPARATOR)
        assert len(parts) > max_parts and shown[-1] == parts[-1] and shown[:-2] == parts[:len(shown) - 2]
        more = int(shown[-2].split()[1])
        assert more + len(shown) - 1 == len(parts)             # shown + counted = every outcome of the label


def test_sweep_table_of_article5_with_twelve_allies_is_readable_and_data_keep_the_full_label(capsys, tmp_path):
    out_csv = tmp_path / "a5.csv"
    grid = ["--grid", "reliability=0.1:0.9:3"]
    assert main(["sweep", "article5:n=12", *grid, "--out", str(out_csv)]) == 0
    out = capsys.readouterr().out
    table = out.split("outcome ", 1)[1].split("P_attack")[0]
    assert "attack; 0 allies fight | ... 11 more ... | attack; 12 allies fight" in table
    assert "attack; 5 allies fight" not in table
    assert max(len(line) for line in table.splitlines()) < 120
    assert "--json and --out give them in full" in out
    with open(out_csv, newline="") as f:
        outcomes = {row["outcome"] for row in csv.DictReader(f)}
    assert FULL_ATTACK in outcomes                              # the written table keeps every outcome
    assert main(["sweep", "article5:n=12", *grid, "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert FULL_ATTACK in summary["outcomes"]


def test_labels_of_at_most_three_outcomes_are_printed_in_full(capsys):
    # article5:n=2: the attack reaches three outcomes (0, 1 or 2 allies fight), the most shown in full
    assert main(["sweep", "article5:n=2", "--grid", "reliability=0.1:0.9:3"]) == 0
    out = capsys.readouterr().out
    assert " | ".join(attack(k) for k in range(3)) in out
    assert "more ..." not in out and "shortened" not in out
