from django.urls import path  # noqa: F401

app_name = "exchange"

# Each group of pages adds its own patterns (exchange.views.threads, browse, follows, moderation).
urlpatterns = []
