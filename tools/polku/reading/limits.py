"""Limits that no real curriculum file comes near, and the messages that refuse the rest.

The largest real file has about 1,500 values, nested 8 deep, in 32 kB. The limits
keep a hostile or broken file (an alias bomb, a huge value, deep nesting) from
tying up a build machine; every reader enforces them with the same messages.
"""

from __future__ import annotations

MAX_NODES = 20_000
MAX_DEPTH = 32
MAX_SCALAR_CHARS = 100_000
MAX_NUMBER_CHARS = 20
MAX_ANCHOR_CHARS = 100


class LoadLimitError(Exception):
    """A file is too large, too deep or expands to too many nodes."""

    def __init__(self, message: str, position: tuple[int, int] = (1, 1)) -> None:
        super().__init__(message)
        self.position = position


def too_many_values(position: tuple[int, int]) -> LoadLimitError:
    return LoadLimitError(
        f"the file expands to more than {MAX_NODES:,} values (aliases or a huge list); "
        "write the content out plainly and split it into smaller files",
        position,
    )


def too_deep(position: tuple[int, int]) -> LoadLimitError:
    return LoadLimitError(
        f"values are nested more than {MAX_DEPTH} levels deep; flatten the structure", position
    )


def too_long(length: int, position: tuple[int, int]) -> LoadLimitError:
    return LoadLimitError(
        f"this value is {length:,} characters long, over the limit of {MAX_SCALAR_CHARS:,}; "
        "split the text (a long module body goes in a sibling .md file, and very long texts "
        "into several modules)",
        position,
    )


def long_anchor(position: tuple[int, int]) -> LoadLimitError:
    return LoadLimitError(
        f"this anchor name is over {MAX_ANCHOR_CHARS} characters long; use a short name",
        position,
    )
