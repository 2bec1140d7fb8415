"""Input and output: model files (TOML) and Gambit exports."""

from .gambit import to_efg, to_nfg, write_efg, write_nfg
from .model_file import dump, dumps, load, loads, save

__all__ = ["load", "loads", "dump", "dumps", "save", "to_efg", "to_nfg", "write_efg", "write_nfg"]
