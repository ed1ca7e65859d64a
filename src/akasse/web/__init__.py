"""The Django project: case management, survey, dashboard and API."""
