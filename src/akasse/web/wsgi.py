"""WSGI entry point for a real server: `gunicorn akasse.web.wsgi` (runserver is for development only)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "akasse.web.settings")
application = get_wsgi_application()
