"""Every documentation page is reachable from docs/index.md, and every example script is listed there (the
collective-defence, entrapment and chain-ganging pages of issue 7 were on disk but linked from nowhere in the
index)."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
INDEX = (ROOT / "docs" / "index.md").read_text(encoding="utf-8")


def test_every_docs_page_is_linked_from_the_index():
    linked = set(re.findall(r"\]\(([^)#\s]+\.md)\)", INDEX))
    pages = {p.relative_to(ROOT / "docs").as_posix() for p in (ROOT / "docs").rglob("*.md")} - {"index.md"}
    assert pages - linked == set(), "pages not linked from docs/index.md"
    assert linked - pages == set(), "links in docs/index.md to missing pages"


def test_every_example_script_is_listed_in_the_index():
    scripts = {p.name for p in (ROOT / "examples").glob("*.py")}
    listed = set(re.findall(r"`([a-z0-9_]+\.py)`", INDEX))
    assert scripts - listed == set(), "examples not listed in docs/index.md"
