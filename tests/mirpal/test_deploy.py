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


def _manage(*args, env):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def _production_env(**overrides):
    """The process environment without development switches, plus `overrides`."""
    development = {"DEBUG", "MIRPAL_TESTING", "SECRET_KEY", "ALLOWED_HOSTS", "MIRPAL_EMBEDDED"}
    env = {key: value for key, value in os.environ.items() if key not in development}
    env.pop("DATABASE_URL", None)
    return env | overrides


def test_check_deploy_with_only_a_database_refuses_to_start_and_says_why(settings):
    result = _manage("check", "--deploy", env=_production_env(DATABASE_URL=settings.DATABASE_URL))
    assert result.returncode == 1
    assert "SECRET_KEY must be set when DEBUG is off." in result.stderr
    assert "ALLOWED_HOSTS must be set when DEBUG is off" in result.stderr


def test_settings_refuse_the_embedded_database_with_debug_off_unless_asked_for():
    result = _manage(
        "check",
        env=_production_env(SECRET_KEY="k3v9-" + "q7Zp2mXw8LrT4nB6yHc1" * 3, ALLOWED_HOSTS="a.b"),
    )
    assert result.returncode == 1
    assert "DATABASE_URL must be set when DEBUG is off" in result.stderr
    assert "MIRPAL_EMBEDDED=1" in result.stderr


def test_development_generates_one_random_key_and_keeps_it_in_the_data_folder(settings, tmp_path):
    env = _production_env(
        DEBUG="1", DATABASE_URL=settings.DATABASE_URL, MIRPAL_DATA_DIR=str(tmp_path)
    )
    printing = (
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings; print(settings.SECRET_KEY)",
    )
    first, second = _manage(*printing, env=env), _manage(*printing, env=env)
    assert first.returncode == 0, first.stderr
    key = (tmp_path / "secret_key").read_text().strip()
    assert first.stdout.strip() == second.stdout.strip() == key
    assert len(key) >= 50
    assert "insecure" not in key
    assert (tmp_path / "secret_key").stat().st_mode & 0o777 == 0o600
    other = tmp_path / "other"
    third = _manage(*printing, env=env | {"MIRPAL_DATA_DIR": str(other)})
    assert third.stdout.strip() != key  # each checkout its own


def test_no_secret_key_is_written_in_the_repository():
    settings_text = (ROOT / "mirpal" / "settings.py").read_text()
    assert "insecure-development-key" not in settings_text
    assert 'SECRET_KEY = "' not in settings_text
