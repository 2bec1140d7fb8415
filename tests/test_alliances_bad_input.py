"""Bad input to the collective-defence functions and to the sweep's grid axes: a ModelError naming the
argument or parameter and the allowed range, never a bare numpy ValueError (issue 7, "Across the section")."""

from __future__ import annotations

import numpy as np
import pytest

from deterrence.alliances import coalition_distribution, collective_defence
from deterrence.errors import ModelError


@pytest.mark.parametrize("call, msg", [
    (lambda: collective_defence("abc"), r"reliability must be numbers in \[0, 1\], got 'abc'"),
    (lambda: collective_defence([0.5, None]), r"reliability must be finite numbers in \[0, 1\]"),
    (lambda: coalition_distribution([0.5], "high"), r"correlation must be numbers in \[0, 1\], got 'high'"),
    (lambda: collective_defence([0.5], war_cost="x"), r"war_cost must be numbers in \[0, inf\)"),
    (lambda: collective_defence([0.5, 1.2]), r"reliability must be <= 1 \(allowed range \[0, 1\]\), got 1\.2$"),
    (lambda: collective_defence([0.5], correlation=-0.25), r"correlation must be >= 0 \(allowed range \[0, 1\]\), got -0\.25$"),
    (lambda: collective_defence([0.5], value=0), r"value must be > 0 \(allowed range \(0, inf\)\), got 0$"),
    (lambda: collective_defence([0.5], war_cost=-1), r"war_cost must be >= 0 \(allowed range \[0, inf\)\), got -1$"),
    (lambda: collective_defence([0.5], correlation=np.nan), r"correlation must be finite numbers in \[0, 1\], got nan"),
])
def test_bad_values_name_the_argument_and_its_range(call, msg):
    with pytest.raises(ModelError, match=msg):
        call()


def test_batches_that_do_not_broadcast_are_refused_naming_the_shapes():
    p = np.full((2, 3), 0.6)                 # two points of three guarantors
    with pytest.raises(ModelError, match=r"correlation has shape \(3,\).*batch shape \(2,\)"):
        collective_defence(p, correlation=[0.1, 0.2, 0.3])
    with pytest.raises(ModelError, match=r"challenger_strength has shape \(4,\).*batch shape \(2,\)"):
        collective_defence(p, challenger_strength=[1.0, 2.0, 3.0, 4.0])
    with pytest.raises(ModelError, match=r"correlation has shape \(3,\).*batch shape \(2,\)"):
        coalition_distribution(p, [0.1, 0.2, 0.3])
    # shapes that broadcast still work: one correlation per point
    assert collective_defence(p, correlation=[0.0, 1.0]).collective_credibility.shape == (2,)


@pytest.mark.parametrize("axis, where", [
    ("reliability=0:1.5:4", r"upper end of 0:1\.5:4\): parameter 'reliability': value 1\.5 is outside its domain \[0, 1\]"),
    ("reliability=-0.5:1:3", r"lower end of -0\.5:1:3\): parameter 'reliability': value -0\.5 is outside its domain"),
    # a list of values keeps the position of the culprit in the list
    ("reliability=0,0.5,1.5", r"parameter 'reliability': value 1\.5 at batch index \(2,\) is outside its domain"),
])
def test_a_grid_axis_outside_the_domain_names_the_end_not_an_internal_index(axis, where, capsys):
    # the lo:hi:n form checked [lo, hi] as a two-element batch and reported 1.5 'at batch index (1,)', a position
    # that is not on the user's axis (1.5 is its fourth value)
    from deterrence.cli import main

    assert main(["sweep", "article5:n=3", "--grid", axis]) != 0
    err = capsys.readouterr().err
    assert "grid axis 'reliability'" in err
    import re
    assert re.search(where, err), err


@pytest.mark.parametrize("model, setting, message", [
    ("snyder_alliance_security_dilemma", "p_resolve=1.5", r"parameter 'p_resolve': value 1\.5 is outside its domain \[0, 1\]"),
    ("snyder_alliance_security_dilemma", "k=-1", r"parameter 'k': value -1\.0 is outside its domain \[0, inf\)"),
    ("snyder_alliance_security_dilemma", "blank_check=nan", r"parameter 'blank_check': value nan is outside its domain \[0, 1\]"),
    ("snyder_alliance_security_dilemma", "w_A=0", r"parameter 'w_A': value 0\.0 is outside its domain \(0, inf\)"),
    ("snyder_alliance_security_dilemma", "v_reluctant=1.5", r"constraint 'v_reluctant < w_D < v_resolved' violated"),
    ("chain_ganging", "theta=-0.1", r"parameter 'theta': value -0\.1 is outside its domain \[0, 1\]"),
    ("chain_ganging", "c=-0.2", r"parameter 'c': value -0\.2 is outside its domain \(0, inf\)"),
    ("chain_ganging", "lam=1", r"constraint '0 < lam < 1' violated"),
    ("article5:n=32", "correlation=1.01", r"parameter 'correlation': value 1\.01 is outside its domain \[0, 1\]"),
    ("article5:n=32", "defeat_cost=-1", r"parameter 'defeat_cost': value -1\.0 is outside its domain \[0, inf\)"),
])
def test_section_models_refuse_bad_parameters_naming_them_and_their_range(model, setting, message, capsys):
    import re

    from deterrence.cli import main

    assert main(["solve", model, "--set", setting]) != 0
    err = capsys.readouterr().err
    assert f"model {model!r}" in err and re.search(message, err), err
