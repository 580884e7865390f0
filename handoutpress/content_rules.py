"""What ``check`` can score of a handout's wording and organisation without a person.

Two health-literacy instruments are used to review patient materials:

- AHRQ's PEMAT-P (Patient Education Materials Assessment Tool, printable materials): 17
  understandability items (1-12, 15-19) and 7 actionability items (20-26), each scored
  agree / disagree (some may be "not applicable"); a score is the share of "agree" among
  the items that apply. 70 % is the usual pass mark.
- CDC's Clear Communication Index: among others, the main message first, a summary, numbers
  written as numerals, and the behaviour the reader should take.

A machine can score some items exactly (a summary is there or not; numbers are digits or
words) and others only by a proxy (common words: the reading level). The rest need a
person: whether the purpose is evident, whether a term is defined, whether pictures help.
:func:`score` returns the findings (``check`` prints them; ``--strict`` fails on them) and an
*estimate* over the items a machine can score, naming the items a person must still judge.

Nothing here reads ReportLab or lays anything out: it looks at the validated handout.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from .errors import Location, Problem
from .governance import Finding, error, warning
from .markdown import ListBlock, Para, parse_blocks, plain_text
from .project import HandoutSource
from .readability import primary, prose, reading_level, strip_templates

#: A section with more words than this in a row of plain paragraphs (no list, no sub-heading
#: between them) is a wall of text (PEMAT item 8: "breaks or chunks information into short
#: sections"; the AHRQ guide suggests short paragraphs and lists).
MAX_RUN_WORDS = 120

#: A handout this short is its own summary: the key-points and when-to-call rules apply to
#: longer ones (a one-paragraph note on ice needs neither box).
STRUCTURE_MIN_WORDS = 150

#: Section styles that carry "when to call" advice, in tier order (911 first).
URGENT, WARNING, KEYPOINTS = "urgent", "warning", "keypoints"

#: Number words that should be digits (CDC CCI item 12, PEMAT item 6). "one" alone is left
#: out: it is mostly a pronoun ("one of these", "more than one"); with a unit it counts.
_NUMBER_WORDS: dict[str, list[str]] = {
    "en": str.split(
        "two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
        "sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty "
        "ninety hundred thousand"
    ),
    "es": str.split(
        "dos tres cuatro cinco seis siete ocho nueve diez once doce trece catorce quince "
        "dieciséis diecisiete dieciocho diecinueve veinte treinta cuarenta cincuenta sesenta "
        "setenta ochenta noventa cien ciento mil"
    ),
}
_UNITS = {
    "en": "minute minutes hour hours day days week weeks month months year years time times",
    "es": "minuto minutos hora horas día días semana semanas mes meses año años vez veces",
}
_ONE = {"en": "one", "es": "un|una|uno"}

#: A North American phone number typed into text: (760) 555-0142, 760-555-0142, 555-0142.
_PHONE = re.compile(r"(?<![\d-])(?:\(?\d{3}\)?[\s.-]?)?\d{3}[\s.-]\d{4}(?![\d-])")

#: Words a reader is addressed by (PEMAT item 21: "addresses the user directly").
#: Second-person words, and the usted-form commands patient materials use most ("ponga",
#: "llame"): an action that says one of these speaks to the reader.
_YOU = {
    "en": r"\b(you|your|call|put|take|keep|wait|stretch|walk|rest|ice|ask|bring|write)\b",
    "es": (
        r"\b(usted|su|sus|le|llame|llámenos|tome|use|ponga|haga|espere|camine|estírese|"
        r"descanse|vaya|traiga|pregunte|duerma|quítese|mídala|siga|anote)\b"
    ),
}


Verdict = Literal["agree", "disagree", "n/a", "person"]


@dataclass(frozen=True)
class Item:
    """One PEMAT-P item as far as a machine can tell."""

    number: int
    text: str
    verdict: Verdict
    why: str = ""

    @property
    def understandability(self) -> bool:
        return self.number <= 19


@dataclass(frozen=True)
class Estimate:
    items: tuple[Item, ...]

    def _part(self, understandability: bool) -> tuple[int, int]:
        scored = [
            i
            for i in self.items
            if i.understandability == understandability and i.verdict in ("agree", "disagree")
        ]
        return sum(i.verdict == "agree" for i in scored), len(scored)

    @property
    def understandability(self) -> tuple[int, int]:
        return self._part(True)

    @property
    def actionability(self) -> tuple[int, int]:
        return self._part(False)

    @property
    def for_a_person(self) -> list[int]:
        return [i.number for i in self.items if i.verdict == "person"]

    def describe(self) -> str:
        def pct(part: tuple[int, int]) -> str:
            agree, scored = part
            return f"{agree}/{scored} ({round(100 * agree / scored)} %)" if scored else "–"

        return (
            f"PEMAT-P estimate over the items a machine can score: understandable "
            f"{pct(self.understandability)}, actionable {pct(self.actionability)}; "
            f"a person must judge items {_ranges(self.for_a_person)}"
        )


@dataclass(frozen=True)
class ContentScore:
    findings: tuple[Finding, ...]
    estimate: Estimate


def score(source: HandoutSource) -> ContentScore:
    """The machine-checkable content rules for one handout, and its PEMAT-P estimate."""
    handout = source.handout
    lang = primary(handout.language)
    findings: list[Finding] = []
    styles: list[str] = [s.style for s in handout.sections]

    doc = source.doc

    def flag(i: int, message: str, where: Location | None = None, is_error: bool = False) -> None:
        location = where or doc.locate_key(("sections", i, "heading"))
        field = f"sections[{i}]" if where is None else f"sections[{i}].body"
        problem = Problem(location, field, message)
        findings.append(error(problem) if is_error else warning(problem))

    total = sum(len(prose(strip_templates(s.body)).split()) for s in handout.sections)
    structured = total >= STRUCTURE_MIN_WORDS
    # PEMAT 11 / CDC CCI "main message first": a summary at the top
    if not structured:
        pass
    elif KEYPOINTS not in styles:
        findings.append(
            warning(
                Problem(
                    source.doc.locate_key(("sections",)),
                    "sections",
                    "no key-points summary: add a section with 'style: keypoints' (the 2 or 3 "
                    "things to know) as the first section (PEMAT item 11, CDC main message first)",
                )
            )
        )
    elif styles.index(KEYPOINTS) > 1:
        flag(
            styles.index(KEYPOINTS),
            "the key-points summary should come first, or right after an opening paragraph "
            "(CDC: main message first)",
        )

    # when to call, in tiers: 911 first, then the clinic
    if not structured:
        pass
    elif WARNING not in styles and URGENT not in styles:
        findings.append(
            warning(
                Problem(
                    source.doc.locate_key(("sections",)),
                    "sections",
                    "no 'when to call' section: add one with 'style: warning' (call us) and "
                    "one with 'style: urgent' (call 911)",
                )
            )
        )
    elif URGENT not in styles:
        flag(styles.index(WARNING), "the 'when to call' advice has no 911 tier: add a section "
             "with 'style: urgent' before it")  # fmt: skip
    elif WARNING in styles and styles.index(URGENT) > styles.index(WARNING):
        flag(styles.index(URGENT), "the 911 tier ('style: urgent') should come before 'call us'")

    longest_runs: list[int] = []
    number_words: list[str] = []
    for i, section in enumerate(handout.sections):
        body = strip_templates(section.body)
        run, opening = _longest_paragraph_run(body)
        longest_runs.append(run)
        key = ("sections", i, "body")
        if run > MAX_RUN_WORDS:
            flag(
                i,
                f"'{_short(section.heading)}' has {run} words with no list or sub-heading "
                f"(at most {MAX_RUN_WORDS}): break it into a list or a new section (PEMAT item 8)",
                _word_location(source, key, section.body, opening),
            )
        words = _spelled_numbers(plain_body(body), lang)
        for word in words:
            flag(
                i,
                f"'{word}' is written as a word: write numbers as digits, e.g. '2 days' "
                "(PEMAT item 6, CDC Clear Communication Index)",
                _word_location(source, key, section.body, word),
            )
        number_words.extend(words)
        for number in _PHONE.findall(body):
            flag(
                i,
                f"a phone number is typed into the text ({number}): use {{{{ clinic.phone }}}} "
                "so the brand's number is printed",
                _word_location(source, key, section.body, number),
                is_error=True,
            )

    return ContentScore(
        tuple(findings), _estimate(source, lang, styles, longest_runs, number_words)
    )


def _word_location(
    source: HandoutSource, key: tuple[str | int, ...], body: str, word: str
) -> Location:
    """The file line and column of the first ``word`` in the body at ``key``."""
    doc = source.doc
    pattern = re.compile(r"\s+".join(re.escape(w) for w in word.split()), re.IGNORECASE)
    for n, text in enumerate(body.splitlines(), start=1):
        found = pattern.search(text)
        if found:
            line = doc.text_line(key, n)
            col = doc.column_of(line, found.group(0))
            return Location(doc.path, line, col)
    return doc.locate(key)


#: Plain-language target for every section (the AMA and NIH suggest grade 6 or below for
#: patient materials); a section above it gets an explanation in ``check``'s table.
TARGET_GRADE = 6.0


def explain_grade(text: str, language: str) -> str:
    """Why a section reads above :data:`TARGET_GRADE`: its sentence length and its longest
    words, so the author knows what to change."""
    from .readability import reading_level, syllables

    reading = reading_level(text, language)
    if reading is None or reading.grade <= TARGET_GRADE:
        return ""
    per_sentence = reading.words / max(reading.sentences, 1)
    seen: dict[str, int] = {}
    for word in re.findall(r"[^\W\d_]+(?:['’-][^\W\d_]+)*", text):
        key = word.lower()
        if key not in seen and len(key) > 3:
            seen[key] = syllables(key, language)
    long_words = sorted((w for w, n in seen.items() if n >= 3), key=lambda w: (-seen[w], w))
    parts = [f"{per_sentence:.0f} words a sentence"]
    if long_words:
        parts.append("long words: " + ", ".join(long_words[:4]))
    return f"above grade {TARGET_GRADE:g}: " + "; ".join(parts)


def plain_body(markdown_body: str) -> str:
    """Every word of a body (paragraphs and list items), one line each."""
    return prose(markdown_body)


def _longest_paragraph_run(body: str) -> tuple[int, str]:
    """Most words in consecutive plain paragraphs (a list breaks the run), and the first
    words of that run (to point at it)."""
    best, best_opening = 0, ""
    run, opening = 0, ""
    for block in parse_blocks(body):
        if isinstance(block, Para):
            words = plain_text(block.spans).split()
            if run == 0:
                opening = " ".join(words[:3])
            run += len(words)
            if run > best:
                best, best_opening = run, opening
        elif isinstance(block, ListBlock):
            run = 0
    return best, best_opening


def _spelled_numbers(text: str, lang: str) -> list[str]:
    words = _NUMBER_WORDS.get(lang)
    if not words:
        return []
    pattern = r"\b(" + "|".join(words) + r")\b"
    found = [m.group(1) for m in re.finditer(pattern, text, re.IGNORECASE)]
    one = rf"\b({_ONE[lang]})\s+({'|'.join(_UNITS[lang].split())})\b"
    found += [f"{m.group(1)} {m.group(2)}" for m in re.finditer(one, text, re.IGNORECASE)]
    return found


def _estimate(
    source: HandoutSource,
    lang: str,
    styles: list[str],
    longest_runs: list[int],
    number_words: list[str],
) -> Estimate:
    handout = source.handout
    bodies = [s.body for s in handout.sections]
    text = "\n".join(bodies)
    limit = handout.reading_level_max if handout.reading_level_max is not None else 8.0
    readable = supported_reading(handout.language)
    grades = [reading_level(prose(b), handout.language) for b in bodies] if readable else []
    too_hard = [g for g in grades if g is not None and g.grade > limit + 1e-9]
    has_list = any(isinstance(b, ListBlock) for body in bodies for b in parse_blocks(body))
    images = len(re.findall(r"!\[", text)) + (1 if getattr(handout.cover, "image", "") else 0)
    icons = sum(1 for s in handout.sections if getattr(s, "icon", None))
    cue = has_list or "**" in text or any(s in styles for s in ("callout", WARNING, URGENT))
    action_styles = [s for s in handout.sections if s.style in ("callout", WARNING, URGENT)]
    action_text = "\n".join(s.body for s in action_styles)
    direct = bool(re.search(_YOU.get(lang, r"\byou\b"), prose(action_text), re.IGNORECASE))
    action_lists = any(
        isinstance(b, ListBlock) for s in action_styles for b in parse_blocks(s.body)
    )
    tools = [
        f
        for f in handout.fields
        if getattr(f, "kind", "text") not in ("", "text") or getattr(f, "choices", None)
    ]
    tool = bool(tools) or any(getattr(s, "tool", None) for s in handout.sections)

    def yes(ok: bool, why_not: str) -> tuple[Verdict, str]:
        return ("agree", "") if ok else ("disagree", why_not)

    items = [
        Item(1, "purpose evident", "person"),
        Item(2, "nothing distracting", "person"),
        Item(3, "common, everyday language (proxy: every section at or under the maximum "
             "reading grade)", *(yes(not too_hard, f"{len(too_hard)} section(s) read above "
                                 "the maximum grade") if readable else ("person", ""))),
        Item(4, "medical terms defined", "person"),
        Item(5, "active voice", "person"),
        Item(6, "numbers clear (proxy: written as digits)",
             *yes(not number_words, f"numbers as words: {', '.join(number_words[:3])}")),
        Item(7, "no calculations expected", "person"),
        Item(8, f"short sections (no run over {MAX_RUN_WORDS} words)",
             *yes(max(longest_runs, default=0) <= MAX_RUN_WORDS, "a wall of text")),
        Item(9, "informative headers (every section has one; a person judges the wording)",
             *yes(all(s.heading.strip() for s in handout.sections), "a section has none")),
        Item(10, "logical sequence", "person"),
        Item(11, "a summary (a key-points section)",
             *yes(KEYPOINTS in styles, "no 'style: keypoints' section")),
        Item(12, "visual cues (lists, bold, boxes)", *yes(cue, "no list, bold or box")),
        Item(15, "visual aids where they help (at least one picture or icon)",
             *yes(images + icons > 0, "no picture or icon")),
        Item(16, "visual aids reinforce the content", "person"),
        Item(17, "visual aids have clear titles or captions", "person"),
        Item(18, "illustrations clear and uncluttered", "person"),
        Item(19, "simple tables", "n/a"),
        Item(20, "at least one clear action", "person"),
        Item(21, "addresses the reader directly in its actions ('you')",
             *yes(direct, "the action sections do not say 'you'")),
        Item(22, "actions broken into steps (a list in the action boxes)",
             *yes(action_lists, "no list in a callout, warning or urgent section")),
        Item(23, "a tangible tool (a checklist, tick boxes, a log, write-in lines)",
             *yes(tool, "no tick boxes, log or write-in tool")),
        Item(24, "instructions for calculations", "n/a"),
        Item(25, "explains how to use charts or tables", "person" if tool else "n/a"),
        Item(26, "visual aids that help to act (icons on the steps)",
             *yes(icons > 0 or images > 0, "no icon or picture")),
    ]  # fmt: skip
    return Estimate(tuple(items))


def supported_reading(language: str) -> bool:
    from .readability import supported

    return supported(language)


def _short(heading: str) -> str:
    return " ".join(re.sub(r"\{\{.*?\}\}", "…", heading).split())


def _ranges(numbers: Iterable[int]) -> str:
    nums = sorted(numbers)
    if not nums:
        return "none"
    parts: list[str] = []
    start = prev = nums[0]
    for n in [*nums[1:], None]:
        if n is not None and n == prev + 1:
            prev = n
            continue
        parts.append(f"{start}" if start == prev else f"{start}-{prev}")
        if n is not None:
            start = prev = n
    return ", ".join(parts)
