"""The English catalogue: every Danish source string is translated; the committed .mo is the compiled .po."""

from __future__ import annotations

import gettext
from pathlib import Path

from babel.messages.pofile import read_po

import akasse.web

LOCALE = Path(akasse.web.__file__).parent / "locale" / "en" / "LC_MESSAGES"


def test_every_string_has_an_english_translation_and_none_is_fuzzy():
    with open(LOCALE / "django.po", "rb") as f:
        catalog = read_po(f, locale="en")
    untranslated = [
        m.id for m in catalog if m.id and not all(m.string if isinstance(m.string, tuple) else [m.string])
    ]
    fuzzy = [m.id for m in catalog if m.id and m.fuzzy]
    assert untranslated == [] and fuzzy == []
    assert len(catalog) > 200


def test_the_compiled_catalogue_matches_the_source():
    with open(LOCALE / "django.po", "rb") as f:
        catalog = read_po(f, locale="en")
    with open(LOCALE / "django.mo", "rb") as f:
        compiled = gettext.GNUTranslations(f)
    for message in catalog:
        if not message.id:
            continue
        if isinstance(message.id, tuple):
            assert compiled.ngettext(message.id[0], message.id[1], 1) == message.string[0]
            assert compiled.ngettext(message.id[0], message.id[1], 5) == message.string[1]
        else:
            assert compiled.gettext(message.id) == message.string, message.id


def test_every_string_of_the_templates_is_in_the_catalogue():
    """The templates are Jinja2 (akasse.web.templating), whose `{% trans %}` blocks Django's makemessages does
    not read: extract them with Jinja2's own i18n extension, as docs/web-interface.md says."""
    from django.template import engines

    with open(LOCALE / "django.po", "rb") as f:
        catalog = read_po(f, locale="en")
    env = engines["jinja2"].env
    templates = Path(akasse.web.__file__).parent / "templates"
    found = {
        message if isinstance(message, str) else message[0]
        for path in templates.rglob("*.html")
        for _line, _function, message in env.extract_translations(path.read_text())
    }
    assert len(found) > 100
    assert sorted(m for m in found if catalog.get(m) is None) == []
