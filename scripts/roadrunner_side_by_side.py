#!/usr/bin/env python3
"""Side by side: the engine's two methods against libRoadRunner (CVODE) on the same model
and doses, measured in one run (issue 15). Not run in CI.

Model: scripts/ref_hpg.ant (depot, GnRH, LH, T; time in days there), the model of
`endocrine::reference::RefHpg` (time in hours). Doses: 100 mg into the depot at
t = 0, 7, ..., 357 d (52), integrated piecewise between doses by both tools (RoadRunner:
simulate to the dose time, add the dose to D, continue; reset() between repetitions),
365 days, daily output, rtol 1e-6, atol 1e-9 (and the engine's Rodas4 also at its cohort
tolerance).

    pip install libroadrunner antimony matplotlib
    python3 scripts/roadrunner_side_by_side.py [--reps 50] [--svg docs/img/roadrunner_side_by_side.svg]

Prints a markdown table (median wall time per dosed year, work, max relative difference
of daily T from RoadRunner) and writes a bar chart as SVG (no plotting library needed).
"""
import argparse
import json
import os
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def engine(reps):
    subprocess.run(["cargo", "build", "--release", "--quiet", "--example", "ref_hpg_methods"],
                   cwd=ROOT, check=True)
    exe = os.path.join(ROOT, "target", "release", "examples", "ref_hpg_methods")
    out = subprocess.run([exe, "--reps", str(reps)], check=True, capture_output=True, text=True)
    return [json.loads(line) for line in out.stdout.splitlines() if line.startswith("{")]


EVENT_ANT = """
  t_next = 0; n_given = 0;
  E_dose: at (time >= t_next && n_given < n_doses), t0=false: D = D + dose_mg, t_next = t_next + tau, n_given = n_given + 1;
"""


def load_roadrunner(rtol, atol, events):
    """libRoadRunner on `ref_hpg.ant` (with the doses as SBML events if `events`) at these
    tolerances; returns (the roadrunner module, the RoadRunner instance)."""
    import antimony
    import roadrunner

    with open(os.path.join(HERE, "ref_hpg.ant")) as f:
        src = f.read()
    if events:
        src = src.replace("\nend", EVENT_ANT + "\nend")
    if antimony.loadAntimonyString(src) < 0:
        sys.exit(antimony.getLastError())
    rr = roadrunner.RoadRunner(antimony.getSBMLString(antimony.getMainModuleName()))
    integ = rr.getIntegrator()
    integ.setValue("relative_tolerance", rtol)
    integ.setValue("absolute_tolerance", atol)
    return roadrunner, rr


def timed(method, rtol, year, reps, version):
    """One untimed run for the series, then the median of `reps` timed runs."""
    t_series = year()
    times = []
    for _ in range(reps):
        t0 = time.perf_counter()
        year()
        times.append(time.perf_counter() - t0)
    times.sort()
    return {"method": method, "rtol": rtol, "median_s": times[len(times) // 2],
            "total_t_daily": t_series, "version": version}


def roadrunner_events(reps, rtol=1e-6, atol=1e-9):
    """The doses as SBML events: one simulate() call per year (CVODE restarts at each
    event inside libRoadRunner), the way a pharmacometrician would set it up."""
    rrmod, rr = load_roadrunner(rtol, atol, events=True)

    def year():
        rr.resetAll()  # also the event's counters (reset() keeps global parameters)
        res = rr.simulate(0.0, 365.0, 366, ["time", "T"])
        return [r[1] for r in (res.tolist() if hasattr(res, "tolist") else list(res))]

    return timed("roadrunner_cvode_events", rtol, year, reps, rrmod.__version__)


def roadrunner(reps, rtol=1e-6, atol=1e-9):
    """Piecewise between doses from Python: one simulate() call per dosing interval."""
    rrmod, rr = load_roadrunner(rtol, atol, events=False)
    dose_days = [7.0 * k for k in range(52)]

    def year():
        rr.reset()
        t_daily = []
        bounds = dose_days[1:] + [365.0]
        t = 0.0
        rr["D"] = rr["D"] + 100.0  # dose at t = 0
        for b in bounds:
            n = int(round(b - t)) + 1  # daily points including both ends
            res = rr.simulate(t, b, n, ["time", "T"])
            rows = res.tolist() if hasattr(res, "tolist") else list(res)
            t_daily.extend(r[1] for r in (rows if not t_daily else rows[1:]))
            if b < 365.0:
                rr["D"] = rr["D"] + 100.0
            t = b
        return t_daily

    return timed("roadrunner_cvode", rtol, year, reps, rrmod.__version__)


def svg_bars(rows, path):
    w, bar_h, gap, left = 720, 26, 12, 260
    h = 60 + len(rows) * (bar_h + gap)
    vmax = max(r["median_s"] for r in rows) * 1e3
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" font-family="sans-serif" font-size="13">',
             '<text x="10" y="22" font-size="15">Dosed year (52 weekly doses, daily output), median wall time, ms</text>']
    for i, r in enumerate(rows):
        y = 40 + i * (bar_h + gap)
        ms = r["median_s"] * 1e3
        bw = (w - left - 80) * ms / vmax
        label = f'{r["method"]} (rtol {r["rtol"]:g})'
        parts.append(f'<text x="10" y="{y + 18}">{label}</text>')
        parts.append(f'<rect x="{left}" y="{y}" width="{bw:.1f}" height="{bar_h}" fill="#4c72b0"/>')
        parts.append(f'<text x="{left + bw + 6:.1f}" y="{y + 18}">{ms:.2f}</text>')
    parts.append("</svg>")
    with open(path, "w") as f:
        f.write("\n".join(parts))


def png_figure(rows, ref, path):
    """Two panels: median time per dosed year (log scale) and daily T of every run
    against RoadRunner's piecewise CVODE run."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (a, b) = plt.subplots(1, 2, figsize=(12, 4.6), gridspec_kw={"width_ratios": [1.1, 1]})
    labels = [f'{r["method"]}\nrtol {r["rtol"]:g}' for r in rows]
    ms = [r["median_s"] * 1e3 for r in rows]
    colors = ["#c44e52" if r["method"].startswith("roadrunner") else "#4c72b0" for r in rows]
    y = list(range(len(rows)))
    a.barh(y, ms, color=colors)
    a.set_yticks(y, labels, fontsize=8)
    a.invert_yaxis()
    a.set_xscale("log")
    a.set_xlabel("median wall time per dosed year, ms (log)")
    for yi, v in zip(y, ms):
        a.text(v * 1.05, yi, f"{v:.2f}", va="center", fontsize=8)
    a.set_title("same model, 52 weekly doses, 365 d, daily output")
    for r in rows:
        t = r["total_t_daily"]
        n = min(len(t), len(ref))
        diff = [abs(t[i] - ref[i]) / abs(ref[i]) for i in range(n)]
        b.semilogy(range(n), [max(d, 1e-12) for d in diff], lw=0.8, label=f'{r["method"]} {r["rtol"]:g}')
    b.set_xlabel("day")
    b.set_ylabel("|T − T_RoadRunner(rtol 1e-10)| / T")
    b.set_title("daily total T against a tight CVODE run")
    b.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(path, dpi=110)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--reps", type=int, default=50)
    ap.add_argument("--svg", default=os.path.join(ROOT, "docs", "img", "roadrunner_side_by_side.svg"))
    ap.add_argument("--png", default=os.path.join(ROOT, "docs", "img", "roadrunner_side_by_side.png"))
    a = ap.parse_args()
    rows = engine(a.reps)
    rr = roadrunner(a.reps)
    others = [roadrunner(a.reps, rtol=1e-3), roadrunner_events(a.reps), roadrunner_events(a.reps, rtol=1e-3)]
    ref = roadrunner(3, rtol=1e-10, atol=1e-12)["total_t_daily"]
    print(f"libRoadRunner {rr['version']} (CVODE), {a.reps} repetitions each, one run; "
          "differences against RoadRunner at rtol 1e-10\n")
    print("| tool / method | rtol | median time per dosed year | steps | RHS calls | Jacobians | max rel. diff of daily T vs RoadRunner |")
    print("|---|---|---|---|---|---|---|")
    for r in rows + [rr] + others:
        t = r["total_t_daily"]
        n = min(len(t), len(ref))
        diff = max(abs(t[i] - ref[i]) / abs(ref[i]) for i in range(n))
        print(f"| {r['method']} | {r['rtol']:g} | {r['median_s'] * 1e3:.3f} ms | {r.get('steps', '')} | "
              f"{r.get('rhs', '')} | {r.get('jacobians', '')} | {diff:.1e} |")
    svg_bars(rows + [rr] + others, a.svg)
    print(f"\nfigure: {os.path.relpath(a.svg, ROOT)}")
    try:
        png_figure(rows + [rr] + others, ref, a.png)
        print(f"figure: {os.path.relpath(a.png, ROOT)}")
    except ImportError:
        print("matplotlib not installed: no PNG")


if __name__ == "__main__":
    main()
