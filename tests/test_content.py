"""Guards the structure of the project's own curriculum (the real Finnish content)."""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from polku.check import check
from polku.curriculum import Curriculum
from polku.model import (
    Activity,
    ActivityItem,
    ActivityType,
    Handout,
    Mode,
    ModuleItem,
    Programme,
    Session,
    SessionKind,
)
from ruamel.yaml import YAML

REPO = Path(__file__).resolve().parent.parent
CURRICULUM = REPO / "curriculum"
HANDOUTS = CURRICULUM / "handouts"
SEEDS = REPO.parent / "shared" / "seeds"
COPIED_RUN = 10  # words in a row that may not be copied from a source document

CORE_MODULE = "tyollistymiskeskeinen-valmennus"
MENTORING_MODULE = "mentorointi-perehdytyksessa"


@pytest.fixture(scope="module")
def curriculum() -> Curriculum:
    loaded, report = check(REPO)
    assert [str(d) for d in report.sorted()] == [], "polku check must report nothing"
    return loaded


def words(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


def scheduled_activities(
    curriculum: Curriculum, session: Session
) -> Iterator[tuple[str, Activity]]:
    """Every activity a session runs, as (module id, activity), whole modules included."""
    for item in session.items:
        if isinstance(item, ActivityItem):
            module = curriculum.modules[item.module_id]
            activity = module.activity(item.activity_id)
            assert activity is not None, item.activity
            yield module.id, activity
        elif isinstance(item, ModuleItem):
            module = curriculum.modules[item.module]
            for activity in module.activities:
                yield module.id, activity


def all_scheduled(curriculum: Curriculum) -> set[tuple[str, str]]:
    return {
        (module_id, activity.id)
        for programme in curriculum.programmes.values()
        for _phase, session in programme.sessions()
        for module_id, activity in scheduled_activities(curriculum, session)
    }


def read_handout(path: Path) -> Handout:
    data = YAML(typ="safe", pure=True).load(path.read_text(encoding="utf-8"))
    return Handout.model_validate(data)


def test_programmes_exist(curriculum: Curriculum) -> None:
    assert {"omavalmentaja-perehdytys", "valmennuskuukausi", "vertaismentorointi"} <= set(
        curriculum.programmes
    )
    for programme in curriculum.programmes.values():
        assert programme.language == "fi"
        assert programme.start_date is not None


def test_modules_are_complete(curriculum: Curriculum) -> None:
    assert len(curriculum.modules) >= 16
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


def test_settled_terms(curriculum: Curriculum) -> None:
    """One name per agreement (toimintasopimus, kehittymissopimus), the café by its own name."""
    assert curriculum.glossary is not None
    terms = {term.term: term for term in curriculum.glossary.terms}
    assert {"Yhteistyösopimus", "Kehittymissopimus"} <= set(terms["Toimintasopimus"].see)
    assert "Toimintasopimus" in terms["Yhteistyösopimus"].see
    assert "Toimintasopimus" in terms["Kehittymissopimus"].see
    text = "\n".join(p.read_text(encoding="utf-8") for p in CURRICULUM.rglob("*.*"))
    # one letter from oppisopimus (an apprenticeship); the curriculum does not use it
    assert "oppimissopimu" not in text.lower()
    # the source's Kohtaavan kahvila is open to all staff, not a café for mentors
    assert "mentorikahvil" not in text.lower()


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


def test_second_contact_session_leaves_methods_to_the_mentor(curriculum: Curriculum) -> None:
    """The 2017 training was too fast: the goal map and the 10-minute coaching moved out."""
    programme = curriculum.programmes["omavalmentaja-perehdytys"]
    contact = [
        s
        for _phase, s in programme.sessions()
        if s.kind is SessionKind.CONTACT and s.duration == 240
    ]
    second = {(m, a.id) for m, a in scheduled_activities(curriculum, contact[1])}
    moved = {
        ("tavoitteen-asettaminen", "tavoitekartta-harjoitus"),
        ("valmennusprosessi", "kymmenen-minuuttia"),
    }
    assert not moved & second
    mentoring = {
        (m, a.id)
        for _phase, s in programme.sessions()
        if s.kind is SessionKind.MENTORING
        for m, a in scheduled_activities(curriculum, s)
    }
    assert moved <= mentoring
    assert len(second) <= 4


def test_self_study_holds_only_solo_work(curriculum: Curriculum) -> None:
    """Pair and group work is never scheduled where one person works alone."""
    for programme in curriculum.programmes.values():
        for _phase, session in programme.sessions():
            if session.kind is not SessionKind.SELF_STUDY:
                continue
            for module_id, activity in scheduled_activities(curriculum, session):
                assert activity.mode in (None, Mode.SOLO), (
                    f"{programme.id}/{session.id}: {module_id}/{activity.id} is {activity.mode}"
                )


def test_core_employment_module_is_scheduled(curriculum: Curriculum) -> None:
    module = curriculum.modules[CORE_MODULE]
    text = " ".join([module.body or ""] + [a.instructions or "" for a in module.activities]).lower()
    # the four phases, the IPS rules, job analysis and the employer's support instruments
    for phrase in (
        "työn etsintä",
        "työllistymisen mahdollistaminen",
        "työn pitämisen varmistaminen",
        "työelämässä pysymisen",
        "kuusi kertaa viikossa",
        "kuukauden kuluessa",
        "ilman aikarajaa",
        "kuusi näkökulmaa",
        "palkkatuki",
        "työolosuhteiden järjestelytuki",
    ):
        assert phrase in text, phrase
    scheduled = all_scheduled(curriculum)
    for activity in module.activities:
        assert (module.id, activity.id) in scheduled, activity.id
    programme = curriculum.programmes["omavalmentaja-perehdytys"]
    in_programme = {
        module_id
        for _phase, s in programme.sessions()
        for module_id, _a in scheduled_activities(curriculum, s)
    }
    assert {CORE_MODULE, "valityomarkkinat"} <= in_programme


def test_intermediate_labour_market_module_is_used(curriculum: Curriculum) -> None:
    module = curriculum.modules["valityomarkkinat"]
    scheduled = all_scheduled(curriculum)
    for activity in module.activities:
        assert (module.id, activity.id) in scheduled, activity.id


def test_mentor_sessions_carry_real_guidance(curriculum: Curriculum) -> None:
    """Every mentoring session runs activities with steps and notes for the mentor."""
    for programme in curriculum.programmes.values():
        for _phase, session in programme.sessions():
            if session.kind is not SessionKind.MENTORING:
                continue
            activities = [a for _m, a in scheduled_activities(curriculum, session)]
            where = f"{programme.id}/{session.id}"
            assert activities, f"{where} has only free agenda titles"
            assert all(a.facilitator_notes for a in activities), where
            assert any(a.steps for a in activities), where


def test_omavalmentaja_mentoring_has_checklist_feedback_and_reviews(
    curriculum: Curriculum,
) -> None:
    programme = curriculum.programmes["omavalmentaja-perehdytys"]
    mentoring = [s for _p, s in programme.sessions() if s.kind is SessionKind.MENTORING]
    run = {
        a.id: a
        for s in mentoring
        for module_id, a in scheduled_activities(curriculum, s)
        if module_id == MENTORING_MODULE
    }
    # shadowing, the first own meeting and its debrief, the week-1 and 8-week reviews
    assert {
        "varjostus",
        "varjostuksen-purku",
        "oma-tapaaminen-seurattuna",
        "palautekeskustelu",
        "viikon-katsaus",
        "kahdeksan-viikon-katsaus",
    } <= set(run)
    assert "havainnointilista" in run["varjostus"].handouts
    assert "havainnointilista" in run["oma-tapaaminen-seurattuna"].handouts
    assert "palautekeskustelun-runko" in run["palautekeskustelu"].handouts
    assert "havainnointilista" in run["kahdeksan-viikon-katsaus"].handouts


def test_every_handout_named_exists(curriculum: Curriculum) -> None:
    named = {
        handout_id
        for module in curriculum.modules.values()
        for activity in module.activities
        for handout_id in activity.handouts
    }
    assert named, "activities name their handouts"
    files = {path.stem: path for path in HANDOUTS.glob("*.yml")}
    assert named <= set(files), sorted(named - set(files))
    assert set(files) <= named, f"handouts no activity uses: {sorted(set(files) - named)}"
    for stem, path in files.items():
        handout = read_handout(path)
        assert handout.id == stem, path
        sibling = path.with_suffix(".md").is_file()
        assert [handout.body is not None, handout.file is not None, sibling].count(True) == 1
        if handout.file is not None:
            assert (path.parent / handout.file).resolve().is_file(), path
    if curriculum.handouts:  # once polku loads curriculum/handouts/ itself
        assert set(curriculum.handouts) == set(files)


def scheduled_modules(curriculum: Curriculum, programme: Programme) -> set[str]:
    return {
        module_id
        for _phase, s in programme.sessions()
        for module_id, _a in scheduled_activities(curriculum, s)
    }


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
    assert {"valmentaja", "tyollisyyskoordinaattori", "tyollisyysalueen-asiantuntija"} <= role_ids
    # the coach runs the group; the coordinator finds the work-trial places
    facilitators = {s.facilitator for _phase, s in programme.sessions() if s.day > 0}
    assert facilitators == {"valmentaja"}


def test_coaching_month_keeps_jobseeker_material_in_handouts(curriculum: Curriculum) -> None:
    """The coaching month is a programme for coaches: jobseekers get printed handouts."""
    programme = curriculum.programmes["valmennuskuukausi"]
    participant_handouts = {
        h
        for _phase, s in programme.sessions()
        for _m, a in scheduled_activities(curriculum, s)
        for h in a.handouts
        if read_handout(HANDOUTS / f"{h}.yml").audience == "participants"
    }
    assert len(participant_handouts) >= 20
    for module_id in scheduled_modules(curriculum, programme) & {
        "ryhmavalmennus",
        "piilotyopaikat",
        "tyohaastattelu",
    }:
        module = curriculum.modules[module_id]
        assert "valmentajalle" in module.tags, module_id
        # write-in prompts in the coach's workbook are the coach's own reflections only
        for activity in module.activities:
            if activity.prompts:
                assert activity.type is ActivityType.REFLECTION, activity.id


def test_programmes_speak_of_todays_service_system(curriculum: Curriculum) -> None:
    """Programmes dated 2027 name the employment areas, not the TE offices of before 2025."""
    outdated = re.compile(r"TE-toimisto|TE-asiantuntija|kuntakokeilu|oppisopimustoimisto")
    for programme in curriculum.programmes.values():
        texts = [r.title for r in programme.roles]
        for _phase, session in programme.sessions():
            texts += [session.title, session.location or "", session.group_size or ""]
        texts += [task.task for task in programme.checklist]
        assert not [t for t in texts if outdated.search(t)], programme.id


def test_vertaismentorointi_programme(curriculum: Curriculum) -> None:
    programme = curriculum.programmes["vertaismentorointi"]
    sessions = [s for _phase, s in programme.sessions()]
    workshops = [s for s in sessions if s.duration == 120 and s.group_size and "15" in s.group_size]
    assert workshops
    cafes = [s for s in sessions if s.duration == 60]
    assert len(cafes) >= 3


def seed_word_runs(size: int) -> set[tuple[str, ...]]:
    if not SEEDS.is_dir() or not any(SEEDS.glob("*.txt")):
        message = f"the source documents are not at {SEEDS}"
        if os.environ.get("CI"):
            pytest.fail(f"{message}; CI must check copying against them")
        pytest.skip(message)
    runs: set[tuple[str, ...]] = set()
    for seed in SEEDS.glob("*.txt"):
        text = seed.read_text(encoding="utf-8", errors="replace")
        # the seeds break words across lines ("Osaami-\nnen"): read them both joined and as is
        joined = re.sub(r"(\w)-[ \t]*\r?\n\s*(\w)", r"\1\2", text)
        for variant in (text, joined):
            seed_words = words(variant)
            runs.update(tuple(seed_words[i : i + size]) for i in range(len(seed_words) - size + 1))
    return runs


def test_no_sentence_is_copied_from_the_sources() -> None:
    seed_runs = seed_word_runs(COPIED_RUN)
    copied = []
    for path in sorted(CURRICULUM.rglob("*")):
        if path.suffix not in (".yml", ".md"):
            continue
        text_words = words(path.read_text(encoding="utf-8"))
        for i in range(len(text_words) - COPIED_RUN + 1):
            run = tuple(text_words[i : i + COPIED_RUN])
            if run in seed_runs:
                copied.append(f"{path.relative_to(REPO)}: {' '.join(run)}")
    assert copied == []


def test_copy_check_reads_words_broken_across_lines() -> None:
    # in 000 "Osaami-" ends a line and "nen" starts the next
    run = tuple(
        words(
            "ja urasuunnitelmissa OMA etuliite tulee sanoista osaaminen motivaatio ja aktiivisuus"
        )
    )
    assert run in seed_word_runs(len(run))


def test_copy_check_fails_in_ci_without_the_sources(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(sys.modules[__name__], "SEEDS", tmp_path / "no-seeds")
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI must check copying"):
        seed_word_runs(COPIED_RUN)
    monkeypatch.delenv("CI")
    with pytest.raises(pytest.skip.Exception):
        seed_word_runs(COPIED_RUN)
