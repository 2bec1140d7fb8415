"""A network file item missing a required key is refused naming the file, the item, the missing key and the
keys the item needs, not with Python's "__init__() missing 1 required positional argument" text."""

from __future__ import annotations

import dataclasses

import pytest

from deterrence.errors import ModelFileError
from deterrence.io.network_file import loads_network
from deterrence.networks.treaty import Commitment, State

HEAD = """[network]
name = "t"
title = "t"
kind = "network"
attack = ["A", "B"]
source = "written in the test"

[[states]]
name = "A"
[[states]]
name = "B"
[[states]]
name = "C"
"""


def required(cls):
    return sorted(f.name for f in dataclasses.fields(cls)
                  if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING)


def test_a_commitment_without_a_name_names_the_missing_key_and_the_required_ones():
    text = HEAD + '\n[[commitments]]\nid = "c1"\nkind = "defence"\nparties = ["C", "B"]\n'
    with pytest.raises(ModelFileError) as err:
        loads_network(text, path="web.toml")
    msg = str(err.value)
    assert "web.toml" in msg and "commitments[0]" in msg
    assert "missing required key(s) ['name']" in msg
    assert f"a [[commitments]] item needs {required(Commitment)}" in msg
    assert "__init__" not in msg and "positional argument" not in msg


def test_a_state_without_a_name_names_the_missing_key():
    text = HEAD + '\n[[states]]\ncode = 2\n'
    with pytest.raises(ModelFileError, match=r"states\[3\].*missing required key\(s\) \['name'\]") as err:
        loads_network(text, path="web.toml")
    assert f"needs {required(State)}" in str(err.value)
