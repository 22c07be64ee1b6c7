"""OpenAPI 3.1 document built from the endpoint registry and the pydantic request models."""

from __future__ import annotations

import re
from typing import Any

from flask import Blueprint, jsonify

from .framework import PUBLIC, ROUTES, endpoint

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
                "schema": {"type": "integer" if conv == "int" else "string"},
            }
            for conv, name in re.findall(r"<(?:(\w+):)?(\w+)>", spec.rule)
        ]
        for method in spec.methods:
            op: dict[str, Any] = {
                "summary": spec.summary,
                "tags": [spec.tag],
                "operationId": spec.endpoint
                + ("" if len(spec.methods) == 1 else f"_{method.lower()}"),
                "parameters": params,
                "responses": {
                    "200": {
                        "description": "OK",
                        "content": {"application/json": {"schema": {"type": "object"}}},
                    },
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
                name = spec.body.__name__
                schema = spec.body.model_json_schema(ref_template="#/components/schemas/{model}")
                for def_name, definition in schema.pop("$defs", {}).items():
                    schemas[def_name] = definition
                schemas[name] = schema
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


@endpoint(
    bp, "/openapi.json", summary="This API described as OpenAPI 3.1", roles=PUBLIC, tag="meta"
)
def openapi():
    return jsonify(build_document())
