"""LaTeX of a parametric model's payoffs."""

from __future__ import annotations

from itertools import product

import numpy as np
import sympy

from .forms import SymbolicNormalForm, as_symbolic

__all__ = ["latex_payoffs"]


_TEX_SPECIAL = {"\\": r"\textbackslash{}", "_": r"\_", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#",
                "{": r"\{", "}": r"\}", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}"}


def _tex_text(label) -> str:
    """A label as LaTeX text mode (``\\text{...}``), special characters escaped."""
    return "\\text{" + "".join(_TEX_SPECIAL.get(ch, ch) for ch in str(label)) + "}"


def latex_payoffs(model) -> str:
    """LaTeX of a model's payoffs: a bimatrix-style array for a normal form, one line per terminal for a tree."""
    g = as_symbolic(model)
    if isinstance(g, SymbolicNormalForm):
        if len(g.players) != 2:
            rows = []
            for prof in product(*(range(len(a)) for a in g.actions)):
                lab = ", ".join(_tex_text(g.actions[i][a]) for i, a in enumerate(prof))
                vals = ", ".join(sympy.latex(g.payoffs[prof + (i,)]) for i in range(len(g.players)))
                rows.append(f"({lab}) &\\mapsto ({vals})")
            return "\\begin{aligned}\n" + " \\\\\n".join(rows) + "\n\\end{aligned}"
        r, c = g.actions
        head = " & ".join(_tex_text(a) for a in c)
        lines = [f"\\begin{{array}}{{l|{'c' * len(c)}}}", f" & {head} \\\\ \\hline"]
        for j, a in enumerate(r):
            cells = " & ".join(f"{sympy.latex(g.payoffs[j, k, 0])},\\; {sympy.latex(g.payoffs[j, k, 1])}"
                               for k in range(len(c)))
            lines.append(f"{_tex_text(a)} & {cells} \\\\")
        lines.append("\\end{array}")
        return "\n".join(lines)
    t = g.tree
    rows = []
    for v in np.flatnonzero(t.terminal >= 0):
        k = t.terminal[v]
        vals = ", ".join(sympy.latex(g.payoffs[k, i]) for i in range(t.n_players))
        rows.append(f"{_tex_text(t.outcomes[k])} \\; ({_tex_text(t.node_ids[v])}) &: ({vals})")
    return "\\begin{aligned}\n" + " \\\\\n".join(rows) + "\n\\end{aligned}"
