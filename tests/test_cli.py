import subprocess
import sys
from pathlib import Path

import pandas as pd

from dashboard.cli import main

REPO = Path(__file__).resolve().parents[1]


def test_cl001_help_lists_the_commands():
    out = subprocess.run([sys.executable, "-m", "dashboard", "--help"], cwd=REPO, capture_output=True, text=True)
    assert out.returncode == 0
    assert "demo" in out.stdout and "validate" in out.stdout


def test_cl002_demo_check_passes_on_the_committed_demo(capsys):
    assert main(["demo", "--check"]) == 0
    assert "byte-identical" in capsys.readouterr().out


def test_cl003_validate_exits_nonzero_and_names_the_problem(demo_copy: Path, capsys):
    path = demo_copy / "respondents.csv"
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    df.loc[2, "city"] = "gotham"
    df.to_csv(path, index=False, lineterminator="\n")
    assert main(["validate", str(demo_copy)]) == 1
    out = capsys.readouterr().out
    assert "respondents.csv, column 'city', row 3" in out and "gotham" in out


def test_cl004_validate_accepts_the_demo(demo_dir: Path, capsys):
    assert main(["validate", str(demo_dir)]) == 0
    assert "valid" in capsys.readouterr().out


def test_cl005_scale_generator_refuses_to_overwrite_the_demo(capsys):
    assert main(["demo", "--respondents", "1000"]) == 2
    assert "--out" in capsys.readouterr().err
