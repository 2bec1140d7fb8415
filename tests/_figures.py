"""What the tests of a command's figure check: it was written, or, without matplotlib, the output says why not."""

from __future__ import annotations

NO_MATPLOTLIB = "not drawn: plotting needs matplotlib"


def has_matplotlib() -> bool:
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        return False
    return True


def check_figure(reported: str, png, min_bytes: int = 20_000) -> None:
    """*reported* (the command's text output, or the ``figure`` field of its JSON) names the figure *png*,
    written and not trivially small; without matplotlib it says the figure was not drawn and why."""
    if not has_matplotlib():
        assert NO_MATPLOTLIB in reported, reported
        return
    assert str(png) in reported, reported
    assert png.stat().st_size > min_bytes, f"{png}: {png.stat().st_size} bytes"
