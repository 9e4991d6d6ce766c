"""The plain MkDocs projects that polku is measured against.

- Baseline A: the Markdown pages polku itself generates (``polku export``), built by
  plain MkDocs + Material with the same theme, Markdown extensions, language,
  navigation and search, and no polku.
  It tells what polku costs on top of MkDocs for the very same pages.
- Baseline B: the same text written by hand as MkDocs pages, the way a careful author
  without polku would write them: one page per module, method card and programme, a
  glossary page, the same theme, palette, features, extensions, search and tags plugins,
  and no ``nav:``, so that MkDocs' default navigation lists every page. It tells whether
  polku is worth it against writing the site by hand.

Both are written as a folder with ``mkdocs.yml``, ``docs/`` and ``site_dir: site``
(relative, so that other engines that want the site inside the project can build it too).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import yaml
from markdown.extensions.toc import slugify

from .measure import polku, timed

PLUGIN = "polku"


def write_baseline_a(project: Path, target: Path) -> tuple[int, str]:
    """Baseline A in ``target``: polku's generated site as a plain MkDocs project.

    ``polku export`` writes the docs tree (every generated page, polku's assets and
    calendars, no workbooks) and an ``mkdocs.yml`` without the polku plugin. Returns the
    number of Markdown pages and how they were written.
    """
    if target.exists():
        shutil.rmtree(target)
    how = "`polku export --no-pdf`"
    timed(polku("export", "--root", project, "--no-pdf", target)).check("polku export")
    config_path = target / "mkdocs.yml"
    config = yaml.safe_load(config_path.read_text("utf-8"))
    config["plugins"] = [p for p in config.get("plugins", []) if _plugin_name(p) != PLUGIN]
    config["site_dir"] = "site"
    config.pop("docs_dir", None)
    _write_yaml(config_path, config)
    return len(list((target / "docs").rglob("*.md"))), how


def write_baseline_b(project: Path, target: Path, like: Path) -> int:
    """Baseline B in ``target``: the curriculum of ``project`` written by hand as pages.

    The theme, Markdown extensions, language and plugins come from ``like`` (baseline A's
    ``mkdocs.yml``), less its navigation, theme overrides and polku's stylesheet and scripts.
    Returns the number of Markdown pages.
    """
    if target.exists():
        shutil.rmtree(target)
    docs = target / "docs"
    writer = HandWritten(project / "curriculum")
    pages = writer.pages()
    for rel, content in pages.items():
        path = docs / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, "utf-8")
    config = yaml.safe_load(like.read_text("utf-8"))
    for key in ("nav", "extra_css", "extra_javascript", "docs_dir"):
        config.pop(key, None)
    config.get("theme", {}).pop("custom_dir", None)  # polku's overrides are not copied
    config["plugins"] = [p for p in config.get("plugins", []) if _plugin_name(p) != PLUGIN]
    config["site_dir"] = "site"
    _write_yaml(target / "mkdocs.yml", config)
    return len(pages)


def _plugin_name(entry: Any) -> str:
    return next(iter(entry)) if isinstance(entry, dict) else str(entry)


def _write_yaml(path: Path, data: dict[str, Any]) -> None:
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")


# --- baseline B: the pages an author would write ----------------------------------------------

LABELS = {
    "programmes": "Ohjelmat",
    "glossary": "Sanasto",
    "tags": "Aihetunnisteet",
    "outcomes": "Osaamistavoitteet",
    "activities": "Tehtävät",
    "sources": "Lähteet",
    "steps": "Vaiheet",
    "materials": "Tarvikkeet",
    "prompts": "Pohdittavaksi",
    "questions": "Kysymykset",
    "answer": "Näytä vastaus",
    "methods": "Menetelmät",
    "duration": "Kesto",
    "prerequisites": "Esitiedot",
    "when": "Milloin",
    "see_also": "Katso myös",
    "audience": "Kohderyhmä",
    "checklist": "Tehtävälista",
    "break": "Tauko",
    "day": "Päivä",
    "exercise": "Harjoitus",
    "reflection": "Pohdinta",
    "discussion": "Keskustelu",
    "self-check": "Itsearviointi",
    "pairs": "pareittain",
    "solo": "yksin",
    "group": "ryhmässä",
    "contact": "lähitapaaminen",
    "remote": "etätapaaminen",
}


def _minutes(duration: str | int | None) -> int:
    """Minutes of the synthetic curriculum's durations (``20min``)."""
    if duration is None:
        return 0
    if isinstance(duration, int):
        return duration
    return int(str(duration).removesuffix("min"))


def _front_matter(title: str, tags: list[str] | None = None) -> str:
    lines = ["---", f"title: {json.dumps(title, ensure_ascii=False)}"]
    if tags:
        lines.append(f"tags: {json.dumps(tags, ensure_ascii=False)}")
    return "\n".join([*lines, "---", "", ""])


class HandWritten:
    """The curriculum's learner text as hand-written Markdown pages.

    Reads the curriculum files with PyYAML alone, so nothing of polku runs. Facilitator
    notes and debriefs stay off the pages, as on polku's learner pages.
    """

    def __init__(self, curriculum: Path) -> None:
        def load(path: Path) -> dict[str, Any]:
            return yaml.load(path.read_text("utf-8"), Loader=yaml.CSafeLoader)

        self.folder = curriculum
        self.modules = {p.stem: load(p) for p in sorted((curriculum / "modules").glob("*.yml"))}
        self.methods = {p.stem: load(p) for p in sorted((curriculum / "methods").glob("*.yml"))}
        self.programmes = [load(p) for p in sorted((curriculum / "programmes").glob("*.yml"))]
        glossary = curriculum / "glossary.yml"
        self.terms = load(glossary)["terms"] if glossary.is_file() else []

    def pages(self) -> dict[str, str]:
        pages = {"index.md": self.home(), "glossary.md": self.glossary(), "tags.md": self.tags()}
        for programme in self.programmes:
            pages[f"programmes/{programme['id']}.md"] = self.programme(programme)
        for module_id, module in self.modules.items():
            pages[f"modules/{module_id}.md"] = self.module(module_id, module)
        for method_id, method in self.methods.items():
            pages[f"methods/{method_id}.md"] = self.method(method)
        return pages

    def home(self) -> str:
        lines = ["# Polku-suorituskykytesti", "", "Synteettinen opetussuunnitelma.", ""]
        lines += [f"## {LABELS['programmes']}", ""]
        for programme in self.programmes:
            link = f"programmes/{programme['id']}.md"
            lines.append(f"- [{programme['title']}]({link}): {programme.get('summary', '')}")
        return "\n".join([*lines, ""])

    def module(self, module_id: str, module: dict[str, Any]) -> str:
        activities = module.get("activities", [])
        total = sum(_minutes(a.get("duration")) for a in activities)
        out = [_front_matter(module["title"], module.get("tags")), f"# {module['title']}", ""]
        if module.get("summary"):
            out += [f"*{module['summary']}*", ""]
        facts = [f"- **{LABELS['duration']}:** {total} min"]
        prerequisites = [
            f"[{self.modules[p]['title']}]({p}.md)"
            for p in module.get("prerequisites", [])
            if p in self.modules
        ]
        if prerequisites:
            facts.append(f"- **{LABELS['prerequisites']}:** {', '.join(prerequisites)}")
        out += [*facts, ""]
        if module.get("outcomes"):
            out += [f"## {LABELS['outcomes']} {{ #outcomes }}", ""]
            out += [f"- {o['text']}" for o in module["outcomes"]]
            out.append("")
        body = self.folder / "modules" / f"{module_id}.md"
        if body.is_file():
            out += [body.read_text("utf-8").strip("\n"), ""]
        if activities:
            out += [f"## {LABELS['activities']} {{ #activities }}", ""]
            for activity in activities:
                out += self.activity(activity)
        if module.get("sources"):
            out += [f"## {LABELS['sources']} {{ #sources }}", ""]
            out += [f"- {s}" for s in module["sources"]]
            out.append("")
        return "\n".join(out)

    def activity(self, activity: dict[str, Any]) -> list[str]:
        kind = LABELS.get(activity.get("type", ""), activity.get("type", ""))
        facts = [kind, f"{_minutes(activity.get('duration'))} min"]
        if activity.get("mode"):
            facts.append(LABELS.get(activity["mode"], activity["mode"]))
        out = [f"### {activity['title']} {{ #activity-{activity['id']} }}", ""]
        out += [f"*{' · '.join(facts)}*", ""]
        if activity.get("instructions"):
            out += [activity["instructions"].strip("\n"), ""]
        if activity.get("steps"):
            out += [f"**{LABELS['steps']}**", ""]
            out += [f"1. {step}" for step in activity["steps"]]
            out.append("")
        if activity.get("materials"):
            out += [f"**{LABELS['materials']}**", ""]
            out += [f"- {m}" for m in activity["materials"]]
            out.append("")
        if activity.get("prompts"):
            out += [f"**{LABELS['prompts']}**", ""]
            out += [f"1. {prompt}" for prompt in activity["prompts"]]
            out.append("")
        if activity.get("questions"):
            out += [f"**{LABELS['questions']}**", ""]
            for number, question in enumerate(activity["questions"], 1):
                out += [f"**{number}.** {question['question']}", ""]
                out += [f'??? question "{LABELS["answer"]}"', ""]
                out += [f"    {question['answer']}", ""]
        methods = [
            f"[{self.methods[m]['title']}](../methods/{m}.md)"
            for m in activity.get("methods", [])
            if m in self.methods
        ]
        if methods:
            out += [f"**{LABELS['methods']}:** {', '.join(methods)}", ""]
        return out

    def method(self, method: dict[str, Any]) -> str:
        out = [_front_matter(method["title"], method.get("tags")), f"# {method['title']}", ""]
        if method.get("summary"):
            out += [f"*{method['summary']}*", ""]
        if method.get("when"):
            out += [f'!!! tip "{LABELS["when"]}"', "", f"    {method['when']}", ""]
        if method.get("steps"):
            out += [f"## {LABELS['steps']}", ""]
            for number, step in enumerate(method["steps"], 1):
                out += [f"### {number}. {step['title']}", ""]
                if step.get("description"):
                    out += [step["description"], ""]
                out += [f"- *{prompt}*" for prompt in step.get("prompts", [])]
                out.append("")
        if method.get("sources"):
            out += [f"## {LABELS['sources']}", ""]
            out += [f"- {s}" for s in method["sources"]]
            out.append("")
        return "\n".join(out)

    def glossary(self) -> str:
        out = [f"# {LABELS['glossary']}", ""]
        for term in self.terms:
            out += [f"### {term['term']}", "", str(term["definition"]).strip(), ""]
            if term.get("see"):
                links = ", ".join(f"[{other}](#{slugify(other, '-')})" for other in term["see"])
                out += [f"*{LABELS['see_also']}:* {links}", ""]
        return "\n".join(out)

    def tags(self) -> str:
        return f"# {LABELS['tags']}\n\n<!-- material/tags -->\n"

    def programme(self, programme: dict[str, Any]) -> str:
        out = [_front_matter(programme["title"]), f"# {programme['title']}", ""]
        if programme.get("summary"):
            out += [f"*{programme['summary']}*", ""]
        if programme.get("audience"):
            out += [f"**{LABELS['audience']}:** {programme['audience']}", ""]
        if programme.get("outcomes"):
            out += [f"## {LABELS['outcomes']}", ""]
            out += [f"- {o}" for o in programme["outcomes"]]
            out.append("")
        for phase in programme.get("phases", []):
            out += [f"## {phase['title']}", ""]
            for session in phase.get("sessions", []):
                out += self.session(session)
        roles = {r["id"]: r["title"] for r in programme.get("roles", [])}
        if programme.get("checklist"):
            out += [f"## {LABELS['checklist']}", ""]
            for task in programme["checklist"]:
                role = roles.get(task["role"], task["role"])
                out.append(f"- **{role}, {LABELS['day'].lower()} {task['day']}:** {task['task']}")
            out.append("")
        return "\n".join(out)

    def session(self, session: dict[str, Any]) -> list[str]:
        kind = LABELS.get(session.get("kind", ""), session.get("kind", ""))
        out = [f"### {session['title']}", ""]
        out += [
            f"*{LABELS['day']} {session.get('day', '')}, klo {session.get('start', '')}, {kind}*"
        ]
        out.append("")
        for item in session.get("items", []):
            if "module" in item:
                module_id = item["module"]
                title = self.modules.get(module_id, {}).get("title", module_id)
                out.append(f"- [{title}](../modules/{module_id}.md)")
            elif "break" in item:
                out.append(f"- {LABELS['break']}, {_minutes(item['break'])} min")
            else:
                out.append(f"- {item.get('title', '')}, {_minutes(item.get('duration'))} min")
        out.append("")
        return out
