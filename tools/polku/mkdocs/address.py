"""The address of the live preview, tried before anything is built.

MkDocs' development server finds a busy port only after the first build, and reports
it, a port out of range or an address of another machine with a traceback.
"""

from __future__ import annotations

import errno
import ipaddress
import socket

from ..environment import EXIT_USAGE, Fault
from ..project import Project

DEFAULT_ADDRESS = "127.0.0.1:8000"


def serve_address(project: Project, dev_addr: str | None) -> tuple[str, str]:
    """The address the preview will serve on, and how to name it in a message."""
    if dev_addr:
        return dev_addr, f"--dev-addr {dev_addr}"
    configured = project.config.get("dev_addr")
    if isinstance(configured, str) and project.config_file is not None:
        return configured, f"{project.config_file.name}: dev_addr {configured}"
    return DEFAULT_ADDRESS, DEFAULT_ADDRESS


def check_address(address: str, where: str | None = None) -> None:
    """Make sure the preview can serve on ``address`` (IP:PORT) before it builds anything.

    Raises a :class:`Fault` (exit status 2) that says what to type instead.
    """
    where = where or address
    example = f"for example polku serve -a {DEFAULT_ADDRESS}"
    host, colon, port_text = address.rpartition(":")
    if not colon:
        raise Fault(where, "not an address and port", f"write IP:PORT, {example}", EXIT_USAGE)
    bare = host[1:-1] if host.startswith("[") and host.endswith("]") else host
    try:
        family = socket.AF_INET if bare == "localhost" else _family(bare)
    except ValueError:
        raise Fault(
            where,
            f"'{host}' is not an IP address",
            f"use an IP address of this machine or localhost, {example}",
            EXIT_USAGE,
        ) from None
    if not (port_text.isdigit() and 0 < int(port_text) < 65536):
        raise Fault(
            where,
            f"'{port_text}' is not a port number",
            f"use a port from 1 to 65535, {example}",
            EXIT_USAGE,
        )
    port = int(port_text)
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        # as the development server does, so that a port just freed counts as free
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((bare, port))
        except OSError as exc:
            raise _address_fault(where, host, port, exc) from None


def _family(host: str) -> socket.AddressFamily:
    version = ipaddress.ip_address(host).version
    return socket.AF_INET6 if version == 6 else socket.AF_INET


def _address_fault(where: str, host: str, port: int, exc: OSError) -> Fault:
    other = f"{host}:{port + 1 if port < 65535 else 8000}"
    if exc.errno == errno.EADDRINUSE:
        return Fault(
            where,
            "the address is already in use (another preview, or another server)",
            f"stop the program that uses it, or choose another port: polku serve -a {other}",
            EXIT_USAGE,
        )
    if exc.errno in (errno.EACCES, errno.EPERM):
        return Fault(
            where,
            "ports below 1024 need administrator rights",
            f"choose a port above 1023, for example polku serve -a {host}:8000",
            EXIT_USAGE,
        )
    if exc.errno == errno.EADDRNOTAVAIL:
        what = "the address is not one of this machine's"
    else:
        what = f"cannot serve there ({exc.strerror or exc})"
    return Fault(
        where,
        what,
        f"serve on an address of this machine, for example polku serve -a {DEFAULT_ADDRESS}",
        EXIT_USAGE,
    )
