"""The machine's own speed: a fixed workload timed at the start and the end of a run.

Ratios measured side by side in one run compare across machines; seconds and pages per
second do not. Dividing them by this workload's time makes two runs' absolute figures
comparable, and a start and end that differ show that the machine's speed changed
during the run (another tenant, thermal limits).
"""

from __future__ import annotations

import time

import markdown

ROUNDS = 3
CONVERSIONS = 20


def _text() -> str:
    """The same Markdown every time: headings, lists, a table, emphasis and links."""
    parts = []
    for section in range(12):
        parts.append(f"## Osio {section}\n")
        for paragraph in range(4):
            words = " ".join(f"sana{(section * 7 + paragraph * 3 + n) % 97}" for n in range(60))
            parts.append(f"{words} *korostus* ja [linkki](sivu-{paragraph}.md).\n")
        parts.append("\n".join(f"- kohta {item}: **tärkeä**" for item in range(8)) + "\n")
        parts.append("| a | b |\n| --- | --- |\n" + "| 1 | 2 |\n" * 6)
    return "\n".join(parts)


def seconds() -> float:
    """The best of a few rounds of converting the same text with Python-Markdown."""
    text = _text()
    best = float("inf")
    for _round in range(ROUNDS):
        started = time.perf_counter()
        for _conversion in range(CONVERSIONS):
            markdown.markdown(text, extensions=["toc", "tables", "attr_list", "admonition"])
        best = min(best, time.perf_counter() - started)
    return best
