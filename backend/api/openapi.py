"""OpenAPI 3.1 document built from the endpoint registry and the pydantic request models."""

from __future__ import annotations

import re
from typing import Any, Literal

from flask import Blueprint, jsonify
from pydantic import BaseModel

from .framework import MAX_PATH_INT, PUBLIC, ROUTES, RouteSpec, endpoint
from .responses.hall import OpenApiDocument

bp = Blueprint("openapi", __name__, url_prefix="/api/v1")

ERROR_SCHEMA = {
    "type": "object",
    "properties": {
        "error": {
            "type": "object",
            "properties": {
                "code": {"type": "string"},
                "message": {"type": "string"},
                "field": {"type": ["string", "null"]},
                "details": {
                    "type": "array",
                    "description": "every problem of an invalid body or query",
                    "items": {
                        "type": "object",
                        "properties": {
                            "field": {"type": ["string", "null"]},
                            "message": {"type": "string"},
                        },
                    },
                },
            },
            "required": ["code", "message", "field"],
        }
    },
}


def build_document() -> dict[str, Any]:
    paths: dict[str, Any] = {}
    schemas: dict[str, Any] = {"Error": ERROR_SCHEMA}
    for spec in ROUTES:
        path = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", spec.rule)
        params = [
            {
                "name": name,
                "in": "path",
                "required": True,
                "schema": (
                    {"type": "integer", "minimum": 0, "maximum": MAX_PATH_INT}
                    if conv == "int"
                    else {"type": "string", "minLength": 1}
                ),
            }
            for conv, name in re.findall(r"<(?:(\w+):)?(\w+)>", spec.rule)
        ]
        params += _query_parameters(spec, schemas)
        for method in spec.methods:
            op: dict[str, Any] = {
                "summary": spec.summary,
                "tags": [spec.tag],
                "operationId": spec.endpoint
                + ("" if len(spec.methods) == 1 else f"_{method.lower()}"),
                "parameters": params,
                "responses": {
                    "200": {"description": "OK", "content": _answer_content(spec, schemas)},
                    "default": {
                        "description": "Error",
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/Error"}}
                        },
                    },
                },
            }
            if spec.roles != PUBLIC:
                op["security"] = [{"bearer": []}]
                op["x-roles"] = sorted(spec.roles)
            if spec.mutating:
                op["parameters"] = params + [
                    {
                        "name": "Idempotency-Key",
                        "in": "header",
                        "required": False,
                        "schema": {"type": "string", "maxLength": 80},
                    }
                ]
            if spec.body is not None:
                name = _component(spec.body, schemas)
                op["requestBody"] = {
                    "required": True,
                    "content": {
                        "application/json": {"schema": {"$ref": f"#/components/schemas/{name}"}}
                    },
                }
            paths.setdefault(path, {})[method.lower()] = op
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "onestop hall API",
            "version": "1",
            "description": "Queue and case tracking for one-stop service halls.",
        },
        "paths": paths,
        "components": {
            "schemas": schemas,
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        },
    }


def _component(
    model: type[BaseModel],
    schemas: dict[str, Any],
    mode: Literal["validation", "serialization"] = "validation",
) -> str:
    """Put ``model`` (and the models it uses) into the components; its name."""
    schema = model.model_json_schema(ref_template="#/components/schemas/{model}", mode=mode)
    _add(schemas, schema.pop("$defs", {}) | {model.__name__: schema})
    return model.__name__


def _add(schemas: dict[str, Any], new: dict[str, Any]) -> None:
    for name, definition in new.items():
        if schemas.setdefault(name, definition) != definition:
            raise ValueError(f"two different schemas are named {name!r}")


def _query_parameters(spec: RouteSpec, schemas: dict[str, Any]) -> list[dict[str, Any]]:
    if spec.query is None:
        return []
    schema = spec.query.model_json_schema(ref_template="#/components/schemas/{model}")
    _add(schemas, schema.pop("$defs", {}))
    required = set(schema.get("required", []))
    return [
        {
            "name": name,
            "in": "query",
            "required": name in required,
            "schema": _present(prop),
            **({"description": prop["description"]} if "description" in prop else {}),
        }
        for name, prop in schema.get("properties", {}).items()
    ]


def _present(prop: dict[str, Any]) -> dict[str, Any]:
    """A query parameter's schema when it is given: an absent one is null in the model, but a
    parameter in a URL is never null."""
    schema = {k: v for k, v in prop.items() if k not in ("title", "description")}
    branches = [b for b in schema.get("anyOf", []) if b != {"type": "null"}]
    if "anyOf" in schema and len(branches) == 1:
        del schema["anyOf"]
        schema = branches[0] | schema
    if schema.get("default") is None:
        schema.pop("default", None)
    return schema


def _answer_content(spec: RouteSpec, schemas: dict[str, Any]) -> dict[str, Any]:
    content: dict[str, Any] = {}
    if spec.response is not None:
        ref = _component(spec.response, schemas, mode="serialization")
        content["application/json"] = {"schema": {"$ref": f"#/components/schemas/{ref}"}}
    elif not spec.produces:
        content["application/json"] = {"schema": {"type": "object"}}
    for media_type in spec.produces:
        content[media_type] = {"schema": {"type": "string", "format": "binary"}}
    return content


@endpoint(
    bp,
    "/openapi.json",
    summary="This API described as OpenAPI 3.1",
    roles=PUBLIC,
    response=OpenApiDocument,
    tag="meta",
)
def openapi():
    return jsonify(build_document())
