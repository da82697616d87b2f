# Is the grader still as it was? What learner code changed in a shared interpreter, undone or reported.
"""Guard the interpreter that runs learner code and the grader together (the page's worker).

In the CLI and notebooks learner code runs in a child process (`quizkit.isolate`), out
of the grader's reach. In the page it shares Pyodide with the grader, so the worker
takes a baseline before any learner code runs (`capture`), and after each program:

- `restore` quietly undoes what a program may change for its own use: names in
  standard-library modules and builtins, attributes of standard-library classes
  (`json.JSONEncoder.encode = ...`), the code and defaults of standard-library functions,
  the dicts, lists and sets standard-library modules hold (`copy._deepcopy_dispatch`,
  `sys.meta_path`), modules replaced in or added to `sys.modules` under a standard-library
  or quizkit name, the recursion limit, trace, profile and monitoring hooks, `gc` callbacks,
  thresholds and switch;
- `changes` lists what cannot be trusted any more: quizkit's own state, all the way
  down (module names, tables such as `grader.CHECKS` and `references.REFERENCES`, the
  rules, class attributes, every function's code, defaults and closure), and the methods of
  built-in types (`str.join`, reachable through `gc`). Anything listed makes the Check an error, and
  the page replaces the interpreter (`browser.py`), so no later Check runs in it;
- `refuse_audit_hooks` refuses what neither could see or undo: new audit hooks.

Objects are compared by identity, never with `==` (learner objects can define it), and
a snapshot is compared as tuples so that most of the work runs in C. This stops a
program from changing the verdict of a later Check; it is not a security boundary
(see the README: a reader can always fool their own browser).
"""

from __future__ import annotations

import builtins
import contextlib
import gc
import itertools
import sys
from dataclasses import dataclass, field
from functools import cached_property
from operator import attrgetter, is_, methodcaller
from types import CellType, FunctionType, MappingProxyType, ModuleType
from typing import Any, TypeVar

PACKAGE = "quizkit"

_T = TypeVar("_T")

_UNGUARDED = frozenset({
    "__builtins__", "__spec__", "__loader__", "__cached__", "__file__", "__path__", "__package__", "__name__", "__doc__",
    "__annotations__", "__annotate__", "__annotate_func__", "__annotations_cache__", "__conditional_annotations__",
    "__warningregistry__", "__dict__", "__weakref__", "__abstractmethods__", "_abc_impl", "__firstlineno__",
    "__static_attributes__", "__parameters__",
})
"""Names in modules and classes that Python itself creates or fills lazily: neither compared nor restored."""

_volatile: set[int] = set()
"""Ids of caches whose contents legitimately change after the baseline (see `volatile`)."""


def volatile(cache: _T) -> _T:
    """Mark a module-level cache whose contents may change between programs; only its identity is guarded.

    Use it for caches whose entries cannot change a verdict (the grader's cache of
    known-wrong attempts' behaviour, for example). Call it at import time.
    """
    _volatile.add(id(cache))
    return cache


def _is_ours(name: str) -> bool:
    return name == PACKAGE or name.startswith(PACKAGE + ".")


def _is_standard(name: str) -> bool:
    return name.partition(".")[0] in sys.stdlib_module_names and name != "__main__"


Table = dict[str, Any] | MappingProxyType[str, Any] | list[Any] | set[Any]
Container = Table | CellType | FunctionType


@dataclass
class _Watched:
    """A mutable object and what it held at the baseline."""

    label: str
    container: Container
    keys: tuple[Any, ...]
    values: tuple[Any, ...]
    namespace: bool
    """A module's, class's or instance's attributes (`label.name`), not a dict of data (`label[key]`)."""


def _contents(container: Container) -> tuple[tuple[Any, ...], tuple[Any, ...]]:
    kind = type(container)
    if kind is dict or kind is MappingProxyType:
        return tuple(container), tuple(container.values())  # type: ignore[arg-type,union-attr]
    if kind is FunctionType:
        return (), (container.__code__, container.__defaults__, container.__kwdefaults__)  # type: ignore[union-attr]
    if kind is CellType:
        try:
            return (), (container.cell_contents,)  # type: ignore[union-attr]
        except ValueError:  # an empty cell
            return (), ()
    return (), tuple(container)  # type: ignore[arg-type,union-attr]


_all, _len, _map, _tuple = all, len, map, tuple
"""Bound when quizkit is imported: a program that rebinds `builtins.all` must not make every comparison agree."""
_chain, _values = itertools.chain.from_iterable, methodcaller("values")
_FUNCTION_PARTS = (attrgetter("__code__"), attrgetter("__defaults__"), attrgetter("__kwdefaults__"))
"""What `_contents` reads of a function, in its order."""


def _same(now: tuple[Any, ...], then: tuple[Any, ...]) -> bool:
    return _len(now) == _len(then) and _all(_map(is_, now, then))


def _watch(label: str, container: Container, *, namespace: bool = False) -> _Watched:
    keys, values = _contents(container)
    return _Watched(label, container, keys, values, namespace)


@dataclass(frozen=True)
class _Flat:
    """Many watched objects' contents as one flat snapshot: "nothing changed" in a few calls that run in C.

    The usual case then needs no Python loop over the ~3,600 objects (a Run in the page's Python spent
    most of its time in that loop).

    Equal sizes and the same objects, in order, in the concatenated contents mean that every object holds
    what it held: the sizes fix where each one's part of the sequence starts. A baseline is cut into parts
    of `_FLAT_PART` objects (`_flat_parts`): a change, and quizkit's own (`linecache.cache` holds each
    program's source), sends only its part to the one-by-one comparison.
    """

    watched: tuple[_Watched, ...]

    sized: tuple[Table, ...]
    """The dicts, mapping proxies, lists and sets, in order."""
    sizes: tuple[int, ...]
    mappings: tuple[Table, ...]
    """The dicts and mapping proxies: their values are compared."""
    values: tuple[Any, ...]
    keyed: tuple[Table, ...]
    """Dicts whose keys are compared too, lists and sets (iterating yields their keys or items)."""
    keys: tuple[Any, ...]
    functions: tuple[FunctionType, ...]
    parts: tuple[tuple[Any, ...], ...]
    """Each of `_FUNCTION_PARTS` of every function, in order."""
    cells: tuple[_Watched, ...]
    """Closure cells (quizkit's own): compared one by one, as an empty one has no contents to read."""

    @classmethod
    def of(cls, watched: list[_Watched], *, namespace_keys: bool) -> _Flat:
        """`namespace_keys`: compare the names of namespaces too (quizkit's own state), not only their values."""
        sized = [item for item in watched if type(item.container) in (dict, MappingProxyType, list, set)]
        functions = [item for item in watched if type(item.container) is FunctionType]
        mappings = [item for item in sized if type(item.container) in (dict, MappingProxyType)]
        keyed = [item for item in sized if type(item.container) in (list, set) or namespace_keys or not item.namespace]
        return cls(
            watched=tuple(watched), sized=tuple(item.container for item in sized),  # type: ignore[misc]
            sizes=tuple(len(item.values) for item in sized),
            mappings=tuple(item.container for item in mappings),  # type: ignore[misc]
            values=tuple(itertools.chain.from_iterable(item.values for item in mappings)),
            keyed=tuple(item.container for item in keyed),  # type: ignore[misc]
            keys=tuple(itertools.chain.from_iterable(item.values if type(item.container) in (list, set) else item.keys
                                                     for item in keyed)),
            functions=tuple(item.container for item in functions),  # type: ignore[misc]
            parts=tuple(tuple(item.values[index] for item in functions) for index in range(len(_FUNCTION_PARTS))),
            cells=tuple(item for item in watched if type(item.container) is CellType))

    def untouched(self) -> bool:
        """Every object holds what it held at the baseline (False may still be a change a caller accepts)."""
        return (_tuple(_map(_len, self.sized)) == self.sizes  # ints: by value (only small ones are one object)
                and _same(_tuple(_chain(_map(_values, self.mappings))), self.values)
                and _same(_tuple(_chain(self.keyed)), self.keys)
                and _all(_map(_same, (_tuple(_map(part, self.functions)) for part in _FUNCTION_PARTS), self.parts))
                and _all(_map(_unchanged, self.cells)))


def _unchanged(watched: _Watched) -> bool:
    keys, values = _contents(watched.container)
    return _same(values, watched.values) and _same(keys, watched.keys)


_FLAT_PART = 100


def _flat_parts(watched: list[_Watched], *, namespace_keys: bool) -> tuple[_Flat, ...]:
    return tuple(_Flat.of(watched[start:start + _FLAT_PART], namespace_keys=namespace_keys)
                 for start in range(0, len(watched), _FLAT_PART))


@dataclass
class Baseline:
    """The interpreter as it was before any learner code ran."""

    modules: list[tuple[str, ModuleType]]
    standard: list[_Watched] = field(default_factory=list)
    """Namespaces of standard-library modules and classes: restored."""
    ours: list[_Watched] = field(default_factory=list)
    """Every mutable object of quizkit's state: compared."""
    recursion_limit: int = 1000
    trace: Any = None
    profile: Any = None
    gc_callbacks: list[Any] = field(default_factory=list)
    gc_threshold: tuple[int, ...] = (700, 10, 10)
    gc_enabled: bool = True
    int_max_str_digits: int | None = None
    """`sys.get_int_max_str_digits()` (Python 3.11+): a program that lowers it breaks later programs' big ints."""
    interrupt_handler: Any = None
    """Python's handler of SIGINT, through which the page's Stop and time limit interrupt a program."""

    @cached_property
    def flat_standard(self) -> tuple[_Flat, ...]:
        """`standard` flattened: `capture` reads it once the list is complete, before any learner code runs."""
        return _flat_parts(self.standard, namespace_keys=False)

    @cached_property
    def flat_ours(self) -> tuple[_Flat, ...]:
        """`ours` flattened, as `flat_standard`."""
        return _flat_parts(self.ours, namespace_keys=True)

    @cached_property
    def builtins_watched(self) -> tuple[_Watched, ...]:
        """The builtins' entry of `standard`, found once: `restore` puts it back after every program."""
        return tuple(watched for watched in self.standard if watched.container is vars(builtins))


_baseline: Baseline | None = None
"""The interpreter's baseline (`capture`); guarded by identity only, since it holds everything else."""


def _load_deferred_modules() -> None:
    """Load the modules that load on first use, so that the baseline holds them and all they import.

    The page's Python defers asyncio (its `sitecustomize`); `importlib.util.LazyLoader` does the same.
    Reading a module's `__dict__` loads such a module and is free for the others.
    """
    for module in list(sys.modules.values()):
        getattr(module, "__dict__", None)


def capture() -> Baseline:
    """Take the baseline (and keep it: `current`); call it before any learner code runs in this interpreter."""
    global _baseline  # noqa: PLW0603 - one baseline per interpreter, kept where the guard finds it
    _load_deferred_modules()
    modules = [(name, module) for name, module in list(sys.modules.items())
               if isinstance(module, ModuleType) and (_is_ours(name) or _is_standard(name))]
    baseline = volatile(Baseline(modules=modules, recursion_limit=sys.getrecursionlimit(), trace=sys.gettrace(),
                                 profile=sys.getprofile(), gc_callbacks=list(gc.callbacks), gc_threshold=gc.get_threshold(),
                                 gc_enabled=gc.isenabled(), int_max_str_digits=_int_max_str_digits(),
                                 interrupt_handler=_interrupt_handler()))
    _baseline = baseline
    seen: set[int] = set()
    for kind in _built_in_types(modules):
        # Compared, not restored: a mapping proxy cannot be written back (learner code reached it through `gc`).
        baseline.ours.append(_watch(f"the built-in type {kind.__name__}", vars(kind), namespace=True))
    for name, module in modules:
        namespace = vars(module)
        if _is_ours(name):
            baseline.ours.append(_watch(name, namespace, namespace=True))
            for key, value in list(namespace.items()):
                if key not in _UNGUARDED:
                    _discover(value, f"{name}.{key}", baseline.ours, seen)
            continue
        baseline.standard.append(_watch(name, namespace, namespace=True))
        for key, value in list(namespace.items()):
            if type(value) in (dict, list, set) and key != "__builtins__" and value is not sys.modules \
                    and id(value) not in seen and id(value) not in _volatile:
                seen.add(id(value))  # a table of the module's (`copy._deepcopy_dispatch`, `sys.meta_path`)
                baseline.standard.append(_watch(f"{name}.{key}", value))
                continue
            if id(value) in seen or getattr(value, "__module__", None) != name:
                continue
            seen.add(id(value))
            if type(value) is FunctionType:
                baseline.standard.append(_watch(f"{name}.{key}", value))
            elif isinstance(value, type):
                baseline.standard.append(_watch(f"{name}.{key}", vars(value), namespace=True))
                baseline.standard.extend(_watch(f"{name}.{key}.{attribute}", item) for attribute, item in vars(value).items()
                                         if type(item) is FunctionType)
    _ = baseline.flat_standard, baseline.flat_ours, baseline.builtins_watched  # made now, not on the first Run
    return baseline


def _built_in_types(modules: list[tuple[str, ModuleType]]) -> list[type]:
    """The types of `builtins`, and the built-in types that only standard-library modules name (`types.FunctionType`).

    The guard reads their attributes itself (a function's `__code__`, through `function`'s descriptor): a program
    that put a descriptor of its own in `function`'s namespace (through `gc`, as for `str`) hid a reference whose
    code it had changed, and every later Check passed a wrong answer (session 35).
    """
    kinds = {value for value in vars(builtins).values() if isinstance(value, type)}
    for name, module in modules:
        if not _is_ours(name):
            kinds.update(value for value in list(vars(module).values())
                         if isinstance(value, type) and _module_of(value) == "builtins")
    return sorted(kinds, key=lambda kind: (kind.__name__, id(kind)))


_module_of = type.__dict__["__module__"].__get__
"""A type's module as the type says it (`function`'s own `__module__` attribute is its functions')."""


def _int_max_str_digits() -> int | None:
    get = getattr(sys, "get_int_max_str_digits", None)
    return get() if get is not None else None


def _interrupt_handler() -> Any:
    """SIGINT's handler, or None where Python has no signals (or cannot read them)."""
    try:
        import signal  # noqa: PLC0415 - only where signals exist
        return signal.getsignal(signal.SIGINT)
    except (ImportError, AttributeError, ValueError):
        return None


def _put_back_interpreter_settings(baseline: Baseline) -> None:
    if baseline.int_max_str_digits is not None and _int_max_str_digits() != baseline.int_max_str_digits:
        sys.set_int_max_str_digits(baseline.int_max_str_digits)
    if baseline.interrupt_handler is not None and _interrupt_handler() is not baseline.interrupt_handler:
        import signal  # noqa: PLC0415
        with contextlib.suppress(ValueError, OSError):  # not the main thread: nothing to put back there
            signal.signal(signal.SIGINT, baseline.interrupt_handler)


def current() -> Baseline | None:
    """The baseline `capture` took, if any."""
    return _baseline


def forget() -> None:
    """Drop the baseline: the next `capture` takes a new one."""
    global _baseline  # noqa: PLW0603
    if _baseline is not None:
        _volatile.discard(id(_baseline))
    _baseline = None


def _discover(value: object, label: str, out: list[_Watched], seen: set[int]) -> None:
    """Watch every mutable object of quizkit's state reachable from `value`."""
    if id(value) in seen or id(value) in _volatile or isinstance(value, ModuleType):
        return
    seen.add(id(value))
    kind = type(value)
    if kind is dict:
        out.append(_watch(label, value))  # type: ignore[arg-type]
        for key, item in list(value.items()):  # type: ignore[attr-defined]
            _discover(item, f"{label}[{key!r}]", out, seen)
    elif kind in (list, set):
        out.append(_watch(label, value))  # type: ignore[arg-type]
        for item in list(value):  # type: ignore[call-overload]
            _discover(item, label, out, seen)
    elif kind in (tuple, frozenset):
        for item in value:  # type: ignore[attr-defined]
            _discover(item, label, out, seen)
    elif kind is FunctionType:
        out.append(_watch(f"the code of {label}", value))  # type: ignore[arg-type]
        for cell in value.__closure__ or ():  # type: ignore[attr-defined]
            out.append(_watch(f"a closure of {label}", cell))
            with contextlib.suppress(ValueError):
                _discover(cell.cell_contents, label, out, seen)
        for item in (value.__defaults__ or (), *(value.__kwdefaults__ or {}).values()):  # type: ignore[attr-defined]
            _discover(item, label, out, seen)
    elif isinstance(value, type):
        if _is_ours(value.__module__):
            out.append(_watch(label, vars(value), namespace=True))
            for key, item in list(vars(value).items()):
                if key not in _UNGUARDED:
                    _discover(item, f"{label}.{key}", out, seen)
    elif hasattr(value, "__dict__") and not isinstance(value, builtins.BaseException):
        out.append(_watch(label, vars(value), namespace=True))
        for key, item in list(vars(value).items()):
            _discover(item, f"{label}.{key}", out, seen)


# ---------------------------------------------------------------- refuse


def refuse_audit_hooks() -> None:
    """Replace `sys.addaudithook` with a refusal, for the rest of this interpreter's life.

    An audit hook cannot be listed or removed, so one added by a program would outlive it,
    out of `restore`'s reach. (A hook of our own refusing them was tried first and dropped: it
    slowed every audited event, and a browser test of endless recursion then failed; that failure
    turned out to need the recursion cap, `runner.cap_recursion_limit`, whatever the hooks.) The
    refusal is part of the baseline, so `restore` puts it back if a program rebinds it.
    """
    sys.addaudithook = _refuse_audit_hook


def _refuse_audit_hook(hook: object) -> None:
    """What learner code gets for `sys.addaudithook`."""
    del hook
    raise RuntimeError("audit hooks cannot be added here: they would outlive your program")


# ---------------------------------------------------------------- undo


def restore(baseline: Baseline, *, collecting: bool = True) -> list[str]:
    """Undo rebinding in standard-library modules, classes and builtins, and hooks a program installed.

    `collecting=False` leaves the garbage collector off, for a caller that keeps it off until it is done.

    Returns:
        What could not be put back: the namespace of a type Python does not let code write (`datetime.date`,
        changed through `gc`), for the caller to treat as tampering. Empty when all is as it was.
    """
    sys.settrace(baseline.trace)
    sys.setprofile(baseline.profile)
    _stop_monitoring()
    gc.callbacks[:] = baseline.gc_callbacks
    gc.set_threshold(*baseline.gc_threshold)
    (gc.enable if baseline.gc_enabled and collecting else gc.disable)()
    sys.setrecursionlimit(baseline.recursion_limit)
    kept = dict(baseline.modules)
    for name in list(sys.modules):
        # Added since under a standard-library or quizkit name (`import fractions`, or a planted fake): gone, so
        # the next program that imports it gets the real one afresh.
        if name not in kept and (_is_ours(name) or _is_standard(name)):
            del sys.modules[name]
    for name, module in baseline.modules:
        if sys.modules.get(name) is not module:
            sys.modules[name] = module
    restore_builtins(baseline)  # always, and first: the comparisons below call some of them
    _put_back_interpreter_settings(baseline)
    stuck = []
    for part in baseline.flat_standard:
        if part.untouched():
            continue
        for watched in part.watched:
            keys, values = _contents(watched.container)
            # A table's keys matter as much as its values; a namespace's names are checked by their values' order.
            if not (_same(values, watched.values) and (watched.namespace or _same(keys, watched.keys))):
                _put_back(watched)
                keys, values = _contents(watched.container)
                if not (_same(values, watched.values) and _same(keys, watched.keys)) \
                        and not _only_lazy_names(watched, keys, values):
                    stuck.append(watched.label)
    return stuck


def settle(baseline: Baseline) -> None:
    """Before a request's own work (reading the exercise, planning the calls): no collection, builtins as they were.

    A `__del__` an earlier program left behind runs at whatever collection finds its object, between two
    requests too, and may rebind a builtin there (`builtins.len = None`): the request would then fail in our
    code, blamed on the course. The caller turns the collector back on before learner code runs.
    """
    gc.disable()
    restore_builtins(baseline)


def restore_builtins(baseline: Baseline) -> None:
    """Put the builtins back (`restore` does it first; a `__del__` it ran may have rebound one since)."""
    for watched in baseline.builtins_watched:
        _put_back(watched)


def builtins_changed(baseline: Baseline) -> bool:
    """Whether a builtin is not what it was at the baseline.

    Learner code's `__del__` may rebind one at any moment, in the grader's own code between two of its
    calls too: a fault there is the program's doing, not ours, when this says so.
    """
    for watched in baseline.builtins_watched:
        namespace = watched.container
        if not (_same(_tuple(namespace.values()), watched.values) and _same(_tuple(namespace), watched.keys)):  # type: ignore[union-attr,arg-type]
            return True
    return False


def _put_back(watched: _Watched) -> None:
    namespace = watched.container
    if type(namespace) is FunctionType:
        namespace.__code__, namespace.__defaults__, namespace.__kwdefaults__ = watched.values
        return
    if type(namespace) is list:
        namespace[:] = watched.values  # type: ignore[index]
        return
    if type(namespace) is set:
        namespace.clear()  # type: ignore[union-attr]
        namespace.update(watched.values)  # type: ignore[union-attr]
        return
    saved = dict(zip(watched.keys, watched.values, strict=True))
    if isinstance(namespace, dict):
        for key in [key for key, value in namespace.items() if key not in saved and not isinstance(value, ModuleType)]:
            del namespace[key]  # submodules imported since stay reachable from their package
        namespace.update(saved)
        return
    owner = _owner(watched)
    if owner is None:
        return
    for key in [key for key in namespace if key not in saved and key not in _UNGUARDED]:  # type: ignore[union-attr]
        with contextlib.suppress(AttributeError, TypeError):
            delattr(owner, key)
    for key, value in saved.items():
        if key not in _UNGUARDED and namespace.get(key, _MISSING) is not value:  # type: ignore[union-attr]
            with contextlib.suppress(AttributeError, TypeError):
                setattr(owner, key, value)


def _owner(watched: _Watched) -> type | None:
    """The class whose namespace `watched` holds (found through the module it was listed under)."""
    module_name, _, class_name = watched.label.rpartition(".")
    owner = getattr(sys.modules.get(module_name), class_name, None)
    return owner if isinstance(owner, type) and vars(owner) is not None else None


_MISSING = object()


def _stop_monitoring() -> None:
    monitoring = getattr(sys, "monitoring", None)
    if monitoring is None:  # Python < 3.12
        return
    for tool in range(6):  # the tool ids sys.monitoring offers
        if monitoring.get_tool(tool) is not None:
            monitoring.set_events(tool, 0)
            monitoring.free_tool_id(tool)


# ---------------------------------------------------------------- compare


def changes(baseline: Baseline) -> list[str]:
    """What of quizkit's state differs from the baseline: empty when the grader can be trusted.

    Returns:
        The first difference found (`quizkit.grader.CHECKS['function']`, ...), for the learner's message.
    """
    for watched in [watched for part in baseline.flat_ours if not part.untouched() for watched in part.watched]:
        keys, values = _contents(watched.container)
        if _same(values, watched.values) and _same(keys, watched.keys):
            continue
        if _only_lazy_names(watched, keys, values):
            continue
        return [_first_difference(watched, keys, values)]
    return []


def _only_lazy_names(watched: _Watched, keys: tuple[Any, ...], values: tuple[Any, ...]) -> bool:
    """A namespace that only gained (or refilled) names Python adds by itself, or submodules."""
    if not keys:
        return False
    now = dict(zip(keys, values, strict=True))
    then = dict(zip(watched.keys, watched.values, strict=True))
    for key in now.keys() | then.keys():
        if key in _UNGUARDED or isinstance(now.get(key), ModuleType):
            continue
        if now.get(key, _MISSING) is not then.get(key, _MISSING):
            return False
    return True


def _first_difference(watched: _Watched, keys: tuple[Any, ...], values: tuple[Any, ...]) -> str:
    if keys:
        now = dict(zip(keys, values, strict=True))
        then = dict(zip(watched.keys, watched.values, strict=True))
        for key in [*then, *now]:
            if key not in _UNGUARDED and now.get(key, _MISSING) is not then.get(key, _MISSING):
                return f"{watched.label}.{key}" if watched.namespace else f"{watched.label}[{key!r}]"
    return watched.label
