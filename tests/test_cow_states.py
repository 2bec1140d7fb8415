"""The COW state list (States2016.csv layout) names the states of COW and ATOP alliance files.

Files are written here in COW's documented layout (State System Membership List v2016: stateabb, ccode,
statenme, styear, stmonth, stday, endyear, endmonth, endday, version); the package ships no state list.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from deterrence.cli import main
from deterrence.errors import ModelError, ModelFileError
from deterrence.io.alliance_data import read_atop_members
from deterrence.io.cow_states import read_cow_states

HEAD = "stateabb,ccode,statenme,styear,stmonth,stday,endyear,endmonth,endday,version"
STATES = [HEAD,
          "GMY,255,Germany,1816,1,1,1945,5,8,2016",
          "GMY,255,Germany,1990,10,3,2016,12,31,2016",
          "ITA,325,Italy,1816,1,1,1860,3,17,2016",          # Sardinia's code in COW, named Italy throughout
          "ITA,325,Italy,1861,3,17,2016,12,31,2016",
          "RUS,365,Russia,1816,1,1,1917,12,5,2016",
          "FRN,220,France,1816,1,1,1942,11,11,2016",
          "USA,2,United States of America,1816,1,1,2016,12,31,2016",
          'XYZ,999,"Name, with a comma",1900,1,1,2016,12,31,2016']
ATOP_HEAD = ("atopid,member,yrent,moent,dayent,yrexit,moexit,dayexit,phase,defense,offense,neutral,nonagg,"
             "consul,defcon,defconpr,defconum,defcoadv,defcoloc,defcocon,defcodem")
ATOP = [ATOP_HEAD,
        "1,255,1882,5,20,1915,5,4,1,1,0,0,0,0,1,1,0,0,0,0,0",
        "1,325,1882,5,20,1915,5,4,1,1,0,0,0,0,1,1,0,0,0,0,0",
        "1,300,1882,5,20,1915,5,4,1,1,0,0,0,0,1,1,0,0,0,0,0",
        "2,365,1894,1,4,1917,12,5,1,1,0,0,0,0,0,0,0,0,0,0,0",      # Franco-Russian, unconditional
        "2,220,1894,1,4,1917,12,5,1,1,0,0,0,0,0,0,0,0,0,0,0"]


def write(tmp_path, name, lines):
    p = tmp_path / name
    p.write_text("\n".join(lines) + "\n")
    return p


def test_reads_names_by_code(tmp_path):
    p = write(tmp_path, "States2016.csv", STATES)
    names = read_cow_states(p)
    assert names == {2: "United States of America", 220: "France", 255: "Germany", 325: "Italy", 365: "Russia",
                     999: "Name, with a comma"}
    assert read_cow_states(p, abbreviations=True)[255] == "GMY"
    # only ccode and statenme are required
    assert read_cow_states(write(tmp_path, "min.csv", ["ccode,statenme", "220,France"])) == {220: "France"}


def test_two_names_for_one_code_need_the_year(tmp_path):
    p = write(tmp_path, "s.csv", [HEAD, "SRB,345,Serbia,1878,7,13,1915,10,1,2016",
                                  "YUG,345,Yugoslavia,1918,12,1,2006,6,4,2016"])
    with pytest.raises(ModelFileError, match=r"s\.csv: code 345 has several names .*row 2: 'Serbia' \(1878-1915\)"
                                             r".*row 3: 'Yugoslavia'.*give the year"):
        read_cow_states(p)
    assert read_cow_states(p, 1914) == {345: "Serbia"}
    assert read_cow_states(p, 1950) == {345: "Yugoslavia"}
    with pytest.raises(ModelFileError, match="no single tenure .* covers 1916"):
        read_cow_states(p, 1916)


@pytest.mark.parametrize("lines,match", [
    (["stateabb,ccode,year,version", "USA,2,1816,2016"], r"row 1: no column 'statenme'.*system membership.*"
                                                          r"States2016\.csv"),
    (["stateabb,ccode", "USA,2"], r"row 1: missing column\(s\) \['statenme'\]"),
    ([HEAD, "GMY,x,Germany,1816,1,1,1945,5,8,2016"], r"row 2, column 'ccode': expected an integer"),
    ([HEAD, "GMY,-5,Germany,1816,1,1,1945,5,8,2016"], r"row 2, column 'ccode': .*non-negative"),
    ([HEAD, "GMY,255,,1816,1,1,1945,5,8,2016"], r"row 2, column 'statenme': empty state name for code 255"),
    ([HEAD, "GMY,255,Germany"], r"row 2: 3 fields, the header has 10"),
    ([HEAD], r"no state rows"),
    ([], r"row 1: missing column\(s\) \['ccode', 'statenme'\]"),
])
def test_bad_files_are_refused_naming_row_and_column(tmp_path, lines, match):
    p = write(tmp_path, "bad.csv", lines)
    with pytest.raises(ModelFileError, match=r"bad\.csv: " + match):
        read_cow_states(p)


def test_missing_file_and_bad_year(tmp_path):
    with pytest.raises(ModelFileError, match="cannot read"):
        read_cow_states(tmp_path / "none.csv")
    with pytest.raises(ModelError, match="year must be an integer"):
        read_cow_states(write(tmp_path, "s.csv", STATES), "1914")


def test_atop_states_get_their_names(tmp_path):
    names = read_cow_states(write(tmp_path, "States2016.csv", STATES), 1914)
    net = read_atop_members(write(tmp_path, "atop5_1m.csv", ATOP), 1914, names=names)
    # 300 is not in the list: it keeps the fallback label
    assert set(net.state_names) == {"Germany", "Italy", "state 300", "Russia", "France"}


def test_cli_cascade_names_option(tmp_path, capsys):
    atop = write(tmp_path, "atop5_1m.csv", ATOP)
    states = write(tmp_path, "States2016.csv", STATES)
    assert main(["cascade", str(atop), "--year", "1914", "--attack", "255:365", "--names", str(states),
                 "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["attack"] == ["Germany", "Russia"]
    assert {e["state"] for e in out["entries"]} == {"Germany", "Russia", "France"}
    assert out["provenance"]["names_file"] == str(states)
    assert main(["cascade", str(atop), "--year", "1914", "--attack", "255:365"]) == 0     # without: codes
    assert "state 220" in capsys.readouterr().out
    # --names on a network file, and a names file that is not a state list, are errors (exit 2)
    assert main(["cascade", "july_1914", "--names", str(states)]) == 2
    assert "--names applies to COW or ATOP data files" in capsys.readouterr().err
    assert main(["cascade", str(atop), "--year", "1914", "--attack", "255:365", "--names", str(atop)]) == 2
    assert "missing column" in capsys.readouterr().err


def test_the_package_ships_no_state_list():
    root = Path(__file__).resolve().parent.parent / "deterrence"
    shipped = [p for p in root.rglob("*") if p.is_file() and p.suffix.lower() in (".csv", ".tsv", ".txt")]
    assert not [p for p in shipped if "statenme" in p.read_text(errors="ignore")[:500].lower()]
