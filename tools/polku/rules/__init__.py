"""Cross-file rules, each a small function with a stable code (see registry.py).

``validate`` runs every rule of the registry on a loaded curriculum. The modules below
register their rules when imported; docs/reference/checks.md lists them all.
"""

from __future__ import annotations

from ..curriculum import Curriculum
from ..diagnostics import Diagnostic, Report, Severity
from . import agendas, allow, assets, dates, glossary, ids, order, references, site  # noqa: F401
from .context import Context
from .registry import GROUPS, RULES, Finding, Rule, rules_in_order

__all__ = ["GROUPS", "RULES", "Finding", "Rule", "rules_in_order", "validate"]

DIRECTIVE_GROUP = "0"


def validate(curriculum: Curriculum, report: Report) -> None:
    """Apply every cross-file rule; problems go to ``report``, less the allowed warnings."""
    context = Context(curriculum)
    found = [_run(rule, context) for rule in rules_in_order() if rule.group != DIRECTIVE_GROUP]
    diagnostics = [d for per_rule in found for d in per_rule]
    # the directives are read in the files that have something to report
    context.reported_files = {d.path for d in diagnostics} | {d.path for d in report.items}
    for rule in rules_in_order():
        if rule.group == DIRECTIVE_GROUP:
            diagnostics += _run(rule, context)
    directives = allow.directives(context)
    for diagnostic in diagnostics:
        silenced = diagnostic.severity is Severity.WARNING and directives.allows(
            diagnostic.path, diagnostic.code
        )
        if not silenced:
            report.add(diagnostic)


def _run(rule: Rule, context: Context) -> list[Diagnostic]:
    return [
        Diagnostic(f.path, f.line, f.column, rule.severity, f.message, rule.code)
        for f in rule.check(context)
    ]
