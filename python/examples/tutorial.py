"""A first session with ``endocrine`` from Python: one patient, a cohort, a comparison.

    python examples/tutorial.py            # prints the numbers; with matplotlib, also
                                           # writes tutorial.png (pip install matplotlib)

Each step is a plain function call that returns a pandas DataFrame with the columns of the
command line's CSV (units in the names). Research and education only. Not medical advice.
"""

import os
from typing import Any, Dict

import endocrine

# 1. A scenario can be a file, a TOML string or a dict with the same shape. Here: a healthy
#    man starts testosterone enanthate 100 mg im weekly; 12 weeks of treatment, then 8 off.
dose: Dict[str, Any] = {"drug": "testosterone_enanthate", "route": "im", "amount": "100 mg",
                        "at": "8 h", "every": "7 d", "count": 12}
scenario: Dict[str, Any] = {
    "axis": "hpg",
    "duration": "20 wk",
    "output_every": "6 h",
    "dose": [dose],
}
run = endocrine.run(scenario)
print(run[["time_h", "total_t_ng_dl", "lh_iu_l", "fsh_iu_l"]].iloc[::56].to_string(index=False))

# The feedback loop: exogenous testosterone suppresses LH while it is given, and LH returns
# after the last injection.
week = 7 * 24.0
lh = lambda t: run.loc[(run.time_h - t).abs().idxmin(), "lh_iu_l"]
print(f"\nLH before: {lh(0):.2f} IU/L, week 11: {lh(11 * week):.2f}, week 20: {lh(20 * week - 1):.2f}")

# 2. Errors are ValueError with the command line's one-line message, naming the field.
try:
    endocrine.run({**scenario, "dose": [{**dose, "amount": "-100 mg"}]})
except ValueError as e:
    print(f"\nValueError: {e}")

# 3. A virtual cohort: inter-individual variability, percentiles per time ...
cohort_scenario = {**scenario, "population": {"n": 60, "seed": 1}}
bands = endocrine.cohort(cohort_scenario)
# ... or one row per subject and time, in shards that any scheduler can run (see
# examples/dask_cohort.py): the shards together are exactly the unsplit cohort.
rows = endocrine.cohort(cohort_scenario, subjects=True, shard=0, shards=3)
print(f"\ncohort: {len(bands)} times x {len(bands.columns) - 1} percentile columns; "
      f"shard 0 of 3 holds subjects {rows.subject.min()}..{rows.subject.max()}")

# 4. Plot, if matplotlib is installed.
try:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
except ImportError:
    print("\n(pip install matplotlib to draw tutorial.png)")
else:
    fig, (ax_t, ax_lh) = plt.subplots(2, 1, sharex=True, figsize=(8, 6))
    days = bands.time_h / 24
    for ax, col, label in ((ax_t, "total_t_ng_dl", "total T (ng/dL)"), (ax_lh, "lh_iu_l", "LH (IU/L)")):
        ax.fill_between(days, bands[f"{col}_p5"], bands[f"{col}_p95"], alpha=0.2, label="cohort p5-p95")
        ax.fill_between(days, bands[f"{col}_p25"], bands[f"{col}_p75"], alpha=0.3, label="cohort p25-p75")
        ax.plot(run.time_h / 24, run[col], color="black", lw=1, label="typical subject")
        ax.set_ylabel(label)
    # the plots' reference range of total T: 264-916 ng/dL (R1, Travison et al., JCEM 2017;
    # 102:1161, harmonized 2.5th-97.5th percentiles of healthy non-obese men 19-39 y)
    ax_t.axhspan(264, 916, color="green", alpha=0.08, label="reference range")
    ax_t.legend(loc="upper right", fontsize=8)
    ax_lh.set_xlabel("day")
    ax_t.set_title("Testosterone enanthate 100 mg weekly x 12, then stopped (research only)")
    out = os.path.join(os.getcwd(), "tutorial.png")
    fig.tight_layout()
    fig.savefig(out, dpi=100)
    print(f"\nwrote {out}")
