"""tools/system-packages.sh: what `make site`, `make test` and CI install, or name.

The script asks dpkg what is installed and installs with apt-get. This machine has
everything, so a package is made missing by a ``dpkg-query`` placed before the real one
on PATH (it answers 'not installed' for the named packages and asks the real one for the
rest), and apt-get is a recorder: a test must not install packages on the machine it
runs on. The unprivileged cases run as another user where the tests run as root.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import REPO

SCRIPT = REPO / "tools" / "system-packages.sh"
NOBODY = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
SITE = ["libpango-1.0-0", "libpangoft2-1.0-0", "libharfbuzz-subset0"]
TEST = [*SITE, "chromium"]


def fake_commands(folder: Path, missing: list[str]) -> Path:
    """A folder with ``dpkg-query`` (that misses ``missing``) and a recording ``apt-get``."""
    folder.mkdir(parents=True, exist_ok=True)
    real = shutil.which("dpkg-query")
    assert real is not None, "the tests run on Debian"
    names = " ".join(missing)
    (folder / "dpkg-query").write_text(
        "#!/bin/sh\n"
        "for package; do :; done  # the last argument\n"
        f'case " {names} " in *" $package "*) exit 1 ;; esac\n'
        f'exec {real} "$@"\n'
    )
    (folder / "apt-get").write_text(f'#!/bin/sh\necho "$*" >> {folder}/apt-get.log\n')
    for name in ("dpkg-query", "apt-get"):
        (folder / name).chmod(0o755)
    for path in (folder.parent, folder):
        path.chmod(0o777)
    return folder


def run_script(
    purpose: str, folder: Path, *, as_other_user: bool = False
) -> subprocess.CompletedProcess[str]:
    prefix = NOBODY if as_other_user and os.geteuid() == 0 else []
    return subprocess.run(
        [*prefix, "sh", str(SCRIPT), purpose],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "PATH": f"{folder}:{os.environ['PATH']}"},
    )


def apt_calls(folder: Path) -> list[str]:
    log = folder / "apt-get.log"
    return log.read_text().splitlines() if log.exists() else []


@pytest.fixture
def commands() -> Iterator[Path]:
    """A folder for the commands that another user can enter (pytest's own is private)."""
    shared = Path(tempfile.mkdtemp(prefix="polku-packages-"))
    yield shared / "bin"
    shutil.rmtree(shared, ignore_errors=True)


def test_nothing_to_do_when_everything_is_installed(commands: Path) -> None:
    for package in TEST:
        if subprocess.run(["dpkg-query", "-W", package], capture_output=True).returncode:
            pytest.skip(f"{package} is not installed here")
    folder = fake_commands(commands, missing=[])
    for purpose in ("site", "test"):
        result = run_script(purpose, folder)
        assert (result.returncode, result.stdout, result.stderr) == (0, "", "")
    assert apt_calls(folder) == []


def test_root_installs_what_is_missing(commands: Path) -> None:
    if os.geteuid() != 0:
        pytest.skip("installing needs root")
    folder = fake_commands(commands, missing=["chromium", "libharfbuzz-subset0"])
    result = run_script("test", folder)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ("polku: installing the system packages libharfbuzz-subset0 chromium\n")
    assert apt_calls(folder) == [
        "update -qq",
        "install -y -qq --no-install-recommends libharfbuzz-subset0 chromium",
    ]


def test_a_user_who_is_not_root_is_told_what_to_install(commands: Path) -> None:
    if os.geteuid() == 0 and shutil.which("setpriv") is None:
        pytest.skip("needs setpriv to run the script as another user")
    folder = fake_commands(commands, missing=["chromium", "libpango-1.0-0"])
    result = run_script("test", folder, as_other_user=True)
    assert result.returncode == 1
    assert result.stderr == (
        "polku: error: the system packages libpango-1.0-0 chromium are not installed; install "
        "them with 'sudo apt-get install libpango-1.0-0 chromium' (or run make as root, which "
        "installs them)\n"
    )
    assert apt_calls(folder) == []


def test_a_site_builds_without_harfbuzz_subsetting_for_a_user(commands: Path) -> None:
    """polku build says in one line what is slower (see test_workbooks.py)."""
    if os.geteuid() == 0 and shutil.which("setpriv") is None:
        pytest.skip("needs setpriv to run the script as another user")
    folder = fake_commands(commands, missing=["libharfbuzz-subset0"])
    result = run_script("site", folder, as_other_user=True)
    assert (result.returncode, result.stderr) == (0, "")
    assert run_script("test", folder, as_other_user=True).returncode == 1
    assert apt_calls(folder) == []
