"""Input and output: model files (TOML), Gambit exports and Gambit imports."""

from .gambit import to_efg, to_nfg, write_efg, write_nfg
from .gambit_read import parse_efg, parse_nfg, read_efg, read_gambit, read_gambit_model, read_nfg
from .claims_file import load_claims, loads_claims
from .model_file import dump, dumps, load, loads, save

__all__ = ["load", "loads", "dump", "dumps", "save", "to_efg", "to_nfg", "write_efg", "write_nfg",
           "read_efg", "read_nfg", "read_gambit", "read_gambit_model", "parse_efg", "parse_nfg", "load_claims",
           "loads_claims"]
