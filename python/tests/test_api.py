"""The Python API: the same scenarios, columns, numbers and error messages as the CLI."""

import io
import json
import math
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import endocrine
from conftest import DATA, SCENARIOS, SHORT, TE_WEEKLY_COHORT

# scenario.md, "CSV columns": the names are a contract other programs read.
HPG_COLUMNS = ["lh_iu_l", "fsh_iu_l", "total_t_ng_dl", "free_t_pg_ml", "e2_pg_ml"]
HPA_COLUMNS = ["crh_pg_ml", "acth_pg_ml", "cortisol_ug_dl", "free_cortisol_nmol_l"]
HPT_COLUMNS = ["tsh_miu_l", "ft4_ng_dl", "ft3_pg_ml", "total_t4_ug_dl", "total_t3_ng_dl"]


SHORT_DICT = {
    "axis": "hpg",
    "duration": "14 d",
    "output_every": "1 d",
    "dose": [
        {"drug": "testosterone_enanthate", "route": "im", "amount": "100 mg", "at": "8 h", "every": "7 d"}
    ],
}


def test_run_returns_the_contract_columns_for_each_axis():
    for name, columns in [
        ("te_200mg_weekly.toml", HPG_COLUMNS),
        ("cortisol_day_curve.toml", HPA_COLUMNS),
        ("levothyroxine_monotherapy_145ug.toml", HPT_COLUMNS),
    ]:
        df = endocrine.run(SCENARIOS / name)
        assert isinstance(df, pd.DataFrame)
        assert df.columns[0] == "time_h"
        assert set(columns) <= set(df.columns), name
        assert len(df) > 10 and np.isfinite(df[columns].to_numpy()).all()
        assert df["time_h"].is_monotonic_increasing


def test_a_path_a_toml_string_and_a_dict_are_the_same_scenario(tmp_path):
    path = tmp_path / "short.toml"
    path.write_text(SHORT)
    by_path = endocrine.run(path)
    pd.testing.assert_frame_equal(by_path, endocrine.run(str(path)), check_exact=True)
    pd.testing.assert_frame_equal(by_path, endocrine.run(SHORT), check_exact=True)
    pd.testing.assert_frame_equal(by_path, endocrine.run(SHORT_DICT), check_exact=True)
    json_path = tmp_path / "short.json"
    json_path.write_text(json.dumps(SHORT_DICT))
    pd.testing.assert_frame_equal(by_path, endocrine.run(json_path), check_exact=True)


def test_run_equals_the_cli_csv(cli):
    path = SCENARIOS / "te_200mg_weekly.toml"
    out = cli("run", path)
    assert out.returncode == 0, out.stderr
    csv = pd.read_csv(io.StringIO(out.stdout))
    df = endocrine.run(path)
    assert list(df.columns) == list(csv.columns)
    # the CSV keeps 10 significant digits
    np.testing.assert_allclose(df.to_numpy(), csv.to_numpy(), rtol=1e-9, atol=0)


def test_exogenous_testosterone_suppresses_lh():
    # The feedback loop (R1 in docs/validation.md): weekly TE lowers LH below its baseline.
    df = endocrine.run(SCENARIOS / "te_200mg_weekly.toml")
    assert df["lh_iu_l"].iloc[-1] < 0.5 * df["lh_iu_l"].iloc[0]


BAD = [
    ('axis = "hpx"', "`axis`"),
    (SHORT.replace('"100 mg"', '"-100 mg"'), "dose[0]"),
    (SHORT.replace("testosterone_enanthate", "testosterone_enantate"), "unknown drug"),
    ('axis = "hpg"\nduration = "14 d"\nunknown_key = 1', "unknown_key"),
]


@pytest.mark.parametrize("text,needle", BAD)
def test_bad_input_raises_value_error_naming_the_field(text, needle):
    with pytest.raises(ValueError) as e:
        endocrine.run(text)
    message = str(e.value)
    assert needle in message
    assert "\n" not in message


@pytest.mark.parametrize("text,needle", BAD)
def test_error_messages_are_the_cli_s(cli, tmp_path, text, needle):
    path = tmp_path / "bad.toml"
    path.write_text(text)
    out = cli("run", path)
    assert out.returncode == 1
    with pytest.raises(ValueError) as e:
        endocrine.run(path)
    assert out.stderr.strip() == f"error: {e.value}"


def test_a_missing_file_and_a_wrong_type_are_errors(tmp_path):
    with pytest.raises(ValueError, match="no_such_file.toml"):
        endocrine.run(str(tmp_path / "no_such_file.toml"))
    with pytest.raises(ValueError, match="extension"):
        endocrine.run("scenario.yaml")
    with pytest.raises(TypeError):
        endocrine.run(42)


def test_check_accepts_every_shipped_scenario_and_names_the_fault():
    paths = sorted(SCENARIOS.glob("*.toml"))
    assert paths, SCENARIOS
    for path in paths:
        endocrine.check(path)
    with pytest.raises(ValueError, match="`axis`"):
        endocrine.check('axis = "hpx"')


def test_labs_have_the_labs_csv_columns_and_seeded_noise():
    path = SCENARIOS / "levothyroxine_dose_change_recheck.toml"
    df = endocrine.labs(path, seed=3)
    assert list(df.columns) == ["time_h", "assay", "value", "unit", "true_value"]
    assert len(df) > 0 and df["assay"].map(type).eq(str).all()
    pd.testing.assert_frame_equal(df, endocrine.labs(path, seed=3))
    assert not df["value"].equals(endocrine.labs(path, seed=4)["value"])
    pd.testing.assert_series_equal(df["true_value"], endocrine.labs(path, seed=4)["true_value"])


def test_labs_equal_the_cli_labs_csv(cli, tmp_path):
    path = SCENARIOS / "levothyroxine_dose_change_recheck.toml"
    out_csv = tmp_path / "labs.csv"
    assert cli("run", path, "-o", tmp_path / "run.csv", "--labs", out_csv, "--seed", 5).returncode == 0
    csv = pd.read_csv(out_csv)
    df = endocrine.labs(path, seed=5)
    assert list(df.columns) == list(csv.columns)
    assert list(df["assay"]) == list(csv["assay"])
    np.testing.assert_allclose(df["value"], csv["value"], rtol=1e-5)


def test_decisions_follow_the_label_rule_and_need_a_rule():
    df = endocrine.decisions(SCENARIOS / "titration_androgel_1_62.toml", seed=1)
    assert list(df.columns) == [
        "rule", "time_h", "assay", "measured", "true_value", "unit",
        "old_amount", "new_amount", "amount_unit", "action",
    ]
    assert len(df) == 2  # the label's checks at day 14 and day 28
    # label: below 350 ng/dL up one step of 20.25 mg, above 750 down one, else keep
    for _, d in df.iterrows():
        expected = d.old_amount + 20.25 if d.measured < 350 else d.old_amount - 20.25 if d.measured > 750 else d.old_amount
        assert d.new_amount == pytest.approx(min(max(expected, 20.25), 81.0))
    with pytest.raises(ValueError, match="no \\[\\[titration\\]\\] rule"):
        endocrine.decisions(SHORT)


def test_cohort_percentile_table():
    df = endocrine.cohort(TE_WEEKLY_COHORT)
    assert df.columns[0] == "time_h"
    assert list(df.columns[1:6]) == [f"lh_iu_l_p{p}" for p in ("5", "25", "50", "75", "95")]
    assert list(df.columns[1:]) == endocrine.percentile_columns(
        [c for c in endocrine.run(TE_WEEKLY_COHORT.split("[population]")[0]).columns[1:]]
    )
    for c in HPG_COLUMNS:
        p = df[[f"{c}_p{q}" for q in ("5", "25", "50", "75", "95")]].to_numpy()
        assert (np.diff(p, axis=1) >= 0).all(), c
    # --n and --seed override the file
    assert not endocrine.cohort(TE_WEEKLY_COHORT, seed=22).equals(df)
    assert len(endocrine.cohort(TE_WEEKLY_COHORT, n=3, subjects=True)["subject"].unique()) == 3


def test_cohort_equals_the_cli_table(cli, tmp_path):
    path = tmp_path / "cohort.toml"
    path.write_text(TE_WEEKLY_COHORT)
    out = cli("cohort", path)
    assert out.returncode == 0, out.stderr
    csv = pd.read_csv(io.StringIO(out.stdout))
    df = endocrine.cohort(path)
    assert list(df.columns) == list(csv.columns)
    np.testing.assert_allclose(df.to_numpy(), csv.to_numpy(), rtol=0, atol=1e-6)  # CSV: 6 decimals


def test_cohort_argument_errors():
    with pytest.raises(ValueError, match="`shard` and `shards`"):
        endocrine.cohort(TE_WEEKLY_COHORT, subjects=True, shard=0)
    with pytest.raises(ValueError, match="subjects=True"):
        endocrine.cohort(TE_WEEKLY_COHORT, shard=0, shards=2)
    with pytest.raises(ValueError, match="`shards`"):
        endocrine.cohort(TE_WEEKLY_COHORT, subjects=True, shard=0, shards=12)  # > n = 11
    with pytest.raises(ValueError, match="`shard`"):
        endocrine.cohort(TE_WEEKLY_COHORT, subjects=True, shard=2, shards=2)
    with pytest.raises(ValueError, match="`shard`"):
        endocrine.cohort(TE_WEEKLY_COHORT, subjects=True, shard=-1, shards=2)
    with pytest.raises(ValueError, match="population.n"):
        endocrine.cohort(SHORT)


def test_compare_stacks_two_runs():
    df = endocrine.compare(SCENARIOS / "te_200mg_weekly.toml", SCENARIOS / "untreated_healthy.toml")
    assert list(df.columns[:2]) == ["scenario", "time_h"]
    assert list(df["scenario"].unique()) == ["te_200mg_weekly", "untreated_healthy"]
    a = df[df["scenario"] == "te_200mg_weekly"].drop(columns="scenario").reset_index(drop=True)
    pd.testing.assert_frame_equal(a, endocrine.run(SCENARIOS / "te_200mg_weekly.toml"))
    assert list(endocrine.compare(SHORT, SHORT_DICT, labels=("x", "y"))["scenario"].unique()) == ["x", "y"]


def test_fit_estimates_lie_in_their_intervals_and_predict_the_labs():
    f = endocrine.fit(DATA / "fit_te_weekly.toml")
    assert f.converged
    p = f.parameters
    assert {"name", "estimate", "prior_median", "ci95_lo", "ci95_hi"} <= set(p.columns)
    assert ((p.ci95_lo <= p.estimate) & (p.estimate <= p.ci95_hi)).all()
    pred = f.predictions
    assert list(pred["assay"]) == ["total_t"] * 3
    assert ((pred.pi95_lo <= pred.measured) & (pred.measured <= pred.pi95_hi)).all()


def test_fit_equals_the_cli_json(cli, tmp_path):
    out = tmp_path / "fit.json"
    assert cli("fit", DATA / "fit_te_weekly.toml", "-o", out).returncode == 0
    assert endocrine.fit(DATA / "fit_te_weekly.toml").raw == json.loads(out.read_text())


def test_fit_without_measured_rows_is_an_error():
    with pytest.raises(ValueError, match="measured"):
        endocrine.fit(SHORT)


def test_propose_searches_the_ladder_of_the_scenario(cli, tmp_path):
    target = "total_t 400..900 ng/dL"
    p = endocrine.propose(DATA / "fit_te_weekly.toml", [target])
    assert list(p.regimen.columns) == ["drug", "route", "amount", "every"]
    assert p.regimen["amount"].iloc[0] in {"50 mg", "75 mg", "100 mg", "125 mg"}
    assert 0.0 <= p.probability_in_target <= 1.0
    assert (p.alternatives["probability_in_target"] <= p.probability_in_target).all()
    assert p.targets == [target]
    out = tmp_path / "proposal.json"
    assert cli("propose", DATA / "fit_te_weekly.toml", "--target", target, "-o", out).returncode == 0
    assert p.raw == json.loads(out.read_text())


def test_propose_names_a_bad_target():
    with pytest.raises(ValueError, match=r"`target\[0\]\.low` = 900 ng/dL"):
        endocrine.propose(DATA / "fit_te_weekly.toml", ["total_t 900..400 ng/dL"])


def test_percentiles_are_hyndman_fan_type_7():
    # Definition 7: h = (n-1)p/100, linear between closest ranks; for 1..5 the 5th
    # percentile is 1 + 0.2 = 1.2 and the 95th 4 + 0.8 = 4.8.
    assert list(endocrine.percentiles([5, 3, 1, 4, 2])) == pytest.approx([1.2, 2, 3, 4, 4.8])
    x = np.random.default_rng(0).lognormal(size=101)
    np.testing.assert_allclose(endocrine.percentiles(x), np.percentile(x, endocrine.PERCENTILES), rtol=1e-12)
    assert all(math.isnan(v) for v in endocrine.percentiles([]))


def test_a_run_that_stops_early_warns(tmp_path):
    # A solver budget too small for the run: rows up to there, and a RuntimeWarning
    text = SHORT + "\n[solver]\nmax_steps = 5\n"
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        df = endocrine.run(text)
    assert any(issubclass(x.category, RuntimeWarning) for x in w)
    assert df["time_h"].iloc[-1] < 14 * 24


def test_negative_or_non_integer_counts_are_value_errors():
    for call in (
        lambda: endocrine.run(SHORT, seed=-1),
        lambda: endocrine.labs(SHORT, seed=1.5),
        lambda: endocrine.cohort(TE_WEEKLY_COHORT, n=-3),
        lambda: endocrine.cohort(TE_WEEKLY_COHORT, seed=True),
    ):
        with pytest.raises(ValueError, match="non-negative integer"):
            call()
