"""Sandboxed Jinja2 over content text, with strict undefined variables.

Content (titles, headings, bodies, labels) is a template written by clinic
staff. It runs in a :class:`SandboxedEnvironment`; a misspelt variable is an
error naming the file, line and variable, never an empty string. Every value
inserted is escaped for Markdown, so a name such as ``Pat & Lee <O'Brien>`` or
``*Bob*`` prints exactly as written. Data (CSV values, ``--set``) is never
compiled as a template.

A content file is not trusted to be reasonable either: ``{{ 'x' * 10**10 }}`` or
``{% for i in range(10**8) %}`` must fail fast with the file and line, not hang or
exhaust memory. :class:`_LimitedEnvironment` checks every operator, call, filter, loop
turn and printed value against the limits below *before* doing expensive work (sizes of
the operands, not of the result), and one :class:`_Meter` per rendered text counts the
steps and characters made in all.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import difflib
import functools
import math
import re
import traceback
from collections.abc import Callable, Iterable, Iterator, Mapping
from functools import lru_cache
from typing import Any, NoReturn, TypeVar, Union

import jinja2
from jinja2 import nodes
from jinja2.runtime import Macro
from jinja2.sandbox import SandboxedEnvironment
from jinja2.visitor import NodeTransformer

from .strings import REFERENCE, strings_for
from .template_nesting import parse_limited
from .template_values import MAX_ITEMS as MAX_ITEMS
from .template_values import WRITE_IN as WRITE_IN
from .template_values import Namespace as Namespace
from .template_values import TemplateProblem as TemplateProblem
from .template_values import WriteIn as WriteIn
from .template_values import escape_markdown as escape_markdown


class _Undefined(jinja2.StrictUndefined):
    def _fail_with_undefined_error(self, *args: object, **kwargs: object) -> NoReturn:
        if issubclass(self._undefined_exception, jinja2.exceptions.SecurityError):
            raise self._undefined_exception(self._undefined_message)  # ''.__class__
        obj = self._undefined_obj
        name = self._undefined_name
        if isinstance(obj, Namespace) and name is not None:
            full = f"{obj.hp_name}.{name}"
            close = difflib.get_close_matches(name, [str(k) for k in obj], n=1)
            hint = f" (did you mean '{obj.hp_name}.{close[0]}'?)" if close else ""
            raise TemplateProblem(f"undefined variable '{full}'{hint}")
        if name is not None and obj is jinja2.utils.missing:
            raise TemplateProblem(f"undefined variable '{name}'")
        raise TemplateProblem(self._undefined_message)

    # Jinja binds these to its own method when the class is made; rebind them so that
    # ``{% for x in clinic.adress %}`` or ``{{ nope + 1 }}`` get the message above too
    __str__ = __iter__ = __len__ = __bool__ = __contains__ = _fail_with_undefined_error
    __eq__ = __ne__ = __hash__ = __lt__ = __le__ = __gt__ = __ge__ = _fail_with_undefined_error
    __add__ = __radd__ = __sub__ = __rsub__ = __mul__ = __rmul__ = _fail_with_undefined_error
    __truediv__ = __rtruediv__ = __floordiv__ = __rfloordiv__ = _fail_with_undefined_error
    __mod__ = __rmod__ = __pow__ = __rpow__ = __pos__ = __neg__ = _fail_with_undefined_error
    __getitem__ = __call__ = __int__ = __float__ = _fail_with_undefined_error


@jinja2.pass_context
def _longdate(context: jinja2.runtime.Context, value: object) -> str:
    """``{{ today | longdate }}``: the date written out in the handout's language."""
    if not isinstance(value, dt.date):
        return str(value)
    handout = context.get("handout")
    language = handout.get("language") if isinstance(handout, Mapping) else None
    return strings_for(str(language or REFERENCE)).long_date(value)


# -- limits ---------------------------------------------------------------------------------
#: MAX_ITEMS (template_values): the longest text, and the most items (characters of the
#: strings in it counted too) of a list, tuple, dict or set, that an operator, call or filter
#: may make; also the longest rendered text and the widest format field (``'%0999999d'``)
#: the most items ``range()`` may give (Jinja's own sandbox allows 100,000)
MAX_RANGE = 10_000
#: the most digits of an integer
MAX_DIGITS = 1_000
_MAX_BITS = math.ceil(MAX_DIGITS * math.log2(10))
#: per rendered text: loop turns, calls, filters and operators
MAX_STEPS = 100_000
#: per rendered text: characters (and items) that operators, calls and filters take and
#: make, and that are printed
MAX_WORK = 1_000_000
#: a single call or filter whose operands could make more characters is refused before it
#: runs (the product of its two biggest operands: ``s.replace(a, b)``, ``s.center(n)``)
MAX_OP = 2_000_000

_LOOP = "hp.loop"  # filters the guard inserts; a template may name them, to no effect
_CHECK = "hp.check"


def _limit(message: str) -> TemplateProblem:
    return TemplateProblem(f"template limit: {message}")


def _count(n: int) -> str:
    return f"{n:,}" if n < 10**15 else "more than 10^15"


class _Meter:
    """What one rendered text has used so far."""

    __slots__ = ("steps", "work")

    def __init__(self) -> None:
        self.steps = 0
        self.work = 0

    def step(self) -> None:
        self.steps += 1
        if self.steps > MAX_STEPS:
            raise _limit(f"more than {MAX_STEPS:,} steps (loop turns, calls and operators)")

    def charge(self, amount: int) -> None:
        self.work += amount
        if self.work > MAX_WORK:
            raise _limit(f"more than {MAX_WORK:,} characters made in all")


_METER: contextvars.ContextVar[_Meter | None] = contextvars.ContextVar("hp_meter", default=None)


def _meter() -> _Meter:
    # outside render_text (Jinja folds constant filter calls while compiling): a fresh one
    return _METER.get() or _Meter()


_CONTAINERS = (list, tuple, set, frozenset, dict)
_Container = Union[  # noqa: UP007 - a runtime alias must work on Python 3.10
    list[object], tuple[object, ...], set[object], frozenset[object], dict[object, object]
]
#: a value a template made, handed back as it is
_V = TypeVar("_V")


def _size(value: object, limit: int = MAX_OP) -> int:
    """Characters of the strings and items of the containers in ``value``, counted until
    past ``limit`` (a self-containing list is counted once)."""
    if isinstance(value, str):
        return len(value)
    if isinstance(value, range):
        return _range_len(value)
    if not isinstance(value, _CONTAINERS):
        return 0
    total = 0
    stack: list[_Container] = [value]
    seen: set[int] = set()
    while stack and total <= limit:
        v = stack.pop()
        if id(v) in seen:
            continue
        seen.add(id(v))
        total += len(v)
        for item in (*v.keys(), *v.values()) if isinstance(v, dict) else v:
            if isinstance(item, str):
                total += len(item)
            elif isinstance(item, _CONTAINERS):
                stack.append(item)
            elif isinstance(item, range):
                total += _range_len(item)
    return total


def _check_result(value: _V, meter: _Meter) -> _V:
    """Refuse a value too big to keep; charge its size."""
    if isinstance(value, int) and not isinstance(value, bool):
        if value.bit_length() > _MAX_BITS:
            raise _number(value.bit_length() * math.log10(2))
        return value
    if isinstance(value, str):
        if len(value) > MAX_ITEMS:
            raise _limit(f"a text of {_count(len(value))} characters (at most {MAX_ITEMS:,})")
        meter.charge(len(value))
    elif isinstance(value, _CONTAINERS):
        size = _size(value, MAX_ITEMS)
        if size > MAX_ITEMS:
            raise _limit(
                f"a {type(value).__name__} of more than {MAX_ITEMS:,} items and characters"
            )
        meter.charge(size)
    return value


def _number(digits: float) -> TemplateProblem:
    return _limit(f"a number of about {_count(int(digits) + 1)} digits (at most {MAX_DIGITS:,})")


def _range_len(r: range) -> int:
    return len(r) if r.stop.bit_length() < 63 and r.start.bit_length() < 63 else 2**63


def _range(*args: int) -> range:
    """``range()`` with at most :data:`MAX_RANGE` items."""
    rng = range(*args)
    try:
        n = len(rng)
    except OverflowError:
        n = 2**63
    if n > MAX_RANGE:
        raise _limit(f"range() of {_count(n)} items (at most {MAX_RANGE:,})")
    return rng


_PERCENT_FIELD = re.compile(r"%(?:\([^)]*\))?[-#0 +]*(\*|\d+)?(?:\.(\*|\d+))?")
_BRACE_FIELD = re.compile(r"\{[^{}]*\}")


def _check_format(fmt: str, values: object, percent: bool) -> None:
    """Refuse a format field wider than :data:`MAX_ITEMS` (``'%0999999d'``,
    ``'{:>999999}'``, ``'%*d' % (999999, 1)``) before Python allocates it."""
    widths: list[int] = []
    if percent:
        star = False
        for m in _PERCENT_FIELD.finditer(fmt):
            for g in m.groups():
                if g == "*":
                    star = True
                elif g:
                    widths.append(int(g) if len(g) < 20 else 10**20)
        if star:
            items = values if isinstance(values, tuple) else (values,)
            widths.extend(abs(v) for v in items if isinstance(v, int) and v.bit_length() < 70)
            widths.extend(10**20 for v in items if isinstance(v, int) and v.bit_length() >= 70)
    else:
        for m in _BRACE_FIELD.finditer(fmt):
            spec = m.group().partition(":")[2]
            widths.extend(int(d) if len(d) < 20 else 10**20 for d in re.findall(r"\d+", spec))
    if widths and max(widths) > MAX_ITEMS:
        raise _limit(f"a format field {_count(max(widths))} wide (at most {MAX_ITEMS:,})")


def _precheck(
    what: str, value: object, args: Iterable[object], meter: _Meter, product: bool = True
) -> None:
    """Before a call or filter on ``value`` (a method's object, a filter's input): the
    product of its two biggest operands, an integer argument by its value (a width, a
    count), bounds what string and list operations make (``s.replace(a, b)``,
    ``sep.join(items)``, ``s.center(n)``); refuse one that could make more than
    :data:`MAX_OP`. ``product=False``: an operation that takes time in proportion to its
    operands (a list's own methods). Charge the sizes of the operands."""
    used = _size(value)
    weights = [used + 1]
    for arg in args:
        if isinstance(arg, int) and not isinstance(arg, bool):
            weights.append((abs(arg) if arg.bit_length() < 64 else 2**64) + 1)
        else:
            n = _size(arg)
            weights.append(n + 1)
            used += n
    big = sorted(weights, reverse=True)[:2]
    estimate = math.prod(big)
    if product and estimate > MAX_OP:
        raise _limit(f"{what} could make about {_count(estimate)} characters")
    meter.charge(used)


class _Guard(NodeTransformer):
    """Routes every loop through :data:`_LOOP` (one step per turn) and every ``~``
    through :data:`_CHECK`; refuses recursive loops (their inner turns would not count)."""

    def visit_For(self, node: nodes.For) -> nodes.Node:
        if node.recursive:
            raise jinja2.TemplateSyntaxError("recursive loops are not allowed", node.lineno)
        self.generic_visit(node)  # changes node in place
        node.iter = nodes.Filter(node.iter, _LOOP, [], [], None, None, lineno=node.iter.lineno)
        return node

    def visit_Concat(self, node: nodes.Concat) -> nodes.Node:
        self.generic_visit(node)
        return nodes.Filter(node, _CHECK, [], [], None, None, lineno=node.lineno)


def _loop(iterable: Iterable[_V]) -> Iterator[_V]:
    meter = _meter()
    for item in iterable:
        meter.step()
        yield item


def _check(value: _V) -> _V:
    return _check_result(value, _meter())


def _guard_filter(name: str, func: Callable[..., object]) -> Callable[..., object]:
    passes = getattr(func, "jinja_pass_arg", None) is not None

    @functools.wraps(func)  # keeps jinja_pass_arg (pass_context and friends)
    def guarded(*args: object, **kwargs: object) -> object:
        meter = _meter()
        meter.step()
        skip = 1 if passes else 0  # the context or environment comes first
        value, rest = (args[skip], args[skip + 1 :]) if len(args) > skip else (None, ())
        if name == "format" and isinstance(value, str):
            _check_format(value, rest or kwargs, percent=True)
        _precheck(f"the filter '{name}'", value, [*rest, *kwargs.values()], meter)
        return _check_result(func(*args, **kwargs), meter)

    return guarded


class _LimitedEnvironment(SandboxedEnvironment):
    """The sandbox plus size and work limits (see the module docstring)."""

    intercepted_binops = frozenset({"+", "-", "*", "/", "//", "%", "**"})

    def _parse(self, source: str, name: str | None, filename: str | None) -> nodes.Template:
        tree = _Guard().visit(parse_limited(self, source, name, filename))
        tree.set_environment(self)
        return tree

    # (left and right: any values, narrowed by ``ints`` as mypy cannot follow)
    def call_binop(
        self, context: jinja2.runtime.Context, operator: str, left: Any, right: Any
    ) -> object:
        meter = _meter()
        meter.step()
        ints = isinstance(left, int) and isinstance(right, int)
        if operator == "**" and ints and right > 0 and abs(left) > 1:
            digits = right * math.log10(abs(left))
            if digits > MAX_DIGITS:
                raise _number(digits)
        elif operator == "*" and ints:
            if left.bit_length() + right.bit_length() > _MAX_BITS + 1:
                raise _number((left.bit_length() + right.bit_length()) * math.log10(2))
        elif operator == "*" and (isinstance(left, int) or isinstance(right, int)):
            seq, times = (right, left) if isinstance(left, int) else (left, right)
            if isinstance(seq, (str, list, tuple)) and times > 0:
                made = _size(seq) * times
                if made > MAX_ITEMS:
                    kind = "text" if isinstance(seq, str) else type(seq).__name__
                    unit = "characters" if isinstance(seq, str) else "items and characters"
                    raise _limit(f"a {kind} of {_count(made)} {unit} (at most {MAX_ITEMS:,})")
        elif operator == "%" and isinstance(left, str):
            _check_format(left, right, percent=True)
            _precheck("'%'", left, [right], meter)
        return _check_result(super().call_binop(context, operator, left, right), meter)

    def call(  # noqa: N805 - Jinja's names
        __self, __context: jinja2.runtime.Context, __obj: object, *args: object, **kwargs: object
    ) -> object:
        meter = _meter()
        meter.step()
        if __obj is not _range and not isinstance(__obj, Macro):  # those check themselves
            receiver = getattr(getattr(__obj, "__wrapped__", __obj), "__self__", None)
            name = getattr(__obj, "__name__", "a call")
            linear = isinstance(receiver, _CONTAINERS)  # l.append(x), l.extend(l), d.update(e)
            _precheck(f"'{name}'", receiver, [*args, *kwargs.values()], meter, not linear)
        result = super().call(__context, __obj, *args, **kwargs)
        receiver = getattr(__obj, "__self__", None)
        if isinstance(receiver, _CONTAINERS):  # grown in place: l.extend(l) doubles it
            _check_result(receiver, meter)
        return _check_result(result, meter)

    # (value: anything, Jinja's; a str's format method when Jinja wraps it)
    def wrap_str_format(self, value: Any) -> Callable[..., str] | None:
        wrapped = super().wrap_str_format(value)
        if wrapped is not None:
            _check_format(value.__self__, (), percent=False)
        return wrapped


def _finalize(value: object) -> str:
    """Every printed ``{{ … }}``: escaped for Markdown, its length counted."""
    meter = _meter()
    if isinstance(value, _CONTAINERS) and _size(value, MAX_ITEMS) > MAX_ITEMS:
        _check_result(value, meter)
    text = escape_markdown(value)
    meter.charge(len(text))
    return text


@lru_cache(maxsize=1)
def environment() -> SandboxedEnvironment:
    env = _LimitedEnvironment(
        undefined=_Undefined,
        autoescape=False,
        finalize=_finalize,
        keep_trailing_newline=True,
    )
    env.filters["longdate"] = _longdate
    for name, func in list(env.filters.items()):
        env.filters[name] = _guard_filter(name, func)
    env.filters[_LOOP] = _loop
    env.filters[_CHECK] = _check
    env.globals["range"] = _range
    del env.globals["lipsum"]  # placeholder text: no use in a handout, and slow when big
    for name in ("urlize", "xmlattr", "pprint"):  # HTML and debugging; urlize is slow
        del env.filters[name]
    return env


@lru_cache(maxsize=512)
def _compile(source: str) -> jinja2.Template:
    template = environment().from_string(source)
    # its globals as one dict: Jinja copies them into every render's context, and copying
    # the ChainMap it keeps (the template's over the environment's) was most of rendering
    # a short text (a mailing renders a recipient's section per row); the same names
    template.globals = dict(template.globals)
    return template


def render_text(source: str, context: Mapping[str, object]) -> str:
    """Render one text field. Raises :class:`TemplateProblem` with the template line."""
    if "{" not in source:
        return source  # fast path: nothing to render
    try:
        template = _compile(source)
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateProblem(f"template syntax: {exc.message}", exc.lineno) from None
    except (RecursionError, SyntaxError, MemoryError):  # past parse_limited's measures
        raise TemplateProblem("template syntax: too complex to compile") from None
    meter = _Meter()
    token = _METER.set(meter)
    try:
        parts: list[str] = []
        length = 0
        for part in template.generate(context):
            length += len(part)
            if length > MAX_ITEMS:
                raise _limit(f"the text comes out longer than {MAX_ITEMS:,} characters")
            meter.charge(len(part))
            parts.append(part)
        return "".join(parts)
    except TemplateProblem as exc:
        exc.line = _template_line(exc)
        raise
    except jinja2.exceptions.SecurityError as exc:
        line = _template_line(exc)
        raise TemplateProblem("unsafe template expression refused", line) from None
    except (jinja2.TemplateError, TypeError, ValueError, AttributeError, ZeroDivisionError) as exc:
        problem = TemplateProblem(f"template error: {exc}")
        problem.line = _template_line(exc)
        raise problem from None
    except ArithmeticError as exc:  # 10.0 ** 999, float(10 ** 400)
        line = _template_line(exc)
        raise TemplateProblem("template limit: a number too large to compute", line) from None
    except RecursionError as exc:  # a macro calling itself
        line = _template_line(exc)
        raise TemplateProblem("template limit: calls nested too deeply", line) from None
    except MemoryError as exc:
        line = _template_line(exc)
        raise TemplateProblem("template limit: out of memory", line) from None
    finally:
        _METER.reset(token)


def _template_line(exc: BaseException) -> int | None:
    line = None
    for frame in traceback.extract_tb(exc.__traceback__):
        if frame.filename == "<template>":
            line = frame.lineno
    return line
