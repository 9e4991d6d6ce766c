"""The synthetic curriculum the benchmark measures, also used by the tests.

About 1,500 words of body and four activities per module, three programmes, 20 method
cards and 200 glossary terms: the shape of a real onboarding programme, at any size.
The same size and seed always give the same files.
"""

from __future__ import annotations

import json
import random
import shutil
from dataclasses import dataclass
from pathlib import Path

BODY_WORDS = 1500
ACTIVITIES = 4
PROGRAMMES = 3
METHODS = 20
TERMS = 200
SESSION_MODULES = 2  # modules per session of a programme
PHASE_SESSIONS = 10  # sessions per phase
SEED = 20270111

MKDOCS_YML = """\
site_name: Polku-suorituskykytesti
site_description: Synteettinen opetussuunnitelma suorituskyvyn mittaamiseen
theme:
  name: material
  font: false
  features:
    - navigation.indexes
    - navigation.sections
    - navigation.top
    - navigation.footer
    - content.tooltips
    - search.highlight
    - search.suggest
    - toc.follow
  palette:
    - media: "(prefers-color-scheme: light)"
      scheme: default
      primary: indigo
      accent: indigo
      toggle:
        icon: material/brightness-7
        name: Vaihda tummaan teemaan
    - media: "(prefers-color-scheme: dark)"
      scheme: slate
      primary: indigo
      accent: light blue
      toggle:
        icon: material/brightness-4
        name: Vaihda vaaleaan teemaan
plugins:
  - search
  - tags
  - polku
"""

HOME_MD = """\
# Polku-suorituskykytesti

Synteettinen opetussuunnitelma, jolla mitataan polkua.

<!-- polku:programmes -->
"""


def _words(text: str) -> list[str]:
    return text.split()


# Finnish words of the texts, glossary terms made of stem + kind; the order matters
# (the generator picks them by a seeded random number), so append, never reorder.
WORDS = _words(
    """
asiakas valmentaja tavoite ohjaus työllisyys palvelu keskustelu kohtaaminen osaaminen
työpaikka koulutus tuki polku suunnitelma prosessi vaihe menetelmä arviointi palaute
vuorovaikutus luottamus motivaatio voimavara ratkaisu kysymys vastaus tilanne muutos
työnhaku haastattelu ansioluettelo verkosto yhteistyö sopimus kirjaus seuranta askel taito
kokemus oppiminen harjoitus ryhmä pari tehtävä ajatus tunne kuuntelu selvitys mahdollisuus
haaste este vahvuus toive unelma arki elämä terveys toimintakyky hyvinvointi työkyky
kuntoutus opiskelu ammatti ala yritys työnantaja rekrytointi hakemus tapaaminen viikko
päivä aamu ilta hetki kerta aika paikka tila ympäristö yhteisö tiimi kollega esihenkilö
mentori kouluttaja oppija ohjaaja valmennus neuvonta selkeä avoin rohkea hyvä uusi tärkeä
yhteinen oma pieni suuri nopea hidas erilainen sopiva tarkka tavoitteellinen aktiivinen
luova käytännöllinen konkreettinen yksilöllinen tutkii kuuntelee kysyy kertoo sopii arvioi
suunnittelee kirjaa tukee ohjaa valmentaa huomaa ymmärtää oppii kokeilee harjoittelee
pohtii valitsee päättää toimii etenee ja sekä tai mutta koska kun jos että myös vain aina
usein joskus nyt sitten yhdessä
"""
)
TERM_STEMS = _words(
    """
ohjaus valmennus kohtaaminen arviointi kuntoutus työkyky verkosto tavoite sopimus palaute
motivaatio osaaminen kirjaus seuranta polku palvelu ryhmä mentorointi haastattelu työnhaku
"""
)
TERM_KINDS = _words(
    """
malli prosessi suunnitelma menetelmä periaate käytäntö taito kartta tuki kehä
"""
)


@dataclass
class Sizes:
    modules: int
    body_words: int = BODY_WORDS
    programmes: int = PROGRAMMES
    methods: int = METHODS
    terms: int = TERMS


def _sentence(rng: random.Random, terms: list[str], words: int | None = None) -> str:
    count = words or rng.randint(8, 16)
    picked = [rng.choice(WORDS) for _ in range(count)]
    if terms and rng.random() < 0.25:
        picked[rng.randrange(count)] = rng.choice(terms).lower()
    text = " ".join(picked)
    return text[:1].upper() + text[1:] + "."


def _paragraph(rng: random.Random, terms: list[str], words: int) -> str:
    sentences, total = [], 0
    while total < words:
        sentence = _sentence(rng, terms)
        sentences.append(sentence)
        total += sentence.count(" ") + 1
    return " ".join(sentences)


def _body(rng: random.Random, index: int, ids: list[str], terms: list[str], words: int) -> str:
    """About ``words`` words of Markdown: sections, lists, emphasis, a link, a note."""
    parts: list[str] = []
    written = 0
    section = 0
    while written < words - 120:
        section += 1
        parts.append(f"## {_sentence(rng, [], 4)[:-1]} {section}")
        for _ in range(3):
            text = _paragraph(rng, terms, 60)
            if rng.random() < 0.5:  # one word in bold
                words_ = text.split(" ")
                at = rng.randrange(1, len(words_) - 1)
                words_[at] = f"**{words_[at]}**"
                text = " ".join(words_)
            parts.append(text)
            written += text.count(" ") + 1
        items = [_sentence(rng, terms, 8) for _ in range(4)]
        parts.append("\n".join(f"- {item}" for item in items))
        written += 36
        if section == 2 and index > 0:
            other = ids[index - 1]
            parts.append(f"Katso myös [edellinen moduuli]({other}.md#activities).")
        if section == 3:
            parts.append(f'!!! note "Muista"\n\n    {_sentence(rng, terms)}')
            written += 12
    return "\n\n".join(parts) + "\n"


def _yaml_text(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)


def _block(text: str, indent: int) -> str:
    pad = " " * indent
    return "|\n" + "\n".join(pad + line if line else "" for line in text.splitlines()) + "\n"


def generate(root: Path, sizes: Sizes, seed: int = SEED) -> dict[str, object]:
    """Write a synthetic curriculum project into ``root``; returns facts about it."""
    rng = random.Random(seed + sizes.modules)
    if root.exists():
        shutil.rmtree(root)
    curriculum = root / "curriculum"
    for folder in ("programmes", "modules", "methods", "assets"):
        (curriculum / folder).mkdir(parents=True)
    (root / "docs").mkdir()
    (root / "mkdocs.yml").write_text(MKDOCS_YML, "utf-8")
    (root / "docs" / "index.md").write_text(HOME_MD, "utf-8")

    terms: list[str] = []
    for stem in TERM_STEMS:
        for kind in TERM_KINDS:
            terms.append(f"{stem.capitalize()}{kind}")
    terms = terms[: sizes.terms]
    while len(terms) < sizes.terms:
        terms.append(f"Termi{len(terms) + 1}")
    lines = ["terms:"]
    for number, term in enumerate(terms):
        lines.append(f"  - term: {term}")
        lines.append(f"    definition: {_yaml_text(_paragraph(rng, [], 30))}")
        if number % 4 == 0 and number + 1 < len(terms):
            lines.append(f"    see: [{terms[number + 1]}]")
    (curriculum / "glossary.yml").write_text("\n".join(lines) + "\n", "utf-8")

    method_ids = [f"menetelma-{n:02d}" for n in range(1, sizes.methods + 1)]
    for number, method_id in enumerate(method_ids, 1):
        steps = "".join(
            f"  - title: Vaihe {s}\n"
            f"    description: {_yaml_text(_sentence(rng, terms))}\n"
            f"    prompts: [{_yaml_text(_sentence(rng, [], 6)[:-1] + '?')}]\n"
            for s in range(1, 5)
        )
        (curriculum / "methods" / f"{method_id}.yml").write_text(
            f"id: {method_id}\n"
            f"title: Menetelmä {number}\n"
            f"summary: {_yaml_text(_sentence(rng, terms))}\n"
            f"when: {_yaml_text(_sentence(rng, terms))}\n"
            f"steps:\n{steps}"
            f"tags: [menetelmä]\n"
            f"sources: [{_yaml_text('Lähde, A. (2020). Menetelmäopas.')}]\n",
            "utf-8",
        )

    module_ids = [f"moduuli-{n:04d}" for n in range(1, sizes.modules + 1)]
    words = 0
    for index, module_id in enumerate(module_ids):
        body = _body(rng, index, module_ids, terms, sizes.body_words)
        words += len(body.split())
        (curriculum / "modules" / f"{module_id}.md").write_text(body, "utf-8")
        prerequisite = (
            f"prerequisites: [{module_ids[index - sizes.programmes]}]\n"
            if index >= sizes.programmes and index % 5 == 0
            else ""
        )
        methods = rng.sample(method_ids, 3)
        (curriculum / "modules" / f"{module_id}.yml").write_text(
            f"id: {module_id}\n"
            f"title: {_yaml_text(f'Moduuli {index + 1}: ' + _sentence(rng, [], 3)[:-1])}\n"
            f"summary: {_yaml_text(_sentence(rng, terms))}\n"
            f"{prerequisite}"
            f"tags: [{rng.choice(TERM_STEMS)}, {rng.choice(TERM_STEMS)}-{index % 7}]\n"
            "outcomes:\n"
            f"  - id: tieto\n    text: {_yaml_text(_sentence(rng, terms))}\n"
            f"  - id: taito\n    text: {_yaml_text(_sentence(rng, terms))}\n"
            f"  - id: asenne\n    text: {_yaml_text(_sentence(rng, terms))}\n"
            "activities:\n"
            "  - id: harjoitus\n"
            "    type: exercise\n"
            f"    title: {_yaml_text('Harjoitus: ' + _sentence(rng, [], 3)[:-1])}\n"
            "    duration: 20min\n"
            "    mode: pairs\n"
            "    outcomes: [tieto, taito]\n"
            f"    methods: [{methods[0]}, {methods[1]}]\n"
            f"    instructions: {_block(_paragraph(rng, terms, 60), 6)}"
            f"    steps: [{', '.join(_yaml_text(_sentence(rng, [], 5)) for _ in range(3))}]\n"
            "    materials: [Ajastin, Tehtäväkortit]\n"
            f"    facilitator_notes: {_block(_paragraph(rng, terms, 40), 6)}"
            f"    debrief: [{_yaml_text(_sentence(rng, [], 6)[:-1] + '?')}]\n"
            "  - id: pohdinta\n"
            "    type: reflection\n"
            f"    title: {_yaml_text('Pohdinta: ' + _sentence(rng, [], 3)[:-1])}\n"
            "    duration: 20min\n"
            "    mode: solo\n"
            "    outcomes: [asenne]\n"
            f"    prompts: [{', '.join(_yaml_text(_sentence(rng, [], 6)[:-1] + '?') for _ in range(3))}]\n"  # noqa: E501
            "  - id: keskustelu\n"
            "    type: discussion\n"
            f"    title: {_yaml_text('Keskustelu: ' + _sentence(rng, [], 3)[:-1])}\n"
            "    duration: 20min\n"
            "    mode: group\n"
            "    outcomes: [taito]\n"
            f"    methods: [{methods[2]}]\n"
            f"    instructions: {_block(_paragraph(rng, terms, 40), 6)}"
            f"    prompts: [{', '.join(_yaml_text(_sentence(rng, [], 6)[:-1] + '?') for _ in range(2))}]\n"  # noqa: E501
            f"    facilitator_notes: {_block(_paragraph(rng, terms, 30), 6)}"
            "  - id: tarkistus\n"
            "    type: self-check\n"
            f"    title: {_yaml_text('Tarkista: ' + _sentence(rng, [], 3)[:-1])}\n"
            "    duration: 20min\n"
            "    outcomes: [tieto, taito, asenne]\n"
            "    questions:\n"
            + "".join(
                f"      - question: {_yaml_text(_sentence(rng, [], 7)[:-1] + '?')}\n"
                f"        answer: {_yaml_text(_sentence(rng, terms))}\n"
                for _ in range(3)
            )
            + "sources:\n"
            f"  - {_yaml_text(f'Kirjoittaja, K. ({2000 + index % 25}). Teos {index + 1}.')}\n"
            f"  - {_yaml_text('Työ- ja elinkeinoministeriö (2024). Opas.')}\n",
            "utf-8",
        )

    programmes = min(sizes.programmes, sizes.modules)  # a programme has one module at least
    for p in range(programmes):
        mine = module_ids[p::programmes]
        phases = []
        sessions = [mine[i : i + SESSION_MODULES] for i in range(0, len(mine), SESSION_MODULES)]
        for ph in range(0, max(1, len(sessions)), PHASE_SESSIONS):
            chunk = sessions[ph : ph + PHASE_SESSIONS]
            text = f"  - id: vaihe-{ph // PHASE_SESSIONS + 1}\n"
            text += f"    title: Vaihe {ph // PHASE_SESSIONS + 1}\n    sessions:\n"
            for s, modules in enumerate(chunk, ph + 1):
                text += (
                    f"      - id: tapaaminen-{s}\n"
                    f"        title: Tapaaminen {s}\n"
                    f"        kind: {'contact' if s % 2 else 'remote'}\n"
                    f"        day: {s}\n"
                    '        start: "09:00"\n'
                    "        facilitator: mentori\n"
                    "        items:\n"
                    "          - title: Aloitus\n"
                    "            duration: 15min\n"
                )
                for m, module_id in enumerate(modules):
                    if m:
                        text += "          - break: 15min\n"
                    text += f"          - module: {module_id}\n"
            if chunk:
                phases.append(text)
        (curriculum / "programmes" / f"ohjelma-{p + 1}.yml").write_text(
            f"id: ohjelma-{p + 1}\n"
            f"title: Ohjelma {p + 1}\n"
            "language: fi\n"
            f"summary: {_yaml_text(_sentence(rng, terms))}\n"
            f"audience: {_yaml_text(_sentence(rng, []))}\n"
            f"outcomes: [{_yaml_text(_sentence(rng, terms))}, {_yaml_text(_sentence(rng, []))}]\n"
            "start_date: 2027-01-11\n"
            "roles:\n"
            "  - id: uusi\n    title: Uusi työntekijä\n"
            "  - id: mentori\n    title: Mentori\n"
            "  - id: hr\n    title: HR\n"
            "phases:\n" + "".join(phases) + "checklist:\n"
            "  - role: hr\n    day: -5\n    task: Lähetä tervetuloviesti.\n"
            "  - role: mentori\n    day: 1\n    task: Esittele työyhteisö.\n",
            "utf-8",
        )
    return {"modules": sizes.modules, "body_words": words // max(1, sizes.modules)}


def module_ids(project: Path) -> list[str]:
    """The ids of a project's modules, in file order."""
    return sorted(p.stem for p in (project / "curriculum" / "modules").glob("*.yml"))


def edit_module(project: Path, module_id: str, note: str) -> None:
    """Append a paragraph to a module's body, as an author saving the file would."""
    body = project / "curriculum" / "modules" / f"{module_id}.md"
    body.write_text(body.read_text("utf-8").rstrip("\n") + f"\n\n{note}\n", "utf-8")
