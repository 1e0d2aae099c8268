"""The bench's URLconf (config.settings.bench): the portal's own URLs plus the bare reference views."""

from django.urls import path

from config.urls import handler403, handler404, handler500
from config.urls import urlpatterns as portal_urlpatterns

from . import views

urlpatterns = [
    path("bench/bare/book/<int:pk>/", views.bare_book, name="bench_bare_book"),
    path("bench/bare/page/", views.bare_page, name="bench_bare_page"),
    *portal_urlpatterns,
]

__all__ = ["handler403", "handler404", "handler500", "urlpatterns"]
