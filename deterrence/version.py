"""The package version (its own module, on the lowest floor, so that any layer can record it)."""

__version__ = "0.1.0"
