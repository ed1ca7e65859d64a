"""URL configuration: login and language at the root, the case screens from the cases app.

No path or query string carries personal data: members are addressed by an opaque UUID, and the worklist
search (name or CPR) is sent by POST and kept in the session.
"""

from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.i18n import set_language

from akasse.web.cases.views import home

urlpatterns = [
    path("", home, name="home"),
    path("log-ind/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("log-ud/", auth_views.LogoutView.as_view(), name="logout"),
    path("sprog/", set_language, name="set_language"),
    path("", include("akasse.web.cases.urls")),
]
