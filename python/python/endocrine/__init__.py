"""Endocrine feedback axes (male HPG, HPA, thyroid HPT) as ODE systems with drug dosing.

Python bindings of the Rust crate ``endocrine``: every function reads a scenario (the format
of ``docs/scenario.md``), runs the same code as the ``endocrine`` command line and returns a
pandas DataFrame whose columns are the CLI's CSV columns.

**Research and education only. Not medical advice.**

A *scenario* is any of

- a path (``str`` or :class:`os.PathLike`) to a ``.toml`` or ``.json`` scenario file,
- a TOML document as a string (any string with a newline or an ``=`` in it),
- a ``dict`` with the scenario schema (the JSON shape of the TOML document).

Bad input raises :class:`ValueError` with the same one-line message that the command line
prints after ``error:``.

>>> import endocrine
>>> df = endocrine.run('axis = "hpg"\\nduration = "2 d"\\noutput_every = "1 d"')
>>> list(df.columns[:3])
['time_h', 'lh_iu_l', 'fsh_iu_l']
"""

from __future__ import annotations

import json
import os
import warnings
from dataclasses import dataclass, field
from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple, Union

import numpy as np
import pandas as pd

from . import _endocrine

__all__ = [
    "run",
    "labs",
    "decisions",
    "cohort",
    "compare",
    "check",
    "fit",
    "propose",
    "percentiles",
    "percentile_columns",
    "Fit",
    "Proposal",
    "PERCENTILES",
    "SUBJECT_COLUMN",
    "Scenario",
]

__version__: str = _endocrine.__version__

#: Anything that names or holds a scenario: a path, a TOML string or a dict.
Scenario = Union[str, "os.PathLike[str]", Mapping[str, Any]]

#: The percentile levels of a cohort table, in column order (``_p5`` ... ``_p95``).
PERCENTILES: Tuple[float, ...] = tuple(_endocrine.percentile_levels())

#: The name of the subject-index column of per-subject cohort rows.
SUBJECT_COLUMN: str = _endocrine.SUBJECT_COLUMN


def _source(scenario: Scenario) -> Tuple[str, str, str]:
    """(kind, text, label) of a scenario for the compiled module."""
    if isinstance(scenario, Mapping):
        return "json", json.dumps(scenario), "<dict>"
    if isinstance(scenario, os.PathLike):
        path = os.fspath(scenario)
        return "path", path, path
    if isinstance(scenario, str):
        if "\n" in scenario or "=" in scenario:
            return "toml", scenario, "<toml>"
        return "path", scenario, scenario
    raise TypeError(
        "scenario: expected a path, a TOML string or a dict, "
        f"not {type(scenario).__name__}"
    )


def _table(columns: Sequence[Tuple[str, str, Any]]) -> pd.DataFrame:
    """A DataFrame from the compiled module's (name, dtype, payload) columns."""
    data: Dict[str, Any] = {}
    for name, dtype, payload in columns:
        if dtype == "str":
            data[name] = pd.Series(payload, dtype=object)
        else:
            data[name] = np.frombuffer(payload, dtype=np.dtype(dtype)).copy()
    return pd.DataFrame(data)


def _count(name: str, value: Optional[int]) -> Optional[int]:
    """`value` if it is None or a non-negative integer (a seed, a size, a shard index)."""
    if value is not None and (isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 0):
        raise ValueError(f"`{name}` = {value!r}: must be a non-negative integer")
    return None if value is None else int(value)


def _seed(value: int) -> int:
    """A seed: a non-negative integer."""
    checked = _count("seed", value)
    if checked is None:
        raise ValueError("`seed` = None: must be a non-negative integer")
    return checked


def _warn(note: Optional[str]) -> None:
    if note:
        warnings.warn(note, RuntimeWarning, stacklevel=3)


def run(scenario: Scenario, *, seed: int = 0) -> pd.DataFrame:
    """Simulate a scenario, like ``endocrine run SCENARIO``.

    Returns one row per output time (and a row before and after each bolus, sharing its
    ``time_h``): ``time_h`` and the axis's observables (``lh_iu_l``, ``total_t_ng_dl``, ...,
    or ``cortisol_ug_dl``, ... or ``tsh_miu_l``, ...), named as in the CLI's CSV.

    With ``[[titration]]`` rules the run is titrated on labs measured with assay noise from
    ``seed`` (the CLI's ``--seed``). A run that stops early returns the rows up to there
    and issues a :class:`RuntimeWarning` (the CLI's exit status 3).
    """
    kind, text, label = _source(scenario)
    columns, note = _endocrine.run(kind, text, label, _seed(seed))
    _warn(note)
    return _table(columns)


def labs(scenario: Scenario, *, seed: int = 0) -> pd.DataFrame:
    """The scenario's ``[[lab]]`` draws with assay noise, like ``endocrine run --labs``.

    Columns ``time_h``, ``assay``, ``value``, ``unit``, ``true_value``; the noise is seeded
    by ``seed``.
    """
    kind, text, _ = _source(scenario)
    return _table(_endocrine.labs(kind, text, _seed(seed)))


def decisions(scenario: Scenario, *, seed: int = 0) -> pd.DataFrame:
    """The titration decisions of the run, like ``endocrine run --decisions``.

    Columns ``rule``, ``time_h``, ``assay``, ``measured``, ``true_value``, ``unit``,
    ``old_amount``, ``new_amount``, ``amount_unit``, ``action``. Raises :class:`ValueError`
    if the scenario has no ``[[titration]]`` rule.
    """
    kind, text, label = _source(scenario)
    return _table(_endocrine.decisions(kind, text, label, _seed(seed)))


def cohort(
    scenario: Scenario,
    *,
    n: Optional[int] = None,
    seed: Optional[int] = None,
    subjects: bool = False,
    shard: Optional[int] = None,
    shards: Optional[int] = None,
) -> pd.DataFrame:
    """Simulate the scenario's ``[population]``, like ``endocrine cohort SCENARIO``.

    ``n`` and ``seed`` override the file (the CLI's ``--n``, ``--seed``).

    By default returns the percentiles per time: ``time_h`` and, per observable,
    ``<column>_p5``, ``_p25``, ``_p50``, ``_p75``, ``_p95``.

    With ``subjects=True`` returns per-subject rows instead: ``subject`` (the subject's
    index in the population, from 0), then ``time_h`` and the observables of each subject's
    trajectory. With ``shard=i, shards=k`` only block ``i`` of ``k`` nearly equal blocks of
    subjects is simulated. Subject ``j``'s parameters (and, titrated, its assay noise)
    depend on the seed and ``j`` only, so the shards of any split, concatenated, are exactly
    the rows of the unsplit run: a scheduler (Dask, Slurm, ...) can run them anywhere.
    Shards need ``subjects=True``, since percentiles of a shard are not those of the cohort
    (gather the rows, or per-subject summaries, and call :func:`percentiles`).

    With ``[[titration]]`` rules, ``df.attrs["titration"]`` lists per rule the share of the
    subjects in range at the first check and at the end of the run (true values). Subjects
    that stop early issue a :class:`RuntimeWarning`.
    """
    if (shard is None) != (shards is None):
        raise ValueError("`shard` and `shards` go together: give both or neither")
    if shard is not None and not subjects:
        raise ValueError(
            "`shard`: a shard gives per-subject rows only (subjects=True); "
            "the percentiles of a cohort need all its subjects"
        )
    n, seed = _count("n", n), _count("seed", seed)
    shard, shards = _count("shard", shard), _count("shards", shards)
    kind, text, _ = _source(scenario)
    split = None if shard is None or shards is None else (shard, shards)
    columns, shares, note = _endocrine.cohort(kind, text, n, seed, subjects, split)
    _warn(note)
    df = _table(columns)
    if shares:
        df.attrs["titration"] = [
            {
                "rule": rule,
                "n": count,
                "first_check_h": first,
                "end_check_h": end,
                "in_range_first_check": before,
                "in_range_end": after,
            }
            for rule, count, first, end, before, after in shares
        ]
    return df


def compare(
    a: Scenario,
    b: Scenario,
    *,
    labels: Optional[Tuple[str, str]] = None,
) -> pd.DataFrame:
    """Two scenarios' runs in one long table, like ``endocrine compare A B`` (which plots them).

    Columns ``scenario`` (the label of each run: the file stems, or ``"a"`` and ``"b"``
    for documents and dicts, or ``labels``), then the trajectory columns of :func:`run`.
    """
    frames = []
    for which, s in zip("ab", (a, b)):
        df = run(s)
        if labels is not None:
            name = labels[0 if which == "a" else 1]
        elif isinstance(s, (str, os.PathLike)) and _source(s)[0] == "path":
            name = os.path.splitext(os.path.basename(os.fspath(s)))[0]
        else:
            name = which
        df.insert(0, "scenario", name)
        frames.append(df)
    return pd.concat(frames, ignore_index=True)


def check(scenario: Scenario) -> None:
    """Validate a scenario without simulating it (``endocrine check``): raises
    :class:`ValueError` with the CLI's message if anything is wrong."""
    kind, text, _ = _source(scenario)
    _endocrine.check(kind, text)


@dataclass
class Fit:
    """An individual fit (``endocrine fit``): MAP estimate with population priors."""

    #: ``name``, ``prior_median``, ``estimate``, ``ci95_lo``, ``ci95_hi``, ... per parameter
    parameters: pd.DataFrame
    #: ``assay``, ``time_h``, ``measured``, ``predicted``, ``pi95_lo``, ``pi95_hi``, ... per row
    predictions: pd.DataFrame
    #: whether the optimiser converged (if not, a :class:`RuntimeWarning` was issued)
    converged: bool
    #: the optimiser's closing message
    message: str
    #: -2 log posterior at the estimate
    objective: float
    #: simulations used
    simulations: int
    #: the whole fit as the CLI's ``-o FIT.json``
    raw: Dict[str, Any] = field(repr=False)


@dataclass
class Proposal:
    """A dose proposal (``endocrine propose``)."""

    #: the proposed regimen: ``drug``, ``route``, ``amount``, ``every`` per dose line
    regimen: pd.DataFrame
    #: probability that every target holds at steady state, and its Monte Carlo error
    probability_in_target: float
    probability_se: float
    #: runners-up: ``rank``, ``probability_in_target``, ``within_label`` and the regimen text
    alternatives: pd.DataFrame
    #: the targets as given
    targets: List[str]
    #: notes of the search (e.g. outside the label)
    notes: List[str]
    #: the fit the proposal rests on
    fit: Fit
    #: the whole proposal as the CLI's ``-o PROPOSAL.json``
    raw: Dict[str, Any] = field(repr=False)


def _split_pairs(rows: List[Dict[str, Any]], key: str) -> pd.DataFrame:
    """Rows of dicts to a DataFrame, a two-element list `key` split into `key_lo`, `key_hi`."""
    out = []
    for r in rows:
        r = dict(r)
        pair = r.pop(key, None)
        if isinstance(pair, list) and len(pair) == 2:
            r[f"{key}_lo"], r[f"{key}_hi"] = pair
        out.append(r)
    return pd.DataFrame(out)


def _fit(raw: Dict[str, Any], label: str) -> Fit:
    f = Fit(
        parameters=_split_pairs(raw.get("parameters", []), "ci95"),
        predictions=_split_pairs(raw.get("predictions", []), "pi95"),
        converged=bool(raw.get("converged")),
        message=str(raw.get("message", "")),
        objective=float(raw.get("objective", float("nan"))),
        simulations=int(raw.get("simulations", 0)),
        raw=raw,
    )
    if not f.converged:
        warnings.warn(f"{label}: the fit did not converge: {f.message}", RuntimeWarning, stacklevel=3)
    return f


def fit(scenario: Scenario) -> Fit:
    """Fit the scenario's ``[[measured]]`` labs, like ``endocrine fit SCENARIO``.

    Returns a :class:`Fit`: ``parameters`` and ``predictions`` DataFrames (the columns of
    the CLI's JSON, 95 % intervals split into ``_lo`` and ``_hi``), and the whole JSON as
    ``raw``.
    """
    kind, text, label = _source(scenario)
    return _fit(json.loads(_endocrine.fit(kind, text)), label)


def _regimen_text(regimen: List[Dict[str, Any]]) -> str:
    return " + ".join(f"{d['drug']} {d['amount']} {d['route']} every {d['every']}" for d in regimen)


def propose(scenario: Scenario, targets: Sequence[str] = ()) -> Proposal:
    """Fit, then propose the regimen most likely to keep every target at steady state,
    like ``endocrine propose SCENARIO --target ...``.

    ``targets`` are windows over the whole steady-state interval, ``"ASSAY LO..HI UNIT"``
    (e.g. ``"total_t 400..800 ng/dL"``), added to the scenario's ``[propose] target`` (the
    CLI's ``--target``). Returns a :class:`Proposal`.
    """
    if isinstance(targets, str):
        targets = [targets]
    kind, text, label = _source(scenario)
    fit_json, proposal_json = _endocrine.propose(kind, text, list(targets))
    f = _fit(json.loads(fit_json), label)
    raw = json.loads(proposal_json)
    alternatives = pd.DataFrame(
        [
            {
                "rank": i + 1,
                "regimen": _regimen_text(a.get("regimen", [])),
                "probability_in_target": a.get("probability_in_target"),
                "within_label": a.get("within_label"),
            }
            for i, a in enumerate(raw.get("alternatives", []))
        ],
        columns=["rank", "regimen", "probability_in_target", "within_label"],
    )
    return Proposal(
        regimen=pd.DataFrame(raw.get("regimen", [])),
        probability_in_target=float(raw.get("probability_in_target", float("nan"))),
        probability_se=float(raw.get("probability_se", float("nan"))),
        alternatives=alternatives,
        targets=list(raw.get("targets", [])),
        notes=list(raw.get("notes", [])),
        fit=f,
        raw=raw,
    )


def percentiles(values: Any) -> np.ndarray:
    """The cohort percentiles (:data:`PERCENTILES`) of ``values``, by the same function as
    ``endocrine cohort`` (linear between closest ranks, Hyndman & Fan definition 7), so that
    percentiles gathered from shards equal those of the unsplit run bit for bit."""
    arr = np.ascontiguousarray(np.asarray(values, dtype=np.float64).ravel())
    return np.array(_endocrine.percentiles(arr.tobytes()))


def percentile_columns(columns: Sequence[str]) -> List[str]:
    """The cohort table's percentile column names of ``columns``: ``<column>_p5`` ... ``_p95``."""
    return list(_endocrine.percentile_columns(list(columns)))
