#!/usr/bin/env python3
"""Side by side: the engine's two methods against libRoadRunner (CVODE) on the same model
and doses, measured in one run (issue 15). Not run in CI.

Model: scripts/ref_hpg.ant (depot, GnRH, LH, T; time in days there), the model of
`endocrine::reference::RefHpg` (time in hours). Doses: 100 mg into the depot at
t = 0, 7, ..., 357 d (52), integrated piecewise between doses by both tools (RoadRunner:
simulate to the dose time, add the dose to D, continue; reset() between repetitions),
365 days, daily output, rtol 1e-6, atol 1e-9 (and the engine's Rodas4 also at its cohort
tolerance).

    pip install libroadrunner antimony
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


def roadrunner(reps, rtol=1e-6, atol=1e-9):
    import antimony
    import roadrunner

    with open(os.path.join(HERE, "ref_hpg.ant")) as f:
        src = f.read()
    if antimony.loadAntimonyString(src) < 0:
        sys.exit(antimony.getLastError())
    rr = roadrunner.RoadRunner(antimony.getSBMLString(antimony.getMainModuleName()))
    integ = rr.getIntegrator()
    integ.setValue("relative_tolerance", rtol)
    integ.setValue("absolute_tolerance", atol)
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

    t_series = year()
    times = []
    for _ in range(reps):
        t0 = time.perf_counter()
        year()
        times.append(time.perf_counter() - t0)
    times.sort()
    return {"method": "roadrunner_cvode", "rtol": rtol, "median_s": times[len(times) // 2],
            "total_t_daily": t_series, "version": roadrunner.__version__}


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


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--reps", type=int, default=50)
    ap.add_argument("--svg", default=os.path.join(ROOT, "docs", "img", "roadrunner_side_by_side.svg"))
    a = ap.parse_args()
    rows = engine(a.reps)
    rr = roadrunner(a.reps)
    ref = rr["total_t_daily"]
    print(f"libRoadRunner {rr['version']} (CVODE), {a.reps} repetitions each, one run\n")
    print("| tool / method | rtol | median time per dosed year | steps | RHS calls | Jacobians | max rel. diff of daily T vs RoadRunner |")
    print("|---|---|---|---|---|---|---|")
    for r in rows + [rr]:
        t = r["total_t_daily"]
        n = min(len(t), len(ref))
        diff = max(abs(t[i] - ref[i]) / abs(ref[i]) for i in range(n))
        print(f"| {r['method']} | {r['rtol']:g} | {r['median_s'] * 1e3:.3f} ms | {r.get('steps', '')} | "
              f"{r.get('rhs', '')} | {r.get('jacobians', '')} | {diff:.1e} |")
    svg_bars(rows + [rr], a.svg)
    print(f"\nfigure: {os.path.relpath(a.svg, ROOT)}")


if __name__ == "__main__":
    main()
