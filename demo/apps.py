from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo data and its `demo_data` command: reads every app, nothing imports it."""

    name = "demo"
