# Runs inside the CLI's child process, before learner code: a root of its own, no way back to the grader (Linux).
"""Confine the child that runs learner code: the one thing `quizkit.isolate` cannot do from outside it.

A process boundary leaves learner code the user's rights. A red team (session 33) used them to read
`solution.py` from disk and pass every exercise, to rewrite the grader's files so that later grades
passed, to tell the run under other figures from the first by a file left in `/tmp`, to write a
fake verdict to the grader's own terminal through `/proc/<ppid>/fd/1`, and to stop or kill the
grader. `enter` closes all of these where Linux lets a process do it:

- new mount, PID, network and IPC namespaces: learner code is process 1 of its own PID namespace
  (it sees no other process and cannot signal the grader), with no network;
- a root of its own (`pivot_root`): the Python installation and the system's libraries, read-only,
  an empty `/tmp` of its own, and nothing else: not the course, not quizkit, not the grader's folder;
- no privileges left: as root, the user `nobody` (RLIMIT_NPROC then holds: no new process); as
  another user, a user namespace whose capabilities are dropped once the root is made.

The process calling `enter` forks: the parent stays outside, waits, and ends as its child ended
(its exit code or signal), so `quizkit.isolate` reads the ending as before. Where a step is refused
(another system, a container without the rights), `enter` changes nothing and says why, and learner
code runs in the process boundary alone. Standard library only; this file is sent to the child as
source, as `runner` and `plain` are.
"""

from __future__ import annotations

import ctypes
import os
import platform
import signal
import sys
from pathlib import Path

CLONE_NEWNS, CLONE_NEWIPC, CLONE_NEWUSER, CLONE_NEWPID, CLONE_NEWNET = 0x20000, 0x8000000, 0x10000000, 0x20000000, 0x40000000
MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC, MS_REMOUNT, MS_BIND, MS_REC, MS_PRIVATE = 1, 2, 4, 8, 32, 4096, 16384, 1 << 18
MS_NOATIME, MS_NODIRATIME, MS_RELATIME = 1024, 2048, 1 << 21
MNT_DETACH = 2
PR_SET_NO_NEW_PRIVS = 38
NOBODY = 65534
SYSCALLS = {"x86_64": {"pivot_root": 155, "capset": 126}, "aarch64": {"pivot_root": 41, "capset": 91}}
"""The two calls glibc has no wrapper for, by machine."""
TMP_SIZE = "16m"
"""The learner's own `/tmp`: room for a program's files, not for filling the machine's memory."""


class RefusedError(Exception):
    """A step of the confinement the system does not allow: learner code then runs without it."""


def enter(keep: list[str], hide: list[str]) -> str:
    """Confine this process; "" once confined (in the forked child), else why not (nothing changed).

    Args:
        keep: Paths learner code may read (the Python installation); each stays at its own path, read-only.
        hide: Paths that must not be seen even where they lie under `keep` (the course, quizkit).
    """
    calls = SYSCALLS.get(platform.machine())
    if sys.platform != "linux" or calls is None:
        return f"not on {sys.platform}/{platform.machine()}"
    libc = ctypes.CDLL(None, use_errno=True)
    try:
        userns = _unshare(libc, as_root=os.geteuid() == 0)
    except RefusedError as why:
        return str(why)
    child = os.fork()  # process 1 of the new PID namespace
    if child:
        _end_as(child)
    new, why_not = Path.cwd(), ""
    try:
        _build_root(libc, keep, hide, new=new, userns=userns)
    except (RefusedError, OSError) as why:
        libc.umount2(bytes(new), MNT_DETACH)  # the namespaces alone, in the grader's folder as before
        os.chdir(new)
        why_not = f"no root of its own ({why})"
    else:
        try:
            _pivot(libc, calls, new)
        except (RefusedError, OSError):
            os._exit(70)  # half moved: never run learner code so; the grader says Python could not start
    if why_not and not userns:
        return why_not  # `nobody` could not read a Python kept in root's home (pyenv) outside a root of its own
    try:
        _drop_privileges(libc, calls, userns=userns)
    except (RefusedError, OSError):
        os._exit(70)  # capabilities left could make the read-only root writable again
    return why_not


def _check(result: int, what: str) -> None:
    if result != 0:
        errno = ctypes.get_errno()
        raise RefusedError(f"{what}: {os.strerror(errno)}")


def _unshare(libc: ctypes.CDLL, *, as_root: bool) -> bool:
    """New namespaces, and whether a user namespace came with them.

    Where the process is not root (or is root without the right to mount), a user namespace is what gives it.
    """
    spaces = CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWIPC
    if as_root and libc.unshare(spaces) == 0:
        return False
    uid, gid = os.geteuid(), os.getegid()
    _check(libc.unshare(spaces | CLONE_NEWUSER), "unshare")
    try:
        for name, text in (("setgroups", "deny"), ("uid_map", f"{uid} {uid} 1"), ("gid_map", f"{gid} {gid} 1")):
            Path(f"/proc/self/{name}").write_text(text, encoding="ascii")
    except OSError as exc:
        raise RefusedError(f"user namespace: {exc}") from None
    return True


def _end_as(child: int) -> None:
    """Outside the namespace: wait for the confined child and end as it ended (never returns)."""
    null = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):  # the pipes to the grader among them: their end of file is the child's alone
        os.dup2(null, fd)
    os.closerange(3, 1024)
    while True:
        try:
            _, status = os.waitpid(child, 0)
            break
        except ChildProcessError:
            os._exit(70)
        except InterruptedError:
            continue
    if os.WIFSIGNALED(status):
        number = os.WTERMSIG(status)
        if number not in (signal.SIGKILL, signal.SIGSTOP):
            signal.signal(number, signal.SIG_DFL)
        os.kill(os.getpid(), number)
    os._exit(os.WEXITSTATUS(status) if os.WIFEXITED(status) else 70)


def _mount(libc: ctypes.CDLL, target: Path | str, flags: int, *, source: Path | str | None = None,
           kind: str | None = None, data: str | None = None) -> None:
    _check(libc.mount(_c(source), _c(target), _c(kind), ctypes.c_ulong(flags), _c(data)), f"mount {target}")


def _c(text: Path | str | None) -> bytes | None:
    """A path or option as a C string (None stays NULL)."""
    return None if text is None else os.fsencode(text)


def _kept_flags(path: Path) -> int:
    """The flags a read-only remount must keep: a user namespace may not clear them (they are locked)."""
    flags = os.statvfs(path).f_flag
    pairs = ((os.ST_NOSUID, MS_NOSUID), (os.ST_NODEV, MS_NODEV), (os.ST_NOEXEC, MS_NOEXEC),
             (os.ST_NOATIME, MS_NOATIME), (os.ST_NODIRATIME, MS_NODIRATIME), (getattr(os, "ST_RELATIME", 0), MS_RELATIME))
    return sum(ms for st, ms in pairs if st and flags & st)


def _build_root(libc: ctypes.CDLL, keep: list[str], hide: list[str], *, new: Path, userns: bool) -> None:
    """At `new`, the empty folder the grader made for this child, a root of `keep` (read-only), `/tmp` and devices."""
    _mount(libc, "/", MS_REC | MS_PRIVATE)  # nothing made here reaches the grader's namespace
    _mount(libc, new, MS_NOSUID | MS_NODEV, source="tmpfs", kind="tmpfs", data="size=1m,mode=755")
    for path in sorted({Path(p).resolve() for p in keep if Path(p).is_dir()}):
        inside = new / path.relative_to("/")
        inside.mkdir(parents=True, exist_ok=True)
        _mount(libc, inside, MS_BIND | MS_REC, source=path)
        _mount(libc, inside, MS_REMOUNT | MS_BIND | MS_RDONLY | (_kept_flags(path) if userns else 0))
    for name in ("bin", "lib", "lib64", "sbin"):  # merged /usr: the links the dynamic loader follows
        link = Path("/", name)
        if link.is_symlink() and not (new / name).is_symlink() and not (new / name).exists():
            (new / name).symlink_to(link.readlink())
    for hidden in hide:
        inside = new / Path(hidden).relative_to("/")
        if inside.is_dir():
            _mount(libc, inside, MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, source="tmpfs", kind="tmpfs", data="size=4k")
    (new / "dev").mkdir(exist_ok=True)
    for device in ("null", "zero", "urandom"):  # for `os.devnull` and the like; a program does without where refused
        (new / "dev" / device).touch()
        libc.mount(_c(f"/dev/{device}"), _c(new / "dev" / device), None, ctypes.c_ulong(MS_BIND), None)
    (new / "tmp").mkdir()
    _mount(libc, new / "tmp", MS_NOSUID | MS_NODEV, source="tmpfs", kind="tmpfs", data=f"size={TMP_SIZE},mode=1777")
    (new / "old").mkdir()


def _pivot(libc: ctypes.CDLL, calls: dict[str, int], new: Path) -> None:
    """Make `new` the root and let go of the old one: nothing outside it can be reached again."""
    _check(libc.syscall(calls["pivot_root"], _c(new), _c(new / "old")), "pivot_root")
    os.chdir("/")
    _check(libc.umount2(b"/old", MNT_DETACH), "umount the old root")
    Path("/old").rmdir()
    _mount(libc, "/", MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID | MS_NODEV)
    os.chdir("/tmp")  # noqa: S108 - the root's own /tmp, empty and private to this process


def _drop_privileges(libc: ctypes.CDLL, calls: dict[str, int], *, userns: bool) -> None:
    """No capability left to undo the above: root becomes `nobody`; in a user namespace, its capabilities go."""
    if not userns:
        os.setgroups([])
        os.setresgid(NOBODY, NOBODY, NOBODY)
        os.setresuid(NOBODY, NOBODY, NOBODY)  # from root to another user: every capability goes
    else:
        header = (ctypes.c_uint32 * 2)(0x20080522, 0)  # _LINUX_CAPABILITY_VERSION_3, this process
        data = (ctypes.c_uint32 * 6)()  # effective, permitted, inheritable, twice: all empty
        _check(libc.syscall(calls["capset"], header, data), "capset")
    _check(libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0), "no new privileges")
