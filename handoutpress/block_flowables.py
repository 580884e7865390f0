"""A section's Markdown blocks (:mod:`.markdown`: paragraphs, lists, pictures) → platypus
flowables in a :class:`~handoutpress.styles.Theme`, tagged as they are made: list items
with their bullets or numbers, pictograms and further paragraphs."""

from __future__ import annotations

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable, Paragraph

from .icons import IconItem
from .markdown import Block, ListBlock, Para, Picture, plain_text
from .markup import inline_markup
from .pictures import picture_flowable
from .styles import Theme
from .tagging import Node, tag, tag_artifact


def _bullet_style(
    theme: Theme,
    depth: int,
    last: bool,
    icons: bool = False,
    base: float | None = None,
    number_w: float | None = None,
) -> ParagraphStyle:
    """A list item's style, its bullet ``base`` points in (default: a step per ``depth``);
    ``icons``: room for pictograms; ``number_w``: a numbered list's widest label ("10."):
    numbers right-aligned to it, every line of every item starting at one x."""
    body = theme["body"]
    indent = body.fontSize * 1.3
    at = indent * depth if base is None else base
    room = body.fontSize * (IconItem.SIZE + 0.55) - indent if icons else 0.0
    left, bullet_at, anchor = at + indent + room, at + 1, "start"
    if number_w is not None:
        # ReportLab starts the first line at least 0.6 x the bullet's size after the
        # bullet's end: the text starts there (or a step in) for every number alike
        gap = body.fontSize * 0.6
        bullet_at = at + 1 + number_w
        left = at + max(indent, 1 + number_w + gap + 0.01)
        anchor = "end"
    return ParagraphStyle(
        f"bullet{depth}{int(last)}{'i' if icons else ''}{'n' if number_w is not None else ''}",
        parent=body,
        leftIndent=left,
        bulletIndent=bullet_at,
        bulletAnchor=anchor,
        bulletFontName=theme.fonts.face_with("\u2022", theme.fonts.regular),
        bulletFontSize=body.fontSize,
        spaceAfter=body.spaceAfter if last else body.leading * 0.15,
    )


def _number_width(block: ListBlock, theme: Theme) -> float:
    """The widest label of a numbered list ("9." or "10."), at the body size."""
    size = theme["body"].fontSize
    labels = (f"{block.start + i}." for i in range(len(block.items)))
    return max(theme.fonts.string_width(label, theme.fonts.regular, size) for label in labels)


def block_flowables(
    blocks: tuple[Block, ...],
    theme: Theme,
    depth: int = 0,
    parent: Node | None = None,
    base: float = 0.0,
) -> list[Flowable]:
    """Paragraphs and lists as flowables; with ``parent``, each tagged as a ``P`` or an
    ``L`` of ``LI`` (``Lbl`` bullet, ``LBody`` text) under it, in order. ``base``: how far
    in the text of the list item these blocks belong to starts (0 at the top level)."""
    out: list[Flowable] = []
    for k, block in enumerate(blocks):
        if isinstance(block, Picture):
            picture = picture_flowable(block, theme.fonts, raster=theme.raster)
            if parent is not None:  # a Figure with its alt text, or decoration
                if picture.decorative:
                    tag_artifact(picture)
                else:
                    tag(picture, parent.add("Figure", alt=picture.alt))
            out.append(picture)
        elif isinstance(block, Para):
            # a list item's further paragraph starts where the item's text does
            style = theme["body"]
            if depth:
                indent = style.fontSize * 1.3
                style = _bullet_style(theme, depth - 1, True, base=base - indent)
            p = theme.paragraph_of(block.spans, style)
            if parent is not None:
                # a list item's further paragraph is part of its body
                tag(p, parent if parent.role == "LBody" and depth else parent.add("P"))
            out.append(p)
        elif isinstance(block, ListBlock):
            n = len(block.items)
            lst = parent.add("L") if parent is not None else None
            icons = any(isinstance(it[0], Para) and it[0].icon for it in block.items if it)
            number_w = _number_width(block, theme) if block.ordered and not icons else None
            if k and out and leads_in(blocks[k - 1]):
                out[-1].keepWithNext = 1  # its lead-in ("Risks are not common:") with item 1
                out[-1].list_keep = True
                out[-1].lead_in = True  # (parted_lists: what a break after it parts)
            starts: list[int] = []  # where each item's flowables start in ``out``
            for i, item in enumerate(block.items):
                starts.append(len(out))
                bullet = f"{block.start + i}." if block.ordered else "\u2022"
                style = _bullet_style(theme, depth, i == n - 1, icons, base, number_w)
                body: Node | None = None
                label: Node | None = None
                first, *rest = item or (Para(()),)
                icon = first.icon if isinstance(first, Para) else None
                if lst is not None:
                    li = lst.add("LI")
                    label = None if icon else li.add("Lbl")  # a pictogram has no text
                    body = li.add("LBody")
                if isinstance(first, Para):
                    markup = inline_markup(first.spans, theme.fonts)
                    if icon:
                        p = IconItem(markup, style, icon, theme.colours["primary"])
                    else:
                        p = Paragraph(markup, style, bulletText=bullet)
                    if body is not None:
                        tag(p, body, label)
                    out.append(p)
                else:
                    rest = [first, *rest]
                for sub in rest:
                    out.extend(block_flowables((sub,), theme, depth + 1, body, style.leftIndent))
            keep_last_two(out[starts[-2] :] if n > 1 else [])
    return out


def leads_in(block: Block) -> bool:
    """A paragraph that leads into the list after it: its text ends in a colon."""
    return isinstance(block, Para) and plain_text(block.spans).rstrip().endswith(":")


def keep_last_two(flowables: list[Flowable]) -> None:
    """The flowables of a list's last two items (the last but one's further paragraphs and
    sub-lists too) kept together: each but the last is kept with the next (ReportLab's
    ``keepWithNext``, which the frames, :class:`~handoutpress.heading_with_text.HeadingWithText`,
    a tri-fold's whole sections and large print's boxes follow). A page, column or panel may
    break before the last but one item, never leave the last item alone at its top."""
    for f in flowables[:-1]:
        f.keepWithNext = 1
        f.list_keep = True  # (loosen_lists undoes it)


def loosen_lists(story: list[Flowable]) -> None:
    """Undo :func:`keep_last_two` in ``story`` (in its :class:`HeadingWithText` too): for a
    layout whose pages are counted, when keeping them made the text overflow (a lone last
    item is better than a sheet refused)."""
    for f in story:
        if hasattr(f, "children") and hasattr(f, "with_children"):
            loosen_lists(f.children())
        if getattr(f, "list_keep", False):
            f.keepWithNext = 0
