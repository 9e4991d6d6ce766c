"""The JSON Schema of the curriculum format, generated from the models."""

from __future__ import annotations

from typing import Any

from pydantic import TypeAdapter

from .model import KIND_MODELS

SCHEMA_ID = "https://polku.dev/schema/curriculum-1.json"


def json_schema() -> dict[str, Any]:
    """One schema that accepts any curriculum file: programme, module, method, handout or glossary.

    Every key carries its description (and examples) from the models, so editors show
    them as help while one types.
    """
    definitions: dict[str, Any] = {}
    branches = []
    for kind, model in KIND_MODELS.items():
        schema = TypeAdapter(model).json_schema(ref_template="#/$defs/{model}")
        definitions.update(schema.pop("$defs", {}))
        definitions[model.__name__] = schema
        branches.append({"$ref": f"#/$defs/{model.__name__}", "title": kind})
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "polku curriculum file",
        "description": "A programme, module, method card, handout or glossary file of a polku "
        "curriculum.",
        "anyOf": branches,
        "$defs": definitions,
    }
