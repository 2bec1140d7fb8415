"""COW and ATOP alliance data read into networks, on small files written in their formats."""

from __future__ import annotations

import pytest

from deterrence.errors import ModelError, ModelFileError
from deterrence.io.alliance_data import read_atop_members, read_cow_dyadic, sniff_format
from deterrence.networks import cascade

COW_HEAD = ("version4id,ccode1,state_name1,ccode2,state_name2,dyad_st_day,dyad_st_month,dyad_st_year,"
            "dyad_end_day,dyad_end_month,dyad_end_year,left_censor,right_censor,defense,neutrality,"
            "nonaggression,entente,asymmetric,version")


def cow_file(tmp_path, *rows, head=COW_HEAD):
    p = tmp_path / "alliance_v4.1_by_dyad.csv"
    p.write_text("\n".join([head, *rows]) + "\n")
    return p


def test_cow_dyads_become_commitments_in_force_in_the_year(tmp_path):
    p = cow_file(tmp_path,
                 # Dual Alliance (defence, mutual), in force 1879-1918
                 "1,255,Germany,300,Austria-Hungary,7,10,1879,11,11,1918,0,0,1,0,0,0,0,4.1",
                 # Franco-Russian (defence, mutual), 1894-1917
                 "2,220,France,365,Russia,4,1,1894,3,3,1917,0,0,1,0,0,0,0,4.1",
                 # an entente ending before 1914 (not in the 1914 network)
                 "3,200,United Kingdom,220,France,8,4,1904,1,1,1910,0,0,0,0,0,1,0,4.1")
    net = read_cow_dyadic(p, 1914, great_powers=[255, 300, 220, 365])
    kinds = {c.id: c.kind for c in net.commitments}
    assert kinds == {"cow1_defence_255_300": "defence", "cow2_defence_220_365": "defence"}
    assert net.state(365).name == "Russia" and net.state("300").name == "Austria-Hungary"
    r = cascade(net, ("Russia", "Austria-Hungary"))
    # Germany defends Austria-Hungary against Russia (round 1); Russia, now attacked by Germany, brings
    # France in (round 2); the lapsed Anglo-French entente brings no one
    assert [(e.state, e.round) for e in r.entries] == [("Austria-Hungary", 0), ("Russia", 0), ("Germany", 1),
                                                         ("France", 2)]


def test_cow_dyad_repeated_for_several_treaties_and_missing_end_date(tmp_path):
    p = cow_file(tmp_path,
                 "10,2,USA,200,United Kingdom,4,4,1949,,,,0,1,1,0,0,0,0,4.1",          # NATO, no end date
                 "11,2,USA,200,United Kingdom,1,1,1951,,,,0,1,0,0,0,1,0,4.1")          # a second treaty
    net = read_cow_dyadic(p, 2000)
    assert sorted(c.kind for c in net.commitments) == ["consultation", "defence"]
    assert all(c.ends is None for c in net.commitments)        # in force at the end of the data


def test_cow_asymmetric_pledge_protects_one_way(tmp_path):
    p = cow_file(tmp_path, "20,2,USA,732,South Korea,1,10,1953,,,,0,1,1,0,0,0,1,4.1")
    net = read_cow_dyadic(p, 1960)
    (c,) = net.commitments
    assert c.parties == ("USA",) and c.protects == ("South Korea",)
    # South Korea attacked by a third state brings the USA in; the USA attacked does not bring South Korea in
    from deterrence.networks import AllianceNetwork, State
    world = AllianceNetwork(net.states + (State("North Korea", code=731),), net.commitments)
    assert "USA" in cascade(world, ("North Korea", "South Korea")).belligerents()
    assert "South Korea" not in cascade(world, ("North Korea", "USA")).belligerents()


def test_cow_year_outside_the_data_and_bad_rows(tmp_path):
    p = cow_file(tmp_path, "1,255,Germany,300,Austria-Hungary,7,10,1879,11,11,1918,0,0,1,0,0,0,0,4.1")
    with pytest.raises(ModelError, match="no alliance in force in 1950"):
        read_cow_dyadic(p, 1950)
    with pytest.raises(ModelError, match="year must be"):
        read_cow_dyadic(p, "1914")
    bad = cow_file(tmp_path, "1,255,Germany,x,Austria-Hungary,7,10,1879,11,11,1918,0,0,1,0,0,0,0,4.1")
    with pytest.raises(ModelFileError, match=r"row 2, column 'ccode2': expected an integer"):
        read_cow_dyadic(bad, 1914)
    short = cow_file(tmp_path, "1,255,Germany")
    with pytest.raises(ModelFileError, match="row 2: 3 fields"):
        read_cow_dyadic(short, 1914)
    nohead = cow_file(tmp_path, "1,2", head="version4id,ccode1")
    with pytest.raises(ModelFileError, match="missing column"):
        read_cow_dyadic(nohead, 1914)


ATOP_HEAD = ("atopid,member,yrent,moent,dayent,yrexit,moexit,dayexit,phase,defense,offense,neutral,nonagg,"
             "consul,defcon,defconpr,defconum,defcoadv,defcoloc,defcocon,defcodem")


def atop_file(tmp_path, *rows):
    p = tmp_path / "atop5_1m.csv"
    p.write_text("\n".join([ATOP_HEAD, *rows]) + "\n")
    return p


def test_atop_conditions_and_asymmetric_obligations(tmp_path):
    p = atop_file(tmp_path,
                  # a defence pact only if the ally did not provoke, both members bound
                  "1,255,1882,5,20,1915,5,4,1,1,0,0,0,0,1,1,0,0,0,0,0",
                  "1,325,1882,5,20,1915,5,4,1,1,0,0,0,0,1,1,0,0,0,0,0",
                  # a guarantee-like asymmetric pledge: 2 defends 200, 200 has no obligation; still in force
                  "2,2,1949,4,4,0,0,0,1,1,0,0,0,0,0,0,0,0,0,0,0",
                  "2,200,1949,4,4,0,0,0,1,0,0,0,0,1,0,0,0,0,0,0,0")
    net = read_atop_members(p, 1914, names={255: "Germany", 325: "Italy"})
    (c,) = net.commitments
    assert c.unprovoked and set(c.parties) == {"Germany", "Italy"}
    net = read_atop_members(p, 2000)
    byk = {c.kind: c for c in net.commitments}
    assert byk["defence"].parties == ("state 2",) and set(byk["defence"].protects) == {"state 2", "state 200"}
    assert byk["consultation"].parties == ("state 200",)


def test_atop_unmodelled_conditions_are_said(tmp_path):
    p = atop_file(tmp_path, "5,1,1950,1,1,0,0,0,1,1,0,0,0,0,1,0,0,1,1,0,0",
                  "5,2,1950,1,1,0,0,0,1,1,0,0,0,0,1,0,0,1,1,0,0")
    (c,) = read_atop_members(p, 1960).commitments
    assert "conditions not modelled: specific adversary, location" in c.terms


def test_atop_bad_rows(tmp_path):
    p = atop_file(tmp_path, "1,255,1882,5,20,1881,1,1,1,1,0,0,0,0,0,0,0,0,0,0,0")
    with pytest.raises(ModelFileError, match="row 2: exit"):
        read_atop_members(p, 1900)
    p = atop_file(tmp_path, "1,255,1882,5,20,0,0,0,1,1,0,0,0,0,0,0,0,0,0,0,0",
                  "1,255,1882,5,20,0,0,0,1,1,0,0,0,0,0,0,0,0,0,0,0")
    with pytest.raises(ModelFileError, match="member listed twice"):
        read_atop_members(p, 1900)


def test_sniff_format(tmp_path):
    assert sniff_format(cow_file(tmp_path)) == "cow"
    assert sniff_format(atop_file(tmp_path)) == "atop"
    other = tmp_path / "x.csv"
    other.write_text("a,b\n1,2\n")
    with pytest.raises(ModelFileError, match="not a COW dyadic or ATOP"):
        sniff_format(other)


def test_impossible_months_and_days_are_refused_with_their_column(tmp_path):
    # a month 13 or a day 32 is a malformed row, not a date to round to 1 January (0 or empty = unknown)
    p = cow_file(tmp_path, "1,255,Germany,300,Austria-Hungary,7,13,1879,11,11,1918,0,0,1,0,0,0,0,4.1")
    with pytest.raises(ModelFileError, match=r"row 2, column 'dyad_st_month': start month 13 is not a month"):
        read_cow_dyadic(p, 1914)
    p = cow_file(tmp_path, "1,255,Germany,300,Austria-Hungary,7,10,1879,32,11,1918,0,0,1,0,0,0,0,4.1")
    with pytest.raises(ModelFileError, match=r"row 2, column 'dyad_end_day': end day 32 is not a day"):
        read_cow_dyadic(p, 1914)
    p = atop_file(tmp_path, "1,255,1882,5,20,1915,-3,4,1,1,0,0,0,0,0,0,0,0,0,0,0")
    with pytest.raises(ModelFileError, match=r"row 2, column 'moexit': exit month -3 is not a month"):
        read_atop_members(p, 1900)
    # unknown parts of a date stay allowed: day 0 (ATOP) and an empty month (COW)
    p = cow_file(tmp_path, "1,255,Germany,300,Austria-Hungary,0,,1879,11,11,1918,0,0,1,0,0,0,0,4.1")
    (c,) = read_cow_dyadic(p, 1914).commitments
    assert c.signed == "1879-01-01"


def test_a_year_outside_the_data_states_the_years_the_alliances_cover(tmp_path):
    # the span runs from the first start to the last end, not over the start years only
    p = cow_file(tmp_path,
                 "1,255,Germany,300,Austria-Hungary,7,10,1879,11,11,1918,0,0,1,0,0,0,0,4.1",
                 "2,220,France,365,Russia,4,1,1894,3,3,1917,0,0,1,0,0,0,0,4.1")
    with pytest.raises(ModelError, match=r"no alliance in force in 1950 \(the file's alliances are in force "
                                         r"1879-1918\)"):
        read_cow_dyadic(p, 1950)
    p = atop_file(tmp_path, "1,255,1882,5,20,0,0,0,1,1,0,0,0,0,0,0,0,0,0,0,0",
                  "1,325,1882,5,20,0,0,0,1,1,0,0,0,0,0,0,0,0,0,0,0")
    with pytest.raises(ModelError, match=r"in force in 1850 \(the file's alliances are in force from 1882 on, "
                                         r"some with no end date\)"):
        read_atop_members(p, 1850)
    with pytest.raises(ModelError, match="the file has no alliance rows"):
        read_cow_dyadic(cow_file(tmp_path), 1914)
