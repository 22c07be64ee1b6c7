"""Hold every 200 JSON answer of an /api/ route to the model its endpoint declares (turned on
with ``ONESTOP_CHECK_RESPONSES``, as the test suite does): a missing or mistyped key, or a key
the model does not describe, raises ``ResponseMismatch`` instead of answering."""

from __future__ import annotations

import functools
import json
import re
from typing import Any

from flask import Response, request
from pydantic import BaseModel, ValidationError

from .framework import ROUTES, RouteSpec


class ResponseMismatch(AssertionError):
    pass


@functools.cache
def _specs() -> dict[str, RouteSpec]:
    return {spec.endpoint: spec for spec in ROUTES}


@functools.cache
def _schema(model: type[BaseModel]) -> dict[str, Any]:
    return model.model_json_schema(mode="serialization")


def check_response(response: Response) -> Response:
    if response.status_code != 200 or not request.path.startswith("/api/"):
        return response
    spec = _specs().get(request.endpoint) if request.endpoint else None
    if spec is None:
        return response
    model = spec.response
    where = f"{request.method} {request.path} ({request.endpoint})"
    if not response.is_json:
        if response.mimetype not in {t.split(";")[0].strip() for t in spec.produces}:
            raise ResponseMismatch(f"{where} answered {response.mimetype}, which it does not list")
        return response
    if model is None:
        raise ResponseMismatch(f"{where} answers JSON but declares no response model")
    raw = response.get_data()
    try:
        model.model_validate_json(raw, strict=True)
    except ValidationError as exc:
        raise ResponseMismatch(f"{where} does not fit {model.__name__}: {exc}") from None
    schema = _schema(model)
    found = undescribed(schema, schema.get("$defs", {}), json.loads(raw), "")
    extra = list(dict.fromkeys(re.sub(r"\.\d+(?=\.|$)", ".*", path) for path in found))
    if extra:
        raise ResponseMismatch(f"{where}: keys {model.__name__} does not describe: {extra}")
    return response


def undescribed(schema: dict[str, Any], defs: dict[str, Any], value: Any, path: str) -> list[str]:
    """Paths of the keys in ``value`` that ``schema`` does not name (open dicts excepted)."""
    if "$ref" in schema:
        schema = defs[schema["$ref"].rsplit("/", 1)[-1]]
    if "anyOf" in schema:
        found = [
            undescribed(branch, defs, value, path)
            for branch in schema["anyOf"]
            if _fits(branch, defs, value)
        ]
        return min(found, key=len) if found else []
    if isinstance(value, dict) and "properties" in schema:
        props = schema["properties"]
        out = [f"{path}.{key}".lstrip(".") for key in value if key not in props]
        for key, item in value.items():
            if key in props:
                out += undescribed(props[key], defs, item, f"{path}.{key}")
        return out
    if isinstance(value, dict) and isinstance(schema.get("additionalProperties"), dict):
        out = []
        for key, item in value.items():
            out += undescribed(schema["additionalProperties"], defs, item, f"{path}.{key}")
        return out
    if isinstance(value, list) and isinstance(schema.get("items"), dict):
        out = []
        for i, item in enumerate(value):
            out += undescribed(schema["items"], defs, item, f"{path}.{i}")
        return out
    return []


_TYPES = {dict: "object", list: "array", str: "string", bool: "boolean", type(None): "null"}


def _fits(schema: dict[str, Any], defs: dict[str, Any], value: Any) -> bool:
    if "$ref" in schema:
        schema = defs[schema["$ref"].rsplit("/", 1)[-1]]
    kind = schema.get("type")
    if kind is None:
        return True
    actual = _TYPES.get(type(value)) or ("integer" if isinstance(value, int) else "number")
    return actual == kind or (kind == "number" and actual == "integer")
