"""Olson and Zeckhauser's exploitation test on NATO 2024 (deterrence.cases.nato_burden_2024) against scipy.

The rank correlation and its p-value are checked against scipy.stats.spearmanr (an independent
implementation); the shipped shares against the reference sheet's transcription (NATO's June 2024
estimates, two agreeing secondary sources); the reader's errors name the file, the line and the column.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import spearmanr

from deterrence.cases.nato_burden_2024 import DATA_FILE, exploitation_test, load_table, spearman
from deterrence.errors import ModelError

#: shared/reference/arms_and_alliances.md (NATO, June 2024 release, via two agreeing secondary sources)
REFERENCE_SHARES = {
    "Poland": 4.12, "Estonia": 3.43, "United States": 3.38, "Latvia": 3.15, "Greece": 3.08, "Lithuania": 2.85,
    "Finland": 2.41, "Denmark": 2.37, "United Kingdom": 2.33, "Romania": 2.25, "North Macedonia": 2.22,
    "Norway": 2.20, "Bulgaria": 2.18, "Sweden": 2.14, "Germany": 2.12, "Hungary": 2.11, "Czechia": 2.10,
    "Türkiye": 2.09, "France": 2.06, "Netherlands": 2.05, "Albania": 2.03, "Montenegro": 2.02, "Slovakia": 2.00,
    "Croatia": 1.81, "Portugal": 1.55, "Italy": 1.49, "Canada": 1.37, "Belgium": 1.30, "Luxembourg": 1.29,
    "Slovenia": 1.29, "Spain": 1.28}


def test_the_table_holds_the_reference_shares_and_a_gdp_for_every_ally():
    rows = load_table()
    assert {r.country: r.defence_share_pct for r in rows} == REFERENCE_SHARES
    assert len({r.iso3 for r in rows}) == 31 and all(r.gdp_musd > 0 for r in rows)
    text = DATA_FILE.read_text(encoding="utf-8")
    assert "NY.GDP.MKTP.CD" in text and "2023" in text and "current US$" in text and "SECONDARY" in text


@pytest.mark.parametrize("exclude", [(), ("United States",)])
def test_exploitation_test_against_scipy(exclude):
    rows = [r for r in load_table() if r.country not in exclude]
    ref = spearmanr([r.gdp_musd for r in rows], [r.defence_share_pct for r in rows])
    t = exploitation_test(exclude=exclude)
    assert t.n == len(rows) == 31 - len(exclude)
    assert t.rho == pytest.approx(ref.statistic, abs=1e-12) and t.p_two_sided == pytest.approx(ref.pvalue, rel=1e-9)
    one = spearmanr([r.gdp_musd for r in rows], [r.defence_share_pct for r in rows], alternative="greater").pvalue
    assert t.p_one_sided == pytest.approx(one, rel=1e-9)
    assert abs(t.p_permutation - t.p_one_sided) < 0.03       # the distribution-free check agrees
    # what the 2024 data say: no positive rank correlation (the eastern flank spends the highest shares)
    assert not t.supported and t.rho < 0


def test_a_table_that_supports_the_hypothesis_is_reported_so():
    rows = load_table()
    by_size = sorted(rows, key=lambda r: r.gdp_musd)
    shares = sorted(r.defence_share_pct for r in rows)
    fake = [type(r)(r.country, r.iso3, s, r.gdp_musd) for r, s in zip(by_size, shares)]   # shares rise with size
    t = exploitation_test(fake)
    assert t.rho == pytest.approx(spearmanr([r.gdp_musd for r in fake], [r.defence_share_pct for r in fake])
                                  .statistic) and t.rho > 0.99 and t.supported


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 6), st.integers(0, 6)), min_size=3, max_size=25))
def test_spearman_with_ties_agrees_with_scipy(pairs):
    x, y = (np.array(v, float) for v in zip(*pairs))
    if np.ptp(x) == 0 or np.ptp(y) == 0:
        with pytest.raises(ModelError, match="constant"):
            spearman(x, y)
        return
    rho, two, one = spearman(x, y)
    ref = spearmanr(x, y)
    assert rho == pytest.approx(ref.statistic, abs=1e-12)
    if abs(rho) < 1 - 1e-12:
        assert two == pytest.approx(ref.pvalue, rel=1e-7, abs=1e-12)
    # rank invariance: a strictly increasing transform of x leaves rho unchanged
    assert spearman(np.exp(x), y)[0] == pytest.approx(rho, abs=1e-12)


HEADER = "country,iso3,defence_share_pct_2024,gdp_2023_musd\n"


@pytest.mark.parametrize("body,match", [
    ("A,AAA,2.0,10\nB,BBB,120,20\nC,CCC,1,30\n", r"line 3 \(B\): defence_share_pct_2024 must be a number in \(0, 100\)"),
    ("A,AAA,2.0,10\nB,BBB,1.5,-20\nC,CCC,1,30\n", r"line 3 \(B\): gdp_2023_musd must be a number > 0"),
    ("A,AAA,2.0,10\nA,BBB,1.5,20\nC,CCC,1,30\n", r"line 3: country 'A' is empty or listed twice"),
    ("A,AAA,2.0,10\nB,bb,1.5,20\nC,CCC,1,30\n", r"line 3: iso3 must be three capital letters"),
    ("A,AAA,2.0\n", r"line 2: expected 4 columns"),
    ("A,AAA,2.0,10\nB,BBB,x,20\nC,CCC,1,30\n", r"line 3 \(B\): defence_share_pct_2024 must be a number"),
    ("A,AAA,2.0,10\n", r"at least 3 allies"),
])
def test_bad_rows_name_the_file_line_and_column(tmp_path, body, match):
    f = tmp_path / "t.csv"
    f.write_text(HEADER + body, encoding="utf-8")
    with pytest.raises(ModelError, match=match) as info:
        load_table(f)
    assert str(f) in str(info.value)


def test_bad_header_missing_file_and_unknown_exclusion(tmp_path):
    f = tmp_path / "h.csv"
    f.write_text("country,gdp\nA,1\n", encoding="utf-8")
    with pytest.raises(ModelError, match="line 1: expected the header"):
        load_table(f)
    with pytest.raises(ModelError, match="cannot read"):
        load_table(tmp_path / "missing.csv")
    with pytest.raises(ModelError, match=r"\['Atlantis'\] not in the table"):
        exploitation_test(exclude=("Atlantis",))
