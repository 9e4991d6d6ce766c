"""YAML syntax errors in the author's terms: what is wrong and how to fix it.

ruamel's messages speak of tokens and scanners; each rule below recognises one
kind of mistake authors make and says what to do about it. The first rule that
matches gives the message.
"""

from __future__ import annotations

from collections.abc import Callable

from ruamel.yaml.error import MarkedYAMLError

from .yaml_base import RefusedError


def yaml_message(exc: MarkedYAMLError) -> str:
    """The message for a YAML error, always on one line."""
    return " ".join(explain(exc).split())


def explain(exc: MarkedYAMLError) -> str:
    """A message that says what is wrong in the author's terms and how to fix it."""
    error = _Error(exc)
    for rule in _RULES:
        message = rule(error)
        if message is not None:
            return message
    message = "; ".join(part for part in (error.context, error.problem) if part)
    return f"YAML syntax error: {message}; check the quotes, brackets and indentation of this line"


class _Error:
    """The parts of a YAML error that the rules look at."""

    def __init__(self, exc: MarkedYAMLError) -> None:
        self.exc = exc
        self.problem = (exc.problem or "").strip()
        self.context = (exc.context or "").strip()

    @property
    def both(self) -> str:
        return f"{self.context} {self.problem}"


def _refused(error: _Error) -> str | None:
    return error.problem if isinstance(error.exc, RefusedError) else None


def _duplicate_key(error: _Error) -> str | None:
    if "found duplicate key" in error.problem or type(error.exc).__name__ == "DuplicateKeyError":
        key = error.problem.split('"')[1] if '"' in error.problem else ""
        return f"key '{key}' is given twice in this mapping; keep one of them"
    return None


def _tab(error: _Error) -> str | None:
    if "\\t" in error.problem or "tab" in error.problem.lower():
        return "a tab character cannot indent YAML; indent with spaces"
    return None


def _unclosed_quote(error: _Error) -> str | None:
    if "quoted scalar" in error.context and "end of stream" in error.problem:
        return "this quoted text is not closed; add the closing quote"
    return None


def _unclosed_flow(error: _Error) -> str | None:
    if "flow sequence" not in error.context and "flow mapping" not in error.context:
        return None
    opener, closer = ("[", "]") if "sequence" in error.context else ("{", "}")
    opened = error.exc.context_mark
    where = f" at line {opened.line + 1}, column {opened.column + 1}" if opened else ""
    return (
        f"the '{opener}' opened{where} is not closed where expected; add the '{closer}', "
        "and put an item that contains ',', ':' or '#' in quotes"
    )


def _end_of_stream(error: _Error) -> str | None:
    if "end of stream" in error.problem:
        return (
            f"YAML syntax error: {error.context or error.problem}; "
            "close the quote or bracket that is open"
        )
    return None


def _colon_in_text(error: _Error) -> str | None:
    if "mapping values are not allowed" in error.problem:
        return (
            "YAML syntax error: a ':' where it is not allowed; check the indentation, "
            "or quote a text that contains ': '"
        )
    return None


def _indentation(error: _Error) -> str | None:
    if "expected <block end>" in error.problem or "expected the node content" in error.problem:
        return (
            "this line is indented differently from the lines before it; indent it like "
            "the other keys or items of the same level (with spaces)"
        )
    return None


def _missing_colon(error: _Error) -> str | None:
    if "could not find expected ':'" in error.problem:
        return (
            "a line here is not 'key: value'; add the ':' after the key, or indent the line "
            "if it continues the text above"
        )
    return None


def _several_documents(error: _Error) -> str | None:
    if "single document" in error.both or "<document start>" in error.problem:
        return (
            "a curriculum file holds one YAML document; remove the '---' or '...' line and "
            "what follows it, or move that into a file of its own"
        )
    return None


def _undefined_alias(error: _Error) -> str | None:
    if "found undefined alias" in error.problem:
        return (
            f"YAML syntax error: {error.problem}; an alias '*name' needs an anchor '&name' "
            "earlier in the file, or write the value out"
        )
    return None


def _cannot_start_token(error: _Error) -> str | None:
    if "cannot start any token" in error.problem:
        return f"YAML syntax error: {error.problem}; put this value in quotes"
    return None


_RULES: tuple[Callable[[_Error], str | None], ...] = (
    _refused,
    _duplicate_key,
    _tab,
    _unclosed_quote,
    _unclosed_flow,
    _end_of_stream,
    _colon_in_text,
    _indentation,
    _missing_colon,
    _several_documents,
    _undefined_alias,
    _cannot_start_token,
)
