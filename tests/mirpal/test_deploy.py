import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_deploy_check_reports_nothing_with_debug_off_and_a_real_secret():
    env = {
        key: value for key, value in os.environ.items() if key not in {"DEBUG", "MIRPAL_TESTING"}
    } | {
        "DEBUG": "0",
        "SECRET_KEY": "k3v9-" + "q7Zp2mXw8LrT4nB6yHc1" * 3,
        "ALLOWED_HOSTS": "mirpal.example",
        "SITE_URL": "https://mirpal.example",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "DEBUG"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "System check identified no issues (0 silenced)."


def test_settings_refuse_to_start_without_a_secret_when_debug_is_off(settings):
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DEBUG", "MIRPAL_TESTING", "SECRET_KEY"}
    } | {"DATABASE_URL": settings.DATABASE_URL}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1
    assert "SECRET_KEY must be set when DEBUG is off." in result.stderr
