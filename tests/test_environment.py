"""Faults of the machine are the user's to fix: one plain line, exit 1 or 2, the site untouched.

Each fault is made real where this machine allows it (a small tmpfs or a read-only bind
mount as root, another user for permissions) and, so that every machine tests the
message, also by making the operating-system call fail in a ``polku`` process
(``run_patched``). Exit status 3 and the crash log stay for real bugs.
"""

from __future__ import annotations

import errno
import hashlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import run_polku
from polku import environment
from polku.environment import Fault, fault_of
from polku.mkdocs import address
from polku.site_dir import STAGING_PREFIX

IS_ROOT = os.geteuid() == 0
# an unprivileged user for the permission tests when they run as root (root may read anything)
NOBODY = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]


# --- helpers -------------------------------------------------------------------------------


def tree(site: Path) -> dict[str, str]:
    """Every file under ``site`` with the SHA-256 of its bytes."""
    return {
        path.relative_to(site).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(site.rglob("*"))
        if path.is_file()
    }


def one_error_line(result: subprocess.CompletedProcess[str]) -> str:
    """The single ``polku: error:`` line of a failed command (no traceback, no bug message)."""
    output = result.stdout + result.stderr
    assert "Traceback" not in output and "bug in polku" not in output, output
    errors = [line for line in result.stderr.splitlines() if line.startswith("polku: error: ")]
    assert len(errors) == 1, output
    return errors[0]


PATCHED = """
import sys
{patch}
import polku.cli
sys.argv = ["polku", *sys.argv[1:]]
polku.cli.main()
"""


def run_patched(
    patch: str, *args: str | Path, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    """``polku ARGS`` in a new process whose operating-system calls ``patch`` made fail."""
    code = PATCHED.format(patch=textwrap.dedent(patch))
    return subprocess.run(
        [sys.executable, "-c", code, *map(str, args)],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
    )


def run_as_other_user(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    """``polku ARGS`` as a user without root's right to read and write anything."""
    prefix = NOBODY if IS_ROOT else []
    return subprocess.run(
        [*prefix, sys.executable, "-m", "polku", *map(str, args)],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "HOME": str(cwd)},
    )


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project from 'polku init', built once (no PDFs); tests work on copies."""
    project = tmp_path_factory.mktemp("environment") / "project"
    assert run_polku("init", project).returncode == 0
    result = run_polku("build", "--root", project, "--no-pdf")
    assert result.returncode == 0, result.stdout + result.stderr
    return project


@pytest.fixture
def project(built: Path, shared_dir: Path) -> Path:
    """A copy of the built project, which another user may read and write."""
    copy = shared_dir / "project"
    shutil.copytree(built, copy, symlinks=True)
    for path in [copy, *copy.rglob("*")]:
        if not path.is_symlink():
            path.chmod(0o777 if path.is_dir() else 0o666)
    return copy


@pytest.fixture
def shared_dir() -> Iterator[Path]:
    """A folder that another user can enter (pytest's own is private to the user)."""
    folder = Path(tempfile.mkdtemp(prefix="polku-environment-"))
    folder.chmod(0o755)
    try:
        yield folder
    finally:
        for path in [folder, *folder.rglob("*")]:  # let the clean-up into every folder
            if path.is_dir() and not path.is_symlink():
                path.chmod(0o755)
        shutil.rmtree(folder)


def other_user_available() -> None:
    if IS_ROOT and shutil.which("setpriv") is None:
        pytest.skip("needs setpriv to run polku as another user (the patched tests cover it)")


@pytest.fixture
def mount() -> Iterator[list[Path]]:
    """Mount points to unmount after the test; skips when this machine cannot mount."""
    if not IS_ROOT:
        pytest.skip("needs root to mount a small tmpfs (the patched tests cover the message)")
    mounted: list[Path] = []
    yield mounted
    for point in reversed(mounted):
        subprocess.run(["umount", "-l", str(point)], check=False)


def mount_or_skip(mounted: list[Path], *command: str) -> None:
    result = subprocess.run(["mount", *command], capture_output=True, text=True)
    if result.returncode != 0:
        pytest.skip(f"this machine cannot mount: {result.stderr.strip()}")
    mounted.append(Path(command[-1]))


def disk_usage(path: Path) -> int:
    """Bytes that the files under ``path`` take on a disk (whole blocks)."""
    return sum(p.lstat().st_blocks * 512 for p in [path, *path.rglob("*")])


# --- a full disk ---------------------------------------------------------------------------

FULL = """
import errno, os, shutil

def full(source, destination, *args, **kwargs):
    with open(destination, "wb") as target:  # as a real write: the file is open, nothing fits
        target.flush()
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

shutil.copyfile = full
"""


def test_a_full_disk_while_writing_the_site(project: Path) -> None:
    before = tree(project / "site")
    result = run_patched(FULL, "build", "--root", project, "--no-pdf", cwd=project.parent)
    assert result.returncode == 1
    assert one_error_line(result) == (
        "polku: error: project/site: no space left on the disk; free some space on that disk "
        "and run the command again; the previous site is unchanged"
    )
    assert tree(project / "site") == before
    assert not list(project.glob(f"{STAGING_PREFIX}*"))


def test_a_real_full_disk(project: Path, mount: list[Path], tmp_path: Path) -> None:
    """The project on a tmpfs with room for its site but not for a second one."""
    disk = tmp_path / "disk"
    disk.mkdir()
    size = disk_usage(project) + disk_usage(project / "site") // 2
    mount_or_skip(mount, "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(disk))
    shutil.copytree(project, disk / "project", symlinks=True)
    before = tree(disk / "project/site")
    result = run_polku("build", "--root", disk / "project", "--no-pdf", cwd=disk)
    assert result.returncode == 1
    assert one_error_line(result) == (
        "polku: error: project/site: no space left on the disk; free some space on that disk "
        "and run the command again; the previous site is unchanged"
    )
    assert tree(disk / "project/site") == before
    assert not list((disk / "project").glob(f"{STAGING_PREFIX}*"))


def test_a_full_cache_disk_stops_the_workbooks(project: Path, mount: list[Path]) -> None:
    """The PDF processes report the full cache as the error it is."""
    cache = project / ".cache"
    shutil.rmtree(cache, ignore_errors=True)
    cache.mkdir()
    mount_or_skip(mount, "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(cache))
    before = tree(project / "site")
    result = run_polku("build", "--root", project, cwd=project.parent)
    assert result.returncode == 1
    # the workbooks' or the at-a-glance PDFs' cache, whichever fills first
    message = one_error_line(result)
    assert message.startswith("polku: error: project/.cache/polku/"), message
    assert message.endswith(
        ": no space left on the disk; free some space on that disk and run the command "
        "again; polku keeps its cache there, and removing .cache/polku is always safe"
    )
    assert tree(project / "site") == before


def test_the_output_on_a_full_disk() -> None:
    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full here")
    with open("/dev/full", "w") as full:
        result = subprocess.run(
            [sys.executable, "-m", "polku", "schema"],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            timeout=120,
        )
    assert result.returncode == 1
    assert result.stderr.strip() == (
        "polku: error: the output: no space left on the disk; free some space on that disk "
        "and run the command again"
    )


# --- a read-only file system ---------------------------------------------------------------

READ_ONLY = """
import errno, os, tempfile

def read_only(suffix=None, prefix=None, dir=None):
    raise OSError(errno.EROFS, os.strerror(errno.EROFS), os.path.join(dir, prefix + "x1y2z3"))

tempfile.mkdtemp = read_only
"""
READ_ONLY_MESSAGE = (
    "polku: error: project: the file system is read-only; build into a writable folder "
    "(polku build --site-dir DIR), or work on a copy of the project on a writable disk"
)


def test_a_read_only_project(project: Path) -> None:
    before = tree(project / "site")
    result = run_patched(READ_ONLY, "build", "--root", project, "--no-pdf", cwd=project.parent)
    assert result.returncode == 1
    assert one_error_line(result) == READ_ONLY_MESSAGE
    assert tree(project / "site") == before


def test_a_real_read_only_project(project: Path, mount: list[Path], tmp_path: Path) -> None:
    before = tree(project / "site")
    mount_or_skip(mount, "--bind", "-o", "ro", str(project), str(project))
    result = run_polku("build", "--root", project, "--no-pdf", cwd=project.parent)
    assert result.returncode == 1
    assert one_error_line(result) == READ_ONLY_MESSAGE
    assert tree(project / "site") == before
    # a check reads only, and a site built elsewhere needs nothing written in the project
    assert run_polku("check", "--root", project).returncode == 0
    elsewhere = tmp_path / "elsewhere"
    result = run_polku("build", "--root", project, "--no-pdf", "--site-dir", elsewhere)
    assert result.returncode == 0, result.stdout + result.stderr
    assert (elsewhere / "index.html").is_file()


# --- permissions ---------------------------------------------------------------------------

ACCESS = (
    "permission denied; give your user access to it (for example 'chmod -R u+rwX' on the "
    "folder), or work on a copy of the project in a folder of your own"
)

DENIED_FOLDER = """
import errno, os

listing = os.scandir

def denied(path="."):
    if os.path.basename(os.fspath(path)) == "docs":
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), os.fspath(path))
    return listing(path)

os.scandir = denied
"""


def test_a_folder_that_may_not_be_read(project: Path) -> None:
    before = tree(project / "site")
    result = run_patched(DENIED_FOLDER, "build", "--root", "project", cwd=project.parent)
    assert result.returncode == 1
    assert one_error_line(result) == f"polku: error: project/docs: {ACCESS}"
    assert tree(project / "site") == before


# (what is locked, its mode, the command, the expected line: "polku: error: …" or located)
PERMISSIONS = [
    (
        "curriculum/modules",
        0o000,
        "check",
        "curriculum/modules:1:1: error: cannot read the folder (Permission denied)",
    ),
    (
        "curriculum",
        0o000,
        "check",
        "curriculum:1:1: error: cannot read the folder (Permission denied)",
    ),
    (
        "curriculum/modules/welcome.yml",
        0o000,
        "build",
        "curriculum/modules/welcome.yml:1:1: error: cannot read the file (Permission denied)",
    ),
    # MkDocs alone builds a site without the pages of a folder it may not read
    ("docs", 0o000, "build", "polku: error: docs: permission denied; "),
    ("docs/index.md", 0o000, "build", "polku: error: docs/index.md: permission denied; "),
    # no room for the staging folder beside the site
    (".", 0o555, "build", "polku: error: .: permission denied; "),
    # the cache of the workbooks
    (".cache", 0o555, "build", "polku: error: .cache: permission denied; "),
]


@pytest.mark.parametrize(
    ("locked", "mode", "command", "expected"),
    PERMISSIONS,
    ids=[f"{locked}-{mode:o}-{command}" for locked, mode, command, _expected in PERMISSIONS],
)
def test_permissions(project: Path, locked: str, mode: int, command: str, expected: str) -> None:
    other_user_available()
    target = project / locked
    if locked == ".cache":
        shutil.rmtree(target, ignore_errors=True)
        target.mkdir()
    before = tree(project / "site")
    args = [] if locked == ".cache" or command == "check" else ["--no-pdf"]
    target.chmod(mode)
    try:
        result = run_as_other_user(command, "--root", ".", *args, cwd=project)
    finally:
        target.chmod(0o777 if target.is_dir() else 0o666)
    assert result.returncode == 1, result.stdout + result.stderr
    if expected.startswith("polku: error: "):
        message = one_error_line(result)
        assert message.startswith(expected), message
    else:  # the check reads curriculum/ and reports what it cannot read where it is
        assert result.stdout.startswith(expected), result.stdout
        assert "Traceback" not in result.stdout + result.stderr
    assert tree(project / "site") == before


def test_a_serve_port_that_needs_administrator_rights(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(self: socket.socket, address: object) -> None:
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES))

    monkeypatch.setattr(socket.socket, "bind", refuse)
    with pytest.raises(Fault) as caught:
        address.check_address("127.0.0.1:80", "--dev-addr 127.0.0.1:80")
    assert caught.value.exit_code == 2
    assert caught.value.message == (
        "polku: error: --dev-addr 127.0.0.1:80: ports below 1024 need administrator rights; "
        "choose a port above 1023, for example polku serve -a 127.0.0.1:8000"
    )


# --- the address of the live preview -------------------------------------------------------


def test_a_busy_port_is_reported_before_building(project: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run_polku("serve", "--root", project, "-a", f"127.0.0.1:{port}", timeout=120)
    assert result.returncode == 2
    assert one_error_line(result) == (
        f"polku: error: --dev-addr 127.0.0.1:{port}: the address is already in use (another "
        "preview, or another server); stop the program that uses it, or choose another port: "
        f"polku serve -a 127.0.0.1:{port + 1}"
    )
    assert "Building documentation" not in result.stderr


EXAMPLE = "for example polku serve -a 127.0.0.1:8000"


@pytest.mark.parametrize(
    ("address", "what"),
    [
        ("nonsense", f"not an address and port; write IP:PORT, {EXAMPLE}"),
        ("127.0.0.1:99999", f"'99999' is not a port number; use a port from 1 to 65535, {EXAMPLE}"),
        ("127.0.0.1:80x", f"'80x' is not a port number; use a port from 1 to 65535, {EXAMPLE}"),
        (
            "example.org:8000",
            "'example.org' is not an IP address; use an IP address of this machine or "
            f"localhost, {EXAMPLE}",
        ),
        (
            "192.0.2.1:8000",  # TEST-NET-1: never an address of this machine
            f"the address is not one of this machine's; serve on an address of this machine, "
            f"{EXAMPLE}",
        ),
    ],
)
def test_an_invalid_serve_address(project: Path, address: str, what: str) -> None:
    result = run_polku("serve", "--root", project, "-a", address, timeout=120)
    assert result.returncode == 2
    assert one_error_line(result) == f"polku: error: --dev-addr {address}: {what}"


def test_the_address_in_mkdocs_yml_is_checked_too(project: Path) -> None:
    config = project / "mkdocs.yml"
    config.write_text(config.read_text("utf-8") + "dev_addr: 192.0.2.1:8000\n", "utf-8")
    result = run_polku("serve", "--root", project, timeout=120)
    assert result.returncode == 2
    assert one_error_line(result).startswith(
        "polku: error: mkdocs.yml: dev_addr 192.0.2.1:8000: the address is not one of "
    )


# --- names, links, pipes -------------------------------------------------------------------


def test_an_id_too_long_for_the_file_system(project: Path) -> None:
    ident = "a" * 300
    result = run_polku("new", "module", ident, "--root", ".", cwd=project)
    assert result.returncode == 2
    assert one_error_line(result) == (
        "polku: error: curriculum/modules/aaaaaaaaaaaaaaaaaaaaaaaa…aaaaaaaa.yml: a name there "
        "is 304 bytes long, over the file system's limit of 255; choose a shorter name (an id "
        "of at most 100 characters is safe everywhere)"
    )
    assert not list((project / "curriculum/modules").glob("aaa*"))


def test_a_site_folder_name_too_long(project: Path) -> None:
    result = run_polku("build", "--root", ".", "--no-pdf", "--site-dir", "s" * 300, cwd=project)
    assert result.returncode == 2
    assert "over the file system's limit of 255" in one_error_line(result)


def test_assets_linked_to_the_root_of_the_disk(project: Path) -> None:
    assets = project / "curriculum/assets"
    shutil.rmtree(assets, ignore_errors=True)
    assets.symlink_to("/")
    expected = (
        "curriculum/assets:1:1: error: 'assets' is a symbolic link (to '/'); polku does not "
        "follow linked folders, so make assets/ a folder and copy the files into it"
    )
    check = run_polku("check", "--root", project)
    assert check.returncode == 1
    assert check.stdout.splitlines() == [expected, "polku: 1 error found"]
    before = tree(project / "site")
    build = run_polku("build", "--root", project, "--no-pdf", timeout=120)
    assert build.returncode == 1
    assert expected in build.stdout
    assert tree(project / "site") == before


@pytest.mark.parametrize(
    ("name", "make", "expected"),
    [
        (
            "docs/loop.md",
            lambda path: path.symlink_to("loop.md"),
            "docs/loop.md: symbolic links lead round in a loop; remove the link or point it at "
            "a real file or folder",
        ),
        (
            "docs/again",
            lambda path: path.symlink_to("."),
            "docs/again: a link to a folder that contains it, so the folder never ends; "
            "remove the link",
        ),
        (
            "docs/pipe.md",
            os.mkfifo,  # MkDocs alone waits for ever reading it
            "docs/pipe.md: not a regular file (a pipe, socket or device); remove it or replace "
            "it with a regular file",
        ),
        (
            ".polku-site.lock",
            os.mkdir,
            ".polku-site.lock: a folder stands where polku needs a file; move or rename the folder",
        ),
        (
            ".cache",
            lambda path: path.write_text("a file"),
            ".cache: a file stands where polku needs a folder; move or rename the file",
        ),
    ],
    ids=["file-loop", "folder-loop", "pipe-in-docs", "lock-folder", "cache-file"],
)
def test_what_a_build_cannot_read_or_write(
    project: Path, name: str, make: object, expected: str
) -> None:
    path = project / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    elif path.exists():
        path.unlink()
    make(path)  # type: ignore[operator]
    before = tree(project / "site")
    args = [] if name == ".cache" else ["--no-pdf"]  # the PDFs need the cache folder
    result = run_polku("build", "--root", ".", *args, cwd=project, timeout=120)
    assert result.returncode == 1
    assert one_error_line(result) == f"polku: error: {expected}"
    assert tree(project / "site") == before


def test_a_pipe_among_the_assets(project: Path) -> None:
    """The check reports it where it is, so a build never reads it."""
    assets = project / "curriculum/assets"
    assets.mkdir(exist_ok=True)
    os.mkfifo(assets / "pipe.png")
    before = tree(project / "site")
    result = run_polku("build", "--root", project, "--no-pdf", timeout=60)
    assert result.returncode == 1
    assert result.stdout.startswith(
        "curriculum/assets/pipe.png:1:1: error: not a regular file (a pipe or a device)"
    )
    assert "Traceback" not in result.stdout + result.stderr
    assert tree(project / "site") == before


@pytest.mark.parametrize(
    ("name", "target"),
    [("curriculum/assets/loop.png", "loop.png"), ("curriculum/assets", "assets")],
    ids=["a-file", "the-folder"],
)
def test_a_loop_of_links_in_the_curriculum(project: Path, name: str, target: str) -> None:
    path = project / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.is_dir():
        shutil.rmtree(path)
    path.symlink_to(target)
    for command in ("check", "build"):
        result = run_polku(command, "--root", ".", cwd=project, timeout=60)
        assert result.returncode == 1
        assert one_error_line(result) == (
            f"polku: error: {name}: symbolic links lead round in a loop; remove the link or "
            "point it at a real file or folder"
        )


# --- what is a fault and what is a bug -------------------------------------------------------


def test_an_unexpected_error_is_still_a_bug() -> None:
    assert fault_of(ValueError("a bug")) is None
    assert fault_of(FileNotFoundError(errno.ENOENT, "No such file", "x")) is None
    assert fault_of(OSError("no number")) is None
    assert fault_of(RuntimeError("dictionary changed size during iteration")) is None


def test_every_fault_says_what_happened_and_what_to_do(tmp_path: Path) -> None:
    for number in environment._FAULTS:
        fault = fault_of(OSError(number, os.strerror(number), str(tmp_path / "file")))
        assert fault is not None
        assert fault.what and fault.todo and fault.exit_code in (1, 2)
        assert fault.message.startswith("polku: error: ")
        assert ";" in fault.message and "\n" not in fault.message


def test_the_file_being_written_names_a_nameless_error(tmp_path: Path) -> None:
    """Python names no file when writing to an open one fails; the open file is the one."""
    staging = tmp_path / f"{STAGING_PREFIX}site-abc123"
    (staging / "modules").mkdir(parents=True)

    def write() -> None:
        with open(staging / "modules/page.html", "wb") as handle:
            handle.flush()
            raise OSError(errno.EDQUOT, os.strerror(errno.EDQUOT))

    with pytest.raises(OSError) as caught:
        write()
    fault = fault_of(caught.value)
    assert fault is not None and fault.where == environment.shown(tmp_path / "site")
    assert fault.todo.endswith("; the previous site is unchanged")
