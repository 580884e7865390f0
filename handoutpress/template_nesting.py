"""How deeply a content template may nest, checked while it is parsed.

Jinja2 parses, transforms and compiles a template by recursion, and Python's compiler
has fixed limits of its own (200 nested brackets, 100 levels of indentation, 20 nested
loops), so a text such as ``{`` × 3,000, ``{{ ((((…1)))) }}``, ``{{ 1+1+…+1 }}`` or 30
nested ``{% for %}`` would end in a RecursionError or SyntaxError deep inside Jinja2.
:func:`parse_limited` turns each into a :class:`TemplateProblem` with the template line:
recursion while parsing is caught where the parser stands, and the parsed tree is then
measured without recursion, before anything recurses over it. Its messages begin
"template syntax:", as a syntax error's do: a problem of the text whatever the values
(``batch`` reports it once, before any row, not as every row rejected).
"""

from __future__ import annotations

from jinja2 import Environment, nodes
from jinja2.parser import Parser

from .template_values import TemplateProblem

#: the deepest a template's syntax tree may be (a text, its tags, their expressions: a
#: handout's templates are under 10 deep)
MAX_DEPTH = 40
#: the most ``{% for %}`` loops inside one another (Python allows 20 nested blocks)
MAX_LOOPS = 10

_TOO_DEEP = (
    f"template syntax: nested more than {MAX_DEPTH} deep (brackets, operators, filters, tags)"
)


def parse_limited(
    env: Environment, source: str, name: str | None, filename: str | None
) -> nodes.Template:
    """``source`` parsed (as :meth:`Environment._parse` does), or a :class:`TemplateProblem`
    at the line where it nests too deeply."""
    parser = Parser(env, source, name, filename)
    try:
        tree = parser.parse()
    except RecursionError:
        raise TemplateProblem(_TOO_DEEP, parser.stream.current.lineno) from None
    check_nesting(tree)
    return tree


def check_nesting(tree: nodes.Node) -> None:
    """Refuse a tree deeper than :data:`MAX_DEPTH` or with more than :data:`MAX_LOOPS`
    loops inside one another (walked with a stack, not recursion)."""
    stack: list[tuple[nodes.Node, int, int]] = [(tree, 1, 0)]
    while stack:
        node, depth, loops = stack.pop()
        if depth > MAX_DEPTH:
            raise TemplateProblem(_TOO_DEEP, node.lineno)
        if isinstance(node, nodes.For):
            loops += 1
            if loops > MAX_LOOPS:
                raise TemplateProblem(
                    f"template syntax: more than {MAX_LOOPS} loops inside one another",
                    node.lineno,
                )
        stack.extend((child, depth + 1, loops) for child in node.iter_child_nodes())
