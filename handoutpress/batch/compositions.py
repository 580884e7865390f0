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

import copy
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, ClassVar

from ..compose import Composed
from ..fonts import FontSet
from ..models import Handout
from ..personal import PERSONAL_NAMESPACES, ROW
from ..personal_values import value_problems
from ..template_values import renders_as_written

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
        if made is None:
            return None
        fine = self._fine
        new = {k: v for k, v in personal.items() if v not in fine}
        if new:  # (each value checked once: the refusals depend on it alone)
            if value_problems(new, fonts):
                return None
            if len(fine) >= self.SIZE * 16:
                fine.clear()
            fine.update(new.values())
        # (``dataclasses.replace`` without its __init__: a Composed has no __post_init__)
        got = copy.copy(made)
        object.__setattr__(got, "values", tuple(personal.items()))
        return got

    def put(self, key: tuple[object, ...] | None, composed: Composed) -> None:
        if key is None:
            return
        if len(self._made) >= self.SIZE:
            self._made.clear()
        self._made[key] = composed
