"""Shared fixtures: the repository's scenarios and, when it has been built, the CLI."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SCENARIOS = REPO / "scenarios"
DATA = Path(__file__).resolve().parent / "data"
EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def titrated_cohort(n, seed=4):
    """The shipped AndroGel 1.62 % titration scenario as a cohort of `n` men."""
    return (SCENARIOS / "titration_androgel_1_62.toml").read_text() + f"\n[population]\nn = {n}\nseed = {seed}\n"

#: Testosterone enanthate 100 mg IM weekly from 08:00: the dose line of the fixtures below.
TE_WEEKLY_DOSE = """
[[dose]]
drug = "testosterone_enanthate"
route = "im"
amount = "100 mg"
at = "8 h"
every = "7 d"
"""

#: Two weeks of it, one man.
SHORT = """
axis = "hpg"
duration = "14 d"
output_every = "1 d"
""" + TE_WEEKLY_DOSE

#: A short HPG cohort: six weeks of it, 11 subjects (tests/cohort_shards.rs).
TE_WEEKLY_COHORT = """
axis = "hpg"
duration = "6 wk"
output_every = "1 d"
""" + TE_WEEKLY_DOSE + """
[population]
n = 11
seed = 21
"""


def cli_path():
    """The `endocrine` binary: $ENDOCRINE_CLI, the workspace's release build, or PATH."""
    env = os.environ.get("ENDOCRINE_CLI")
    if env:
        return env
    built = REPO / "target" / "release" / "endocrine"
    if built.exists():
        return str(built)
    return shutil.which("endocrine")


@pytest.fixture
def cli():
    """Run the CLI; skips the test where it has not been built (CI builds it first)."""
    exe = cli_path()
    if exe is None:
        pytest.skip("the endocrine CLI is not built (cargo build --release)")

    def call(*args):
        return subprocess.run([exe, *map(str, args)], capture_output=True, text=True, cwd=REPO)

    return call
