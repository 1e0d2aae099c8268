"""The console says what matters: commands do not print WeasyPrint's rendering steps, and its warnings
(a missing image, CSS it cannot read) still come through."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # manage.py processes

ROOT = Path(__file__).resolve().parents[2]


def _manage(*args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE")}
    return subprocess.run(  # noqa: S603 - our own manage.py with a fixed argument list
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_manage_py_check_prints_only_its_result():
    result = _manage("check")
    assert result.returncode == 0, result.stderr
    assert "Fetching and parsing CSS" not in result.stdout + result.stderr
    assert (result.stdout + result.stderr).strip() == "System check identified no issues (0 silenced)."


def test_weasyprint_warnings_still_reach_the_console():
    code = "import actions.reports.pdf, logging; logging.getLogger('weasyprint').warning('Failed to load image x.png')"
    result = _manage("shell", "-c", code)
    assert result.returncode == 0, result.stderr
    assert "Failed to load image x.png" in result.stderr
    assert "Step 2" not in result.stderr
