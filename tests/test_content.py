"""Guards the structure of the project's own curriculum (the real Finnish content)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from polku.check import check
from polku.curriculum import Curriculum
from polku.model import ActivityType, SessionKind

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO.parent / "shared" / "seeds"


@pytest.fixture(scope="module")
def curriculum() -> Curriculum:
    loaded, report = check(REPO)
    assert [str(d) for d in report.sorted()] == [], "polku check must report nothing"
    return loaded


def words(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


def test_programmes_exist(curriculum: Curriculum) -> None:
    assert {"omavalmentaja-perehdytys", "valmennuskuukausi", "vertaismentorointi"} <= set(
        curriculum.programmes
    )
    for programme in curriculum.programmes.values():
        assert programme.language == "fi"
        assert programme.start_date is not None


def test_modules_are_complete(curriculum: Curriculum) -> None:
    assert len(curriculum.modules) >= 14
    for module in curriculum.modules.values():
        assert module.outcomes, module.id
        assert module.body and len(words(module.body)) >= 300, module.id
        assert len(module.activities) >= 2, module.id
        assert any(a.type is ActivityType.REFLECTION and a.prompts for a in module.activities), (
            module.id
        )
        practised = {o for a in module.activities for o in a.outcomes}
        assert {o.id for o in module.outcomes} <= practised, module.id
        assert module.sources, module.id


def test_method_cards_are_complete_and_used(curriculum: Curriculum) -> None:
    assert len(curriculum.methods) >= 10
    used = {
        m for module in curriculum.modules.values() for a in module.activities for m in a.methods
    }
    for method in curriculum.methods.values():
        assert method.steps and all(step.prompts for step in method.steps), method.id
        assert method.id in used, method.id


def test_glossary_has_forty_terms(curriculum: Curriculum) -> None:
    assert curriculum.glossary is not None
    assert len(curriculum.glossary.terms) >= 40


def test_omavalmentaja_programme(curriculum: Curriculum) -> None:
    programme = curriculum.programmes["omavalmentaja-perehdytys"]
    sessions = [s for _phase, s in programme.sessions()]
    contact = [s for s in sessions if s.kind is SessionKind.CONTACT and s.duration == 240]
    assert len(contact) >= 2
    for session in contact[:2]:
        assert session.group_size and re.sub(r"\D+", "-", session.group_size).strip("-") == "25-30"
    first, second = contact[0], contact[1]
    between = [s for s in sessions if first.day < s.day < second.day]
    assert any(s.kind in (SessionKind.ASSIGNMENT, SessionKind.REMOTE) for s in between)
    assert any(s.kind is SessionKind.MENTORING for s in sessions)
    assert {t.role for t in programme.checklist} >= {"hr"}
    assert any(t.day < 0 for t in programme.checklist)


def test_valmennuskuukausi_programme(curriculum: Curriculum) -> None:
    programme = curriculum.programmes["valmennuskuukausi"]
    weekly = [p for p in programme.phases if any(s.day > 0 for s in p.sessions)]
    assert len(weekly) >= 4
    group_days = {
        s.day
        for _phase, s in programme.sessions()
        if s.kind is SessionKind.CONTACT and s.group_size and "8" in s.group_size
    }
    assert set(range(1, 21)) <= group_days  # a group meeting on every working day
    role_ids = {r.id for r in programme.roles}
    assert "te-asiantuntija" in role_ids and "tyollistamiskoordinaattori" in role_ids


def test_vertaismentorointi_programme(curriculum: Curriculum) -> None:
    programme = curriculum.programmes["vertaismentorointi"]
    sessions = [s for _phase, s in programme.sessions()]
    workshops = [s for s in sessions if s.duration == 120 and s.group_size and "15" in s.group_size]
    assert workshops
    cafes = [s for s in sessions if s.duration == 60]
    assert len(cafes) >= 3


@pytest.mark.skipif(not SEEDS.is_dir(), reason="the source documents are not beside the project")
def test_no_sentence_is_copied_from_the_sources() -> None:
    size = 10
    seed_runs: set[tuple[str, ...]] = set()
    for seed in SEEDS.glob("*.txt"):
        seed_words = words(seed.read_text(encoding="utf-8", errors="replace"))
        seed_runs.update(tuple(seed_words[i : i + size]) for i in range(len(seed_words) - size + 1))
    copied = []
    for path in sorted((REPO / "curriculum").rglob("*")):
        if path.suffix not in (".yml", ".md"):
            continue
        text_words = words(path.read_text(encoding="utf-8"))
        for i in range(len(text_words) - size + 1):
            run = tuple(text_words[i : i + size])
            if run in seed_runs:
                copied.append(f"{path.relative_to(REPO)}: {' '.join(run)}")
    assert copied == []
