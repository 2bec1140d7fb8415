"""One result protocol, one batch rule, one tolerance, and errors that tell bugs from bad input."""

import numpy as np
import pytest

from deterrence.errors import CertificateError, ModelError, SolverError
from deterrence.games import NormalFormGame


# ---------------------------------------------------------------------- bugs versus bad input
def test_certificate_error_is_a_bug_not_bad_input():
    assert issubclass(CertificateError, RuntimeError)
    assert not issubclass(CertificateError, ModelError)
    assert not issubclass(CertificateError, ValueError)


def test_failed_certificate_raises_certificate_error():
    from deterrence.solve import certify

    pd = NormalFormGame.from_bimatrix([[3, 0], [5, 1]], [[3, 5], [0, 1]])
    # mutual cooperation in the prisoner's dilemma: each gains 2 by defecting
    with pytest.raises(CertificateError, match="regret 2"):
        certify(pd, [np.array([1.0, 0.0]), np.array([1.0, 0.0])])


@pytest.mark.parametrize("exc, code", [(CertificateError("internal check failed: regret 1"), 1),
                                       (SolverError("no such method"), 2)])
def test_cli_exit_code_tells_bug_from_bad_input(monkeypatch, capsys, exc, code):
    import deterrence.cli as cli

    def boom(args):
        raise exc

    monkeypatch.setattr(cli, "cmd_list", boom)
    monkeypatch.delenv("DETERRENCE_DEBUG", raising=False)
    assert cli.main(["list"]) == code
    err = capsys.readouterr().err
    assert str(exc) in err and len(err.strip().splitlines()) == 1


# ---------------------------------------------------------------------- names
def test_parametric_models_importable_from_the_package_and_games():
    import deterrence
    from deterrence import games
    from deterrence.games import parametric

    for name in ("ParametricModel", "ParametricNormalForm", "ParametricTree"):
        assert getattr(deterrence, name) is getattr(parametric, name)
        assert getattr(games, name) is getattr(parametric, name)
        assert name in deterrence.__all__ and name in games.__all__


def test_surviving_labels_deprecated_but_working():
    from deterrence.solve import iterated_elimination

    pd = NormalFormGame.from_bimatrix([[3, 0], [5, 1]], [[3, 5], [0, 1]], actions=[["C", "D"], ["C", "D"]])
    res = iterated_elimination(pd)
    with pytest.warns(DeprecationWarning, match="game.actions"):
        labels = res.surviving_labels()
    assert labels == res.game.actions == (("D",), ("D",))
