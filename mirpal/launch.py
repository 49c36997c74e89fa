"""`make run`: prepare the database and demo data, then serve the site with a worker and beat.

Ctrl-C (or SIGTERM) stops every process started here, and the embedded PostgreSQL and Redis too
when this run started them.
"""

import os
import signal
import subprocess
import sys
import time

from mirpal import embedded

HERE = embedded.BASE_DIR


def _manage(*args: str) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=HERE, check=True)


def main() -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mirpal.settings")
    port = os.environ.get("PORT", "8000")
    os.environ.setdefault("SITE_URL", f"http://127.0.0.1:{port}")
    uses_embedded = not (os.environ.get("DATABASE_URL") and os.environ.get("CELERY_BROKER_URL"))
    embedded.DATA_DIR.mkdir(parents=True, exist_ok=True)

    _manage("migrate", "--noinput", "-v", "0")
    _manage("compile_catalogue")
    _manage("collectstatic", "--noinput", "-v", "0")
    _manage("demo_data")

    bin_dir = os.path.dirname(sys.executable)
    commands = {
        "web": [
            os.path.join(bin_dir, "gunicorn"),
            "mirpal.wsgi",
            # preload and gc.freeze (mirpal/gunicorn_conf.py); address and workers as below
            "--config",
            "python:mirpal.gunicorn_conf",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "3",
            "--access-logfile",
            "-",
            "--log-level",
            "warning",
        ],
        "worker": [
            os.path.join(bin_dir, "celery"),
            "-A",
            "mirpal",
            "worker",
            "--loglevel",
            "INFO",
            "--concurrency",
            "2",
            "--queues",
            os.environ.get("CELERY_QUEUE", "mirpal"),
        ],
        "beat": [
            os.path.join(bin_dir, "celery"),
            "-A",
            "mirpal",
            "beat",
            "--loglevel",
            "INFO",
        ],
    }
    processes = {
        name: subprocess.Popen(command, cwd=HERE, start_new_session=True)
        for name, command in commands.items()
    }

    def stop(*_):
        for process in processes.values():
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        deadline = time.monotonic() + 15
        for process in processes.values():
            try:
                process.wait(timeout=max(deadline - time.monotonic(), 0.1))
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
        if uses_embedded:
            embedded.stop()
        print(
            "\nStopped the web server, the worker, the scheduler"
            + (" and the embedded PostgreSQL and Redis." if uses_embedded else ".")
        )
        sys.exit(0)

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)

    mail = (
        f"mail goes to the SMTP server {os.environ['EMAIL_HOST']}"
        if os.environ.get("EMAIL_HOST")
        else f"mail is written, one file per message, to {embedded.DATA_DIR / 'mail'}"
    )
    print(
        f"""
MIRPAL is running at http://127.0.0.1:{port}/
  secretariat: secretariat@mirpal.example / mirpal-demo-2026 (admin: /secretariat/admin/)
               second factor: the code `.venv/bin/python manage.py demo_totp` prints, or an
               authenticator app set up with the secret MIRPALDEMOSECRETMIRPALDEMOSECRET
  member:      member@mirpal.example / mirpal-demo-2026
  applicant:   applicant@mirpal.example / mirpal-demo-2026
  {mail}
Press Ctrl-C to stop.
""",
        flush=True,
    )
    while True:
        for name, process in processes.items():
            if process.poll() is not None:
                print(f"the {name} process exited with {process.returncode}; stopping")
                stop()
        time.sleep(1)


if __name__ == "__main__":
    sys.exit(main())
