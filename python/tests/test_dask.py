"""The Dask example (examples/dask_cohort.py) on a small LocalCluster: shards run in worker
processes and the gathered percentiles equal the single-process cohort table."""

import importlib.util
import subprocess
import sys

import numpy as np
import pytest

from conftest import EXAMPLES, TE_WEEKLY_COHORT, titrated_cohort

distributed = pytest.importorskip("dask.distributed")

EXAMPLE = EXAMPLES / "dask_cohort.py"


def load_example():
    spec = importlib.util.spec_from_file_location("dask_cohort", EXAMPLE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_cohort_on_dask_equals_the_single_process_run():
    example = load_example()
    columns = ["total_t_ng_dl", "lh_iu_l", "e2_pg_ml"]
    times_h = [0.0, 7 * 24.0, 21 * 24.0, 42 * 24.0]
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        with distributed.Client(cluster) as client:
            on_dask = example.cohort_on_dask(client, TE_WEEKLY_COHORT, 4, columns, times_h, n=13, seed=5)
            every_time = example.cohort_on_dask(client, TE_WEEKLY_COHORT, 3, columns)
    local = example.single_process(TE_WEEKLY_COHORT, columns, times_h, n=13, seed=5)
    assert list(on_dask.columns) == list(local.columns)
    assert list(on_dask["time_h"]) == times_h
    assert np.array_equal(on_dask.to_numpy(), local.to_numpy())
    assert np.array_equal(every_time.to_numpy(), example.single_process(TE_WEEKLY_COHORT, columns).to_numpy())


def test_a_titrated_cohort_on_dask_equals_the_single_process_run():
    # titrated: each subject's doses follow its own measured labs, and the table keeps the
    # before/after rows of every dose time (two rows with the same time_h)
    example = load_example()
    text = titrated_cohort(6)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None) as cluster:
        with distributed.Client(cluster) as client:
            on_dask = example.cohort_on_dask(client, text, 3, ["total_t_ng_dl"])
    local = example.single_process(text, ["total_t_ng_dl"])
    assert on_dask["time_h"].duplicated().any()
    assert np.array_equal(on_dask.to_numpy(), local.to_numpy())


def test_the_example_script_runs():
    out = subprocess.run(
        [sys.executable, str(EXAMPLE), "--n", "12", "--shards", "4", "--workers", "2"],
        capture_output=True, text=True, timeout=600,
    )
    assert out.returncode == 0, out.stderr
    assert "percentiles equal the single-process run" in out.stdout

