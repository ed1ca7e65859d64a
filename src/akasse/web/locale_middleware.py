"""Danish first: the language is the user's own choice (the language cookie set by the switch) or Danish.

Django's LocaleMiddleware would follow the browser's Accept-Language, so a caseworker on an English-language
browser would get English unasked; the users are Danish, so only an explicit choice changes the language.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class DanishFirstLocaleMiddleware(LocaleMiddleware):
    def process_request(self, request: HttpRequest) -> None:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        known = {code for code, _name in settings.LANGUAGES}
        translation.activate(chosen if chosen in known else settings.LANGUAGE_CODE)
        request.LANGUAGE_CODE = translation.get_language()
