"""A virtual cohort on Dask: shards run on the workers, per-shard summaries come back, and
the percentiles gathered from them equal the single-process ``endocrine.cohort`` table.

    python examples/dask_cohort.py [SCENARIO.toml] [--n 200] [--shards 8] [--workers 2]

Needs ``pip install "dask[distributed]"``. The example starts a ``LocalCluster`` on this
machine; on a real cluster pass a ``Client`` connected to its scheduler instead (see the
README, "Python: cohorts on Dask"): nothing else changes, because each shard needs only the
scenario text, the shard number and the shard count.

Why it is exact: subject *j*'s parameters (and, titrated, its assay noise) depend on the
seed and *j* alone, so the shards of any split hold exactly the subjects of the unsplit run.
A shard's summary is, per report time, each of its subjects' values of the chosen columns
(one number per subject, time and column, rather than the whole trajectories); the driver
concatenates the summaries and takes the percentiles with ``endocrine.percentiles``, the same
function (Hyndman & Fan definition 7) that ``endocrine cohort`` uses, so the result is equal
bit for bit. Percentiles cannot be merged from per-shard percentiles; per-subject values
can, and they stay small: 10**6 subjects x 10 times x 2 columns is 160 MB.

Research and education only. Not medical advice.
"""

from __future__ import annotations

import argparse
import os
from typing import Any, Mapping, Optional, Sequence, Union

import numpy as np
import pandas as pd

import endocrine

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_SCENARIO = os.path.join(HERE, "..", "..", "scenarios", "te_100mg_weekly_year.toml")

#: Scenarios are shipped to the workers as text (or a dict), never as a path: a worker on
#: another machine may not see the driver's files.
ScenarioText = Union[str, Mapping[str, Any]]


def shard_summary(
    scenario: ScenarioText,
    shard: int,
    shards: int,
    columns: Sequence[str],
    times_h: Optional[Sequence[float]],
    n: Optional[int] = None,
    seed: Optional[int] = None,
) -> pd.DataFrame:
    """Run shard ``shard`` of ``shards`` and keep, per subject, the values of ``columns`` at
    ``times_h`` (every output time if None): this is what travels back to the driver."""
    rows = endocrine.cohort(scenario, n=n, seed=seed, subjects=True, shard=shard, shards=shards)
    # the row's index in its subject's trajectory: every subject has the same output grid
    # (and, titrated, the same dose times, whose before/after rows share a `time_h`)
    rows.insert(1, "row", rows.groupby(endocrine.SUBJECT_COLUMN).cumcount())
    if times_h is not None:
        rows = rows[rows["time_h"].isin(list(times_h))]
    return rows[[endocrine.SUBJECT_COLUMN, "row", "time_h", *columns]].reset_index(drop=True)


def percentiles_from_summaries(parts: Sequence[pd.DataFrame], columns: Sequence[str]) -> pd.DataFrame:
    """The cohort table (``time_h``, ``<column>_p5`` ... ``_p95``) of the gathered summaries."""
    rows = pd.concat(parts, ignore_index=True)
    names = endocrine.percentile_columns(columns)
    table = []
    for _, group in rows.groupby("row", sort=True):
        values = [endocrine.percentiles(group[c].to_numpy()) for c in columns]
        table.append([group["time_h"].iloc[0], *np.concatenate(values)])
    return pd.DataFrame(table, columns=["time_h", *names])


def cohort_on_dask(
    client: Any,
    scenario: ScenarioText,
    shards: int,
    columns: Sequence[str] = ("total_t_ng_dl", "lh_iu_l"),
    times_h: Optional[Sequence[float]] = None,
    n: Optional[int] = None,
    seed: Optional[int] = None,
) -> pd.DataFrame:
    """Percentiles of ``columns`` at ``times_h`` over the cohort of ``scenario``, run as
    ``shards`` Dask tasks on ``client``'s cluster."""
    futures = [
        client.submit(shard_summary, scenario, i, shards, list(columns), times_h, n, seed, pure=False)
        for i in range(shards)
    ]
    parts = client.gather(futures)
    return percentiles_from_summaries(parts, columns)


def single_process(
    scenario: ScenarioText,
    columns: Sequence[str],
    times_h: Optional[Sequence[float]] = None,
    n: Optional[int] = None,
    seed: Optional[int] = None,
) -> pd.DataFrame:
    """The same table from one unsplit ``endocrine.cohort`` call, for comparison."""
    table = endocrine.cohort(scenario, n=n, seed=seed)
    if times_h is not None:
        table = table[table["time_h"].isin(list(times_h))]
    return table[["time_h", *endocrine.percentile_columns(columns)]].reset_index(drop=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("scenario", nargs="?", default=DEFAULT_SCENARIO)
    parser.add_argument("--n", type=int, default=200, help="subjects")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--shards", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()

    from dask.distributed import Client, LocalCluster

    with open(args.scenario, encoding="utf-8") as f:
        text = f.read()
    columns = ["total_t_ng_dl", "lh_iu_l"]
    times_h = [0.0, 4 * 7 * 24.0, 12 * 7 * 24.0, 26 * 7 * 24.0]
    with LocalCluster(n_workers=args.workers, threads_per_worker=1, dashboard_address=None) as cluster:
        with Client(cluster) as client:
            distributed = cohort_on_dask(client, text, args.shards, columns, times_h, args.n, args.seed)
    local = single_process(text, columns, times_h, args.n, args.seed)
    pd.set_option("display.width", 160)
    print(distributed.to_string(index=False, float_format=lambda v: f"{v:.4g}"))
    same = distributed.shape == local.shape and np.array_equal(distributed.to_numpy(), local.to_numpy())
    print(f"\n{args.n} subjects in {args.shards} shards on {args.workers} Dask workers: "
          f"percentiles {'equal' if same else 'DIFFER from'} the single-process run")
    if not same:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
