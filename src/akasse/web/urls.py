"""URL configuration."""

urlpatterns: list[object] = []
