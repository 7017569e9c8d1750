"""Cohort shards (issue 17): any split, concatenated, is exactly the unsplit run, so a
scheduler can run the shards anywhere; percentiles gathered from them are the cohort's."""

import numpy as np
import pandas as pd
import pytest

import endocrine
from conftest import TE_WEEKLY_COHORT, titrated_cohort

TITRATED = titrated_cohort(5)


def union(scenario, shards, **kw):
    """The shards of a `shards`-way split, run in reverse order, concatenated by subject."""
    parts = [endocrine.cohort(scenario, subjects=True, shard=i, shards=shards, **kw) for i in reversed(range(shards))]
    return pd.concat(parts).sort_values("subject", kind="stable").reset_index(drop=True)


def test_per_subject_rows():
    rows = endocrine.cohort(TE_WEEKLY_COHORT, subjects=True)
    assert list(rows.columns[:2]) == [endocrine.SUBJECT_COLUMN, "time_h"]
    assert rows["subject"].dtype == np.int64
    assert list(rows["subject"].unique()) == list(range(11))
    per_subject = rows.groupby("subject").size()
    assert per_subject.nunique() == 1  # the same output grid for every subject (42 d, 1 d)
    assert per_subject.iloc[0] == 43
    # inter-individual variability: subjects differ
    assert rows.groupby("subject")["total_t_ng_dl"].last().nunique() == 11


@pytest.mark.parametrize("shards", [2, 3, 4, 11])
def test_any_split_gives_the_rows_of_the_unsplit_run(shards):
    whole = endocrine.cohort(TE_WEEKLY_COHORT, subjects=True)
    pd.testing.assert_frame_equal(union(TE_WEEKLY_COHORT, shards), whole, check_exact=True)


def test_shards_are_nearly_equal_contiguous_blocks():
    sizes = [endocrine.cohort(TE_WEEKLY_COHORT, subjects=True, shard=i, shards=4)["subject"].nunique() for i in range(4)]
    assert sorted(sizes) == [2, 3, 3, 3] and sum(sizes) == 11


def test_a_titrated_cohort_splits_the_same_way():
    whole = endocrine.cohort(TITRATED, subjects=True)
    pd.testing.assert_frame_equal(union(TITRATED, 3), whole, check_exact=True)


def test_a_titrated_cohort_reports_the_share_in_range():
    (share,) = endocrine.cohort(TITRATED).attrs["titration"]
    assert share["rule"] == 0 and share["n"] == 5
    # the label's first check is the pre-dose draw at day 14 (titration_androgel_1_62.toml)
    assert share["first_check_h"] == pytest.approx(14 * 24 + 8, abs=1)
    for key in ("in_range_first_check", "in_range_end"):
        assert share[key] in {k / 5 for k in range(6)}


def test_n_and_seed_overrides_split_the_same_way():
    whole = endocrine.cohort(TE_WEEKLY_COHORT, subjects=True, n=7, seed=99)
    pd.testing.assert_frame_equal(union(TE_WEEKLY_COHORT, 3, n=7, seed=99), whole, check_exact=True)


def test_percentiles_gathered_from_shards_equal_the_cohort_table_bit_for_bit():
    table = endocrine.cohort(TE_WEEKLY_COHORT)
    rows = union(TE_WEEKLY_COHORT, 3)
    columns = [c for c in rows.columns if c not in ("subject", "time_h")]
    gathered = []
    for t, g in rows.groupby("time_h", sort=True):
        gathered.append([t, *np.concatenate([endocrine.percentiles(g[c].to_numpy()) for c in columns])])
    gathered = pd.DataFrame(gathered, columns=["time_h", *endocrine.percentile_columns(columns)])
    assert list(gathered.columns) == list(table.columns)
    assert np.array_equal(gathered.to_numpy(), table.to_numpy())
