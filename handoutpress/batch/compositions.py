"""A mailing's personal sections composed once per set of the values they print.

A letter with a recipient field in its running text is composed per row
(:meth:`~handoutpress.build.MailingPlan.compose` of its personal sections), although most
rows print the same thing there: "Thank you, {{ patient.first_name }}, for …" reads one
value, and a mailing has far fewer first names than recipients. Composing is a function of
the values the handout's templates read (and of what is the same for the whole mailing:
the handout, brand, date), so :class:`Compositions` keeps each composition made under the
values it read, and a row that gives the same ones gets that composition again, its own
values (``Composed.values``, the address block's) put in.

Which values a handout's templates read is found from their syntax once per language
(:func:`reads`): every use of a recipient namespace (``patient``, ``visit``, ``provider``,
``row``) must be an attribute or a constant item of it (``patient.first_name``,
``row['visit_date']``); a template that uses one any other way (loops over it, passes it
to a filter, assigns it) or does not parse makes that language's rows composed every time.
Each row's own values are still checked as :func:`~handoutpress.compose.compose` checks
them (:func:`~handoutpress.personal_values.value_problems`: a row it refuses is composed, and
refused, as before); a composition that raised is not kept.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, ClassVar

from ..compose import Composed
from ..fonts import FontSet
from ..models import Handout
from ..personal import PERSONAL_NAMESPACES, ROW
from ..personal_values import value_problems
from ..template_values import MAX_TEXT, renders_as_written

if TYPE_CHECKING:
    from jinja2 import nodes

#: a recipient value a template reads: (namespace, name)
Read = tuple[str, str]
#: a value not given (the template gets its write-in line, or an error)
_NOT_GIVEN = object()


def _strings(value: object) -> Iterator[str]:
    """Every string in a handout's data (its model dumped: titles, labels, bodies…)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, Mapping):
        for v in value.values():
            yield from _strings(v)
    elif isinstance(value, (list, tuple)):
        for v in value:
            yield from _strings(v)


def reads(handout: Handout) -> tuple[Read, ...] | None:
    """The recipient values ``handout``'s templates read, in a fixed order; None if one
    of them reads the recipient's namespaces in any other way than by a constant name, or
    does not parse (see the module's docstring)."""
    found: set[Read] = set()
    for text in _strings(handout.model_dump()):
        if renders_as_written(text):
            continue  # (no template: ``render_text`` returns it as it is, reading nothing)
        from ..templating import environment  # (Jinja2: only for a text with its syntax)

        try:
            tree = environment().parse(text)
        except Exception:  # noqa: BLE001 - compose reports it, for each row
            return None
        got = _names_read(tree)
        if got is None:
            return None
        found |= got
    return tuple(sorted(found))


def _names_read(tree: nodes.Node) -> set[Read] | None:
    from jinja2 import nodes  # noqa: F811 - (the type above, the module here)

    found: set[Read] = set()
    plain: set[int] = set()  # the namespace names used as ``ns.name`` / ``ns['name']``
    for attr in tree.find_all(nodes.Getattr):
        if isinstance(attr.node, nodes.Name) and attr.node.name in PERSONAL_NAMESPACES:
            found.add((attr.node.name, attr.attr))
            plain.add(id(attr.node))
    for item in tree.find_all(nodes.Getitem):
        if isinstance(item.node, nodes.Name) and item.node.name in PERSONAL_NAMESPACES:
            if not isinstance(item.arg, nodes.Const) or not isinstance(item.arg.value, str):
                return None  # (an item named by an expression)
            found.add((item.node.name, item.arg.value))
            plain.add(id(item.node))
    for name in tree.find_all(nodes.Name):
        if name.name in PERSONAL_NAMESPACES and (id(name) not in plain or name.ctx != "load"):
            return None
    return found


#: a value a letter's forms can be made for from another letter's (``mailvariant``): words of
#: letters, single spaces, and between letters (or before a space) one apostrophe, hyphen or
#: full stop (``O'Brien``, ``Mary-Ann``, ``St. John``): Markdown shows the punctuation as it
#: is (escaped), ReportLab's parser leaves it, the quantity rule never reads a value with no
#: digit, and a value that begins and ends with a letter parses as the mask does
#: (``mailvariant.Family.takes`` checks the punctuation once per family by composing it)
_PLAIN_VALUE = re.compile(r"[^\W\d_]+(?:(?:['\u2019.-]|['\u2019.-]? )[^\W\d_]+)*\Z")
#: before a printed value: an entity or an automatic link it could complete
_OPENS = re.compile(r"&[#A-Za-z0-9]*\Z|<[^<>\s]*\Z|\d[ \t]*\Z")


def printed_only(handout: Handout) -> bool:
    """Is every text that reads a recipient value plain template text with each such value
    printed as it is (``Thank you, {{ patient.first_name }}, for …``): no tag (``{% if %}``,
    loops, assignments), no filter or call, no value right after ``&``, ``<`` or a number
    (an entity, an automatic link, a quantity it could make), no link reference defined?
    Then the text made with one value is the text made with another, the value replaced
    (:mod:`handoutpress.mailvariant`)."""
    from jinja2 import nodes

    from ..templating import environment

    for text in _strings(handout.model_dump()):
        if renders_as_written(text) or not any(ns in text for ns in PERSONAL_NAMESPACES):
            continue
        try:
            tree = environment().parse(text)
        except Exception:  # noqa: BLE001 - compose reports it
            return False
        if "]:" in text or "{%" in text:
            return False
        printed: set[int] = set()
        for out in tree.find_all(nodes.Output):
            before, after_value = "", False
            for node in out.nodes:
                if isinstance(node, nodes.TemplateData):
                    before = node.data
                    continue
                if isinstance(node, (nodes.Getattr, nodes.Getitem)) and (
                    _OPENS.search(before) or (after_value and not before.strip())
                ):
                    return False  # (also right after another value: what it prints ends it)
                printed.add(id(node))
                before, after_value = "", True
        if any(True for _ in tree.find_all((nodes.Filter, nodes.Call, nodes.Test))):
            return False
        for attr in tree.find_all((nodes.Getattr, nodes.Getitem)):
            inner = attr.node  # type: ignore[attr-defined]
            personal = isinstance(inner, nodes.Name) and inner.name in PERSONAL_NAMESPACES
            if personal and id(attr) not in printed:
                return False
    return True


#: False: no letter made from another's with other values (tests compare the two)
VARIANTS = True


class Compositions:
    """The compositions of one mailing's personal sections, by the values they read."""

    #: the most compositions kept (all are let go when full)
    SIZE = 4096
    #: False: every row composed (tests compare the two)
    ENABLED: ClassVar[bool] = True

    def __init__(self) -> None:
        #: per language key: what its templates read (None: compose every row)
        self._reads: dict[str, tuple[Read, ...] | None] = {}
        self._made: dict[tuple[object, ...], Composed] = {}
        #: values compose takes (``value_problems`` found nothing in them)
        self._fine: set[str] = set()
        #: per language key: its texts print the values they read as they are
        self._printed: dict[str, bool] = {}
        #: a value as printed, if a letter may be made for it from another's (else None)
        self._shown: dict[str, str | None] = {}
        #: the row's values :meth:`fine` found fine last (``get`` and ``variant`` ask for
        #: the same row; kept, so that it is not another mapping at the same address)
        self._fine_row: Mapping[str, str] | None = None

    def key(
        self, lang: str, handout: Handout, personal: Mapping[str, str], row: Mapping[str, object]
    ) -> tuple[object, ...] | None:
        """What a row's composition depends on; None: not known (compose it)."""
        if not self.ENABLED:
            return None
        if lang not in self._reads:
            self._reads[lang] = reads(handout)
        wanted = self._reads[lang]
        if wanted is None:
            return None
        values = [
            row.get(name, _NOT_GIVEN) if ns == ROW else personal.get(f"{ns}.{name}", _NOT_GIVEN)
            for ns, name in wanted
        ]
        fields = [personal.get(f.key) for f in handout.fields]  # (the fields' entries)
        return (lang, bool(personal), *values, None, *fields)

    def get(
        self, key: tuple[object, ...] | None, personal: Mapping[str, str], fonts: FontSet
    ) -> Composed | None:
        """The composition kept for ``key`` with this row's values, if the row's values
        are ones compose takes."""
        made = self._made.get(key) if key is not None else None
        if made is None or not self.fine(personal, fonts):
            return None
        # (``dataclasses.replace`` without its __init__: a Composed has no __post_init__;
        # ``copy.copy`` without its reduce protocol: the same new object and attributes)
        got = object.__new__(type(made))
        state = got.__dict__
        state.update(made.__dict__)
        state["values"] = tuple(personal.items())
        return got

    def fine(self, personal: Mapping[str, str], fonts: FontSet) -> bool:
        """Does compose take the row's values (``value_problems`` finds nothing in them)?"""
        if personal is self._fine_row:
            return True
        every = "".join(personal.values())  # (the first case below for every value at once)
        if every.isascii() and every.isprintable() and fonts.body_set.issuperset(every):
            self._fine_row = personal
            return True
        fine = self._fine
        if len(fine) >= self.SIZE * 16:
            fine.clear()
        body = fonts.body_chars
        new: dict[str, str] = {}
        for k, v in personal.items():  # (each value checked once: the refusals depend on it)
            if v in fine:
                continue
            if v.isascii() and v.isprintable() and body.issuperset(map(ord, v)):
                fine.add(v)  # (value_problems' first case: nothing refuses it)
            else:
                new[k] = v
        if new:
            if value_problems(new, fonts):
                return False
            fine.update(new.values())
        self._fine_row = personal
        return True

    def variant(
        self, key: tuple[object, ...] | None, handout: Handout, personal: Mapping[str, str],
        fonts: FontSet,
    ) -> tuple[tuple[object, ...], tuple[Read, ...], tuple[str, ...]] | None:  # fmt: skip
        """For a row whose letter may be made from another's with other values
        (:mod:`handoutpress.mailvariant`): the key without the values read (the family of
        rows whose texts differ only there), what is read, and each value as printed; None
        when its texts do not print them as they are, or a value is not letters and single
        spaces, or compose refuses one of the row's values."""
        if key is None or not VARIANTS:
            return None
        lang = key[0]
        assert isinstance(lang, str)
        wanted = self._reads.get(lang)
        if not wanted:
            return None
        if lang not in self._printed:
            self._printed[lang] = printed_only(handout)
        if not self._printed[lang]:
            return None
        values = key[2 : 2 + len(wanted)]
        shown: list[str] = []
        known = self._shown
        for v in values:
            if not isinstance(v, str):
                return None
            if v in known:
                got = known[v]
            else:
                got = " ".join(v.split())
                if not _PLAIN_VALUE.match(got) or len(got) > MAX_TEXT // 100:
                    got = None
                if len(known) >= self.SIZE * 16:
                    known.clear()
                known[v] = got
            if got is None:
                return None
            shown.append(got)
        if not self.fine(personal, fonts):
            return None
        return (*key[:2], *key[2 + len(wanted) :]), wanted, tuple(shown)

    def put(self, key: tuple[object, ...] | None, composed: Composed) -> None:
        if key is None:
            return
        if len(self._made) >= self.SIZE:
            self._made.clear()
        self._made[key] = composed
