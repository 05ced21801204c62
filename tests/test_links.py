"""linkchecker over the served site: no broken internal link or anchor."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from conftest import ROOT


def test_no_broken_internal_links(base_url):
    linkchecker = shutil.which("linkchecker", path=str(Path(sys.executable).parent)) or "linkchecker"
    result = subprocess.run(
        [linkchecker, "--config", str(ROOT / "tests" / "linkcheckerrc"), "--no-status", base_url],
        capture_output=True, text=True, timeout=600,
    )
    report = result.stdout + result.stderr
    assert result.returncode == 0, report[-5000:]
    assert "0 errors found" in report or "no errors" in report.lower(), report[-2000:]
