"""Reading a large curriculum in several processes gives what reading it in one gives."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import pytest
from bench.synth import Sizes, generate
from conftest import REPO, TESTS
from helpers import edit
from polku import background, parallel, reading
from polku.diagnostics import Report
from polku.reading import loading
from polku.rules import validate

several_cores = pytest.mark.skipif(
    parallel.available_cores() < 2 or not hasattr(os, "fork"),
    reason="sharing work needs two cores and os.fork",
)


def square_with_pid(number: int) -> tuple[int, int]:
    return number * number, os.getpid()


def slow_square_with_pid(number: int) -> tuple[int, int]:
    """Slow enough that every process takes part before the work is done."""
    time.sleep(0.001)
    return number * number, os.getpid()


def in_a_fresh_process(call: str) -> None:
    """Run ``call`` (Python, with this module imported as ``t``) in a new interpreter.

    polku forks only while no other thread runs, and a test process has threads left
    over from other tests (servers, browsers): the sharing is tested where none are.
    """
    code = f"import sys; sys.path[:0] = {[str(TESTS), str(REPO / 'tools')]!r}\n"
    code += f"import test_parallel as t\n{call}\n"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]


@several_cores
def test_results_come_back_in_order_from_several_processes() -> None:
    in_a_fresh_process("t.results_come_back_in_order()")


def results_come_back_in_order() -> None:
    assert threading.active_count() == 1
    open_files = sorted(os.listdir("/proc/self/fd"))
    results = parallel.map_plain(slow_square_with_pid, range(1000), min_share=10)
    assert [square for square, _pid in results] == [n * n for n in range(1000)]
    assert len({pid for _square, pid in results}) == min(parallel.available_cores(), 4)
    assert threading.active_count() == 1
    # again: nothing of the first call is left to keep the work in this process
    again = parallel.map_plain(slow_square_with_pid, range(1000), min_share=10)
    assert len({pid for _square, pid in again}) == min(parallel.available_cores(), 4)
    assert sorted(os.listdir("/proc/self/fd")) == open_files  # every pipe closed


@several_cores
def test_slow_items_are_shared_wherever_they_are() -> None:
    in_a_fresh_process("t.slow_items_are_shared()")


def slow_items_are_shared() -> None:
    """A process that finishes its items takes more: slow items together (the large
    pages of a site, say) do not keep one process busy while the others wait."""

    def slow_first(number: int) -> tuple[int, int]:
        if number < 200:
            time.sleep(0.005)
        return number, os.getpid()

    results = parallel.map_plain(slow_first, range(1000), min_share=10)
    assert [number for number, _pid in results] == list(range(1000))
    processes = min(parallel.available_cores(), 4)
    assert len({pid for _number, pid in results[:200]}) == processes


@several_cores
def test_work_of_its_own_is_done_here_while_the_others_take_the_items() -> None:
    in_a_fresh_process("t.work_done_meanwhile()")


def work_done_meanwhile() -> None:
    """``meanwhile`` runs once, in this process, after the others have started: they
    take the items this process would have taken while it was busy."""
    here = os.getpid()
    done: list[int] = []

    def busy() -> None:
        time.sleep(1.0)  # twice as long as the others take for all the items
        done.append(os.getpid())

    results = parallel.map_plain(slow_square_with_pid, range(400), min_share=10, meanwhile=busy)
    assert done == [here]
    assert [square for square, _pid in results] == [n * n for n in range(400)]
    # busy for longer than the work takes the others: they did (nearly) all of it
    assert sum(pid == here for _square, pid in results) < 100
    # kept in this process, the work of its own is done all the same
    small = parallel.map_plain(square_with_pid, range(5), min_share=100, meanwhile=busy)
    assert done == [here, here] and [square for square, _pid in small] == [0, 1, 4, 9, 16]


def test_small_jobs_stay_in_this_process() -> None:
    results = parallel.map_plain(square_with_pid, range(50), min_share=100)
    assert {pid for _square, pid in results} == {os.getpid()}


@several_cores
def test_a_failing_or_killed_process_leaves_its_share_to_this_one() -> None:
    in_a_fresh_process("t.failures_are_made_good()")


def failures_are_made_good() -> None:
    this = os.getpid()
    open_files = sorted(os.listdir("/proc/self/fd"))
    forks = []
    real_fork = os.fork
    os.fork = lambda: forks.append(1) or real_fork()  # type: ignore[assignment]

    def fails_elsewhere(number: int) -> int:
        if os.getpid() != this:
            raise RuntimeError("only in a forked process")
        return number + 1

    def dies_elsewhere(number: int) -> int:
        if os.getpid() != this:
            os.kill(os.getpid(), signal.SIGKILL)
        return number + 1

    def unmarshallable_elsewhere(number: int) -> object:
        return object() if os.getpid() != this else number + 1

    def dies_halfway_elsewhere(number: int) -> int:
        # its first results are in this process already when it dies
        if os.getpid() != this and number == 480:
            os.kill(os.getpid(), signal.SIGKILL)
        return number + 1

    def fails_last_elsewhere(number: int) -> int:
        if os.getpid() != this and number == 499:
            raise RuntimeError("only in a forked process")
        return number + 1

    expected = [n + 1 for n in range(500)]
    assert parallel.map_plain(fails_elsewhere, range(500), min_share=10) == expected
    assert parallel.map_plain(dies_elsewhere, range(500), min_share=10) == expected
    assert parallel.map_plain(unmarshallable_elsewhere, range(500), min_share=10) == expected
    assert parallel.map_plain(dies_halfway_elsewhere, range(500), min_share=10) == expected
    assert parallel.map_plain(fails_last_elsewhere, range(500), min_share=10) == expected
    assert len(forks) >= 5
    assert sorted(os.listdir("/proc/self/fd")) == open_files  # every pipe closed
    assert threading.active_count() == 1  # the threads taking results in are done


@several_cores
def test_an_interrupt_as_a_process_starts_leaves_none_working() -> None:
    in_a_fresh_process("t.interrupt_at_fork()")


def interrupt_at_fork() -> None:
    """Ctrl-C arriving just after ``os.fork()`` returns: the process started is stopped
    with the rest, and nothing it would have done happens after the interrupt."""
    this = os.getpid()
    real_fork = os.fork

    def fork_then_interrupt() -> int:
        pid = real_fork()
        if pid:
            os.kill(this, signal.SIGINT)
        return pid

    def write_slowly(number: int, folder: str) -> int:
        time.sleep(0.005)
        Path(folder, f"{number}-{os.getpid()}").touch()
        return number

    with tempfile.TemporaryDirectory() as folder:
        os.fork = fork_then_interrupt  # type: ignore[assignment]
        try:
            parallel.map_plain(lambda n: write_slowly(n, folder), range(400), min_share=10)
        except KeyboardInterrupt:
            pass
        else:
            raise AssertionError("the interrupt was lost")
        finally:
            os.fork = real_fork
        written = len(os.listdir(folder))
        time.sleep(0.3)
        assert len(os.listdir(folder)) == written  # no process left writing
        try:
            os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            pass
        else:
            raise AssertionError("a forked process was not waited for")


def test_no_fork_while_other_threads_run() -> None:
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        results = parallel.map_plain(square_with_pid, range(1000), min_share=10)
    finally:
        stop.set()
        other.join()
    assert {pid for _square, pid in results} == {os.getpid()}


def _read(project: Path) -> tuple[list[str], dict[str, object], dict[object, object]]:
    report = Report()
    curriculum = reading.load(project, report, cache=False)
    validate(curriculum, report)
    models = {
        ident: model.model_dump()
        for kind in (curriculum.modules, curriculum.methods, curriculum.programmes)
        for ident, model in kind.items()
    }
    positions = {key: (s.keys, s.values) for key, s in curriculum.sources.items()}
    return [str(d) for d in report.sorted()], models, positions


@several_cores
def test_a_large_curriculum_reads_the_same_shared_or_not(tmp_path: Path) -> None:
    in_a_fresh_process(f"t.large_curriculum_reads_the_same({str(tmp_path)!r})")


def large_curriculum_reads_the_same(folder: str) -> None:
    tmp_path = Path(folder)
    monkeypatch = pytest.MonkeyPatch()
    project = tmp_path / "large"
    generate(project, Sizes(240, body_words=40))
    modules = "curriculum/modules"
    # files the fast reader leaves to the round-trip reader, and files with problems,
    # spread over the shares of different processes
    edit(project, f"{modules}/moduuli-0003.yml", "tags: [", "tags: !!seq [")
    edit(project, f"{modules}/moduuli-0090.yml", "    duration: 20min", "    duration: [20min")
    edit(project, f"{modules}/moduuli-0150.yml", "    mode: pairs", "    mode: everybody")
    edit(
        project,
        f"{modules}/moduuli-0200.yml",
        "outcomes:\n  - id: tieto",
        "outcomes:\n  - &o id: tieto",
    )
    edit(project, f"{modules}/moduuli-0239.yml", "summary: ", 'summary: "\\u0007" #')

    monkeypatch.setattr(loading, "PARALLEL_MIN_FILES", 20)
    calls = []
    monkeypatch.setattr(os, "fork", _counting(os.fork, calls))
    shared = _read(project)
    assert calls, "the files were not shared between processes"
    monkeypatch.setattr(parallel, "available_cores", lambda: 1)
    alone = _read(project)
    assert shared == alone
    problems, models, _positions = shared
    assert [line.split(":", 1)[0] for line in problems] == [
        f"{modules}/moduuli-0090.yml",
        f"{modules}/moduuli-0150.yml",
        f"{modules}/moduuli-0239.yml",
    ], problems
    assert "moduuli-0003" in models and "moduuli-0200" in models  # the round-trip reader's


def _counting(function, calls):  # type: ignore[no-untyped-def]
    def counted(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(args)
        return function(*args, **kwargs)

    return counted


@several_cores
def test_background_writes_do_not_keep_the_work_from_being_shared(tmp_path: Path) -> None:
    in_a_fresh_process(f"t.shared_after_background_writes({str(tmp_path)!r})")


def shared_after_background_writes(folder: str) -> None:
    written = Path(folder) / "written"
    background.submit(written.write_text, "kept", "utf-8")  # a thread of this process
    assert threading.active_count() > 1
    results = parallel.map_plain(slow_square_with_pid, list(range(400)), min_share=100)
    assert written.read_text("utf-8") == "kept"  # finished before the fork
    assert [square for square, _pid in results] == [n * n for n in range(400)]
    assert len({pid for _square, pid in results}) > 1


def test_background_tasks_report_their_first_error(tmp_path: Path) -> None:
    def fail() -> None:
        raise OSError(28, "No space left on device")

    done = tmp_path / "done"
    background.submit(fail)
    background.submit(done.write_text, "x", "utf-8")
    with pytest.raises(OSError, match="No space left"):
        background.wait()
    background.wait()  # reported once; the other task ran all the same
    assert done.read_text("utf-8") == "x"
