"""The tutorial script runs as a new user would run it (with or without matplotlib)."""

import subprocess
import sys

from conftest import EXAMPLES


def test_the_tutorial_runs(tmp_path):
    tutorial = EXAMPLES / "tutorial.py"
    out = subprocess.run([sys.executable, str(tutorial)], capture_output=True, text=True, cwd=tmp_path, timeout=600)
    assert out.returncode == 0, out.stderr
    assert "ValueError: `dose[0].amount` = -100 mg" in out.stdout
