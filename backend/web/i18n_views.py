"""GET /i18n/<domain>/<lang>.json: one catalogue for a page's i18n.js (Chinese fallback);
GET /i18n/labels.json: the names of states, steps and results (i18n/labels.toml)."""

from __future__ import annotations

from flask import Blueprint, abort, jsonify, request

import i18n
from i18n import labels

bp = Blueprint("i18n", __name__)
MAX_AGE = 300  # seconds: a translator's change shows within five minutes


@bp.get("/i18n/labels.json")
def label_table():
    """{"languages": ["zh", "en"], "labels": {group: {value: {zh, en}}}}: names only, no data,
    so no login (a page reads it before its user signs in)."""
    response = jsonify({"languages": list(labels.LANGUAGES), "labels": labels.all_labels()})
    response.cache_control.public = True
    response.cache_control.max_age = MAX_AGE
    response.add_etag()
    return response.make_conditional(request)


@bp.get("/i18n/<domain>/<lang>.json")
def catalogue(domain: str, lang: str):
    """{lang, dir, name, languages, texts}; 404 for a domain or language we do not have."""
    catalogues = i18n.default
    if domain not in catalogues.domains():
        abort(404)
    code = catalogues.resolve(lang)
    if code is None or code.lower() != i18n.normalize(lang).lower():
        abort(404)
    language = catalogues.language(code)
    response = jsonify(
        {
            "lang": code,
            "dir": language.dir,
            "name": language.name,
            "languages": catalogues.languages(),
            "texts": catalogues.texts(domain, code),
        }
    )
    response.cache_control.public = True
    response.cache_control.max_age = MAX_AGE
    response.add_etag()
    return response.make_conditional(request)
