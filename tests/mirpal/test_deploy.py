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


PROXY_PROBE = """
from django.test import RequestFactory
from rest_framework.throttling import AnonRateThrottle
from mirpal.security_events import client_ip
request = RequestFactory().get(
    "/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_PROTO="https",
    HTTP_X_FORWARDED_FOR="198.51.100.7, 203.0.113.9",
)
print(request.is_secure(), AnonRateThrottle().get_ident(request), client_ip(request))
"""


def _behind(proxies: str | None) -> list[str]:
    env = {key: value for key, value in os.environ.items() if key != "PROXY_COUNT"}
    if proxies is not None:
        env["PROXY_COUNT"] = proxies
    result = _manage("shell", "-c", PROXY_PROBE, env=env)
    assert result.returncode == 0, result.stderr
    return result.stdout.splitlines()[-1].split()


def test_forwarded_headers_are_believed_only_from_a_configured_proxy():
    # Straight to gunicorn: a client claiming HTTPS or another address is not believed.
    assert _behind(None) == ["False", "10.0.0.2", "10.0.0.2"]
    # Behind one proxy (nginx): its scheme, and the address it saw, the last one it added.
    assert _behind("1") == ["True", "203.0.113.9", "203.0.113.9"]
