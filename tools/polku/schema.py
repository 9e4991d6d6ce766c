"""The JSON Schema of the curriculum format, generated from the models."""

from __future__ import annotations

from typing import Any

from pydantic import TypeAdapter

from .model import Glossary, Method, Module, Programme

SCHEMA_ID = "https://polku.dev/schema/curriculum-1.json"


def json_schema() -> dict[str, Any]:
    """One schema that accepts any curriculum file: programme, module, method or glossary."""
    kinds = {"programme": Programme, "module": Module, "method": Method, "glossary": Glossary}
    definitions: dict[str, Any] = {}
    branches = []
    for name, model in kinds.items():
        schema = TypeAdapter(model).json_schema(ref_template="#/$defs/{model}")
        definitions.update(schema.pop("$defs", {}))
        definitions[model.__name__] = schema
        branches.append({"$ref": f"#/$defs/{model.__name__}", "title": name})
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "polku curriculum file",
        "description": "A programme, module, method card or glossary file of a polku curriculum.",
        "anyOf": branches,
        "$defs": definitions,
    }


def kind_schema(kind: str) -> dict[str, Any]:
    """The schema of one kind of file, for editors that map folders to schemas."""
    full = json_schema()
    name = {"programme": "Programme", "module": "Module", "method": "Method"}.get(kind, "Glossary")
    return {
        "$schema": full["$schema"],
        "title": f"polku {kind} file",
        "$ref": f"#/$defs/{name}",
        "$defs": full["$defs"],
    }
