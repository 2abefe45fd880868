"""Names of the register's entries and how they are found in running text.

Shared by ``editio annotate`` (which proposes tags) and the coverage lint
(which warns about untagged mentions), so both see the same mentions.
A register entry is known by its names (``persName``/``placeName``/``orgName``
children, main and variant), a person also by the last word of each
multi-word name (the surname; not of a ``type="birth"`` name), an organisation
or place also without a leading "The" and by an abbreviation in brackets
("... Republics (USSR)"); and by what encoders already did in the edition: the text of tagged
mentions (``<persName ref="register.xml#x">Stalin</persName>``) and the
misprints they corrected (``<sic>Yerev</sic>`` inside a mention of ``#yezhov``).
Forms learned from tagging are proposed with a lower confidence (below the
default write threshold), and never when derived from a registered name
("German" tagged as Germany, "Soviet" as the Soviet Union).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property

from lxml import etree

from .edition import TEI_NS

_T = "{" + TEI_NS + "}"
ENTITY_ELEMENTS = {"person": "persName", "place": "placeName", "org": "orgName"}
NAME_ELEMENTS = frozenset(ENTITY_ELEMENTS.values())
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"

#: Common English words that are capitalised at the start of a sentence or in
#: titles; never names, never misspellings of names.
COMMON_WORDS = frozenset("""
a about above according across after afterwards again against all almost alone along already also although
always am among an and another any anyone anything anyway are around as at away back be became because become
been before beforehand behind being below beside besides between beyond both but by can cannot could did do
does doing done down during each either else elsewhere enough even ever every everyone everything except few
first for former formerly from further had has have having he hence her here hereafter herein hers herself him
himself his how however i if in indeed instead into is it its itself just last later latter least less like
many may me meanwhile might mine more moreover most mostly much must my myself namely neither never
nevertheless next no nobody none nor not nothing now nowhere of off often on once one only onto or other others
otherwise our ours ourselves out over own per perhaps rather same second seemed several she should since so
some somehow someone something sometime sometimes somewhere still such than that the their theirs them
themselves then thence there thereafter thereby therefore therein these they third this those though through
throughout thus to together too toward towards under unless until up upon us very via was we well were what
whatever when whence whenever where whereas whereby wherever whether which while whither who whoever whole whom
whose why will with within without would yet you your yours yourself yourselves
considering consequently finally first firstly secondly lastly certainly clearly evidently naturally obviously
surely unfortunately fortunately already accordingly nonetheless furthermore likewise similarly hardly soon
today tomorrow yesterday tonight yes oh ah dear sir madam mister mr mrs ms dr professor comrade comrades
chapter part book volume page section note notes preface introduction appendix index contents
according after all another any before both during each either even every few here how however
in just many most much neither no none not now once only other perhaps same several since so some soon
still such then there these this those though thus what when where which while who why yet
also instead later meanwhile moreover nevertheless otherwise therefore
many people man men woman women world state party government power people army court trial trials
interrogator interrogators investigator investigators prisoner prisoners defendant defendants judge judges
union republic empire ministry commissar commissariat committee council office department bureau headquarters
central general secret political police hotel street square palace prison camp camps
revolution war peace law order orders report reports letter letters list lists
history story act acts plan plans line case cases charge charges crime crimes death life lives
north south east west northern southern eastern western new old great little good bad
january february march april may june july august september october november december
monday tuesday wednesday thursday friday saturday sunday
spring summer autumn fall winter
one two three four five six seven eight nine ten hundred thousand million
""".split())

#: Forms learned from the edition's tagging are proposed for review, not written by default.
LEARNED_CONFIDENCE = 0.85

_WORD = re.compile(r"(?<![\w’'])[A-ZÀ-ÖØ-ÞА-ЯЁ]\w*(?:['’][A-Z]\w*)?")
_SENTENCE_END = ".!?…"
_SKIP_BEFORE = " \t\r\n\u00a0“”‘’\"'([«»—–-"


@dataclass
class Entry:
    """One register entry: its id, the element that names it, and its names."""

    id: str
    element: str  # persName | placeName | orgName
    names: list[str] = field(default_factory=list)
    main: str = ""
    #: names the bearer no longer used (``type="birth"``): matched in full only
    former: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Mention:
    """A name of ``entry`` at ``text[start:end]``; ``correction`` set for a misspelling."""

    start: int
    end: int
    text: str
    entry: Entry
    confidence: float
    correction: str | None = None
    ambiguous: tuple[str, ...] = ()

    @property
    def kind(self) -> str:
        return "misspelling" if self.correction else "name"


def _norm(s: str) -> str:
    return re.sub(r"\s+", " ", s).strip()


def is_common_word(word: str) -> bool:
    return word.lower().strip("’'") in COMMON_WORDS


def sentence_initial(text: str, i: int, before: str = "") -> bool:
    """Is the word at ``text[i]`` the first of a sentence (or of the block)?"""
    j = i - 1
    while j >= 0 and text[j] in _SKIP_BEFORE:
        j -= 1
    if j >= 0:
        return text[j] in _SENTENCE_END
    k = len(before) - 1
    while k >= 0 and before[k] in _SKIP_BEFORE:
        k -= 1
    return k < 0 or before[k] in _SENTENCE_END


class Register:
    """The entries of a register file, and what the edition teaches about their names."""

    def __init__(self, entries: list[Entry]):
        self.entries = {e.id: e for e in entries}
        #: exact surface form -> (entry ids, confidence)
        self.forms: dict[str, tuple[set[str], float]] = {}
        #: misprint seen corrected in the edition -> (entry id, corrected form)
        self.misprints: dict[str, tuple[str, str]] = {}
        for e in entries:
            for name in e.names:
                self._add(name, e.id, 1.0)
                # "Union of Soviet Socialist Republics (USSR)": both the name and the abbreviation
                both = re.fullmatch(r"(.+?)\s*\(([^()]+)\)", name)
                # only an abbreviation in brackets: "(Bolsheviks)" is part of a party's name
                if both and re.fullmatch(r"[A-ZА-Я][A-ZА-Я0-9.-]+", both.group(2)):
                    self._add(both.group(1), e.id, 1.0)
                    self._add(both.group(2), e.id, 1.0)
                if name.lower().startswith("the "):
                    self._add(name[4:], e.id, 1.0)
                words = name.split()
                # "Brilliant" alone (Sokolnikov's birth surname) is more often an English word
                if (e.element == "persName" and len(words) > 1 and words[-1][:1].isupper()
                        and name not in e.former):
                    self._add(words[-1], e.id, 0.95)

    @classmethod
    def from_tree(cls, tree: etree._ElementTree) -> "Register":
        """Read ``person``, ``place`` and ``org`` entries (with an xml:id) of a register file."""
        entries = []
        root = tree.getroot()
        for kind, element in ENTITY_ELEMENTS.items():
            for node in root.iter(_T + kind):
                ident = node.get(XML_ID)
                if not ident:
                    continue
                names = []
                main = ""
                for name_el in node.findall(_T + element):
                    text = _norm("".join(name_el.itertext()))
                    if text and text not in names:
                        names.append(text)
                    if text and name_el.get("type") == "main" and not main:
                        main = text
                former = [_norm("".join(n.itertext())) for n in node.findall(_T + element) if n.get("type") == "birth"]
                if names:
                    entries.append(Entry(ident, element, names, main or names[0], former))
        return cls(entries)

    def _add(self, form: str, ident: str, confidence: float) -> None:
        form = _norm(form)
        if len(form) < 2 or not form[:1].isupper():
            return
        known = self.forms.get(form)
        if known is not None and ident in known[0] and known[1] >= confidence:
            return
        ids, conf = self.forms.get(form, (set(), 0.0))
        ids = ids | {ident}
        self.forms[form] = (ids, max(conf, confidence))
        for cached in ("_exact", "_single", "_single_list", "_fuzzy_cache"):
            self.__dict__.pop(cached, None)

    def learn(self, tree: etree._ElementTree, register_name: str, forms: bool = True) -> None:
        """Learn surface forms (if ``forms``) and corrected misprints from a tagged chapter.

        Only mentions whose @ref points into the register named ``register_name``
        (e.g. ``register.xml#yezhov``) are used.
        """
        for el in tree.getroot().iter(*(_T + n for n in NAME_ELEMENTS)):
            ref = el.get("ref") or ""
            file_part, _, ident = ref.partition("#")
            if ident not in self.entries or file_part.rsplit("/", 1)[-1] != register_name:
                continue
            if len(el) == 0:  # the common case: plain text, no choice inside
                text = _norm(el.text or "")
                if forms and text and self._learnable(text, ident):
                    self._add(text, ident, LEARNED_CONFIDENCE)
                continue
            sic = el.find(f".//{_T}sic")
            if sic is not None:
                wrong = _norm("".join(sic.itertext()))
                corr = el.find(f".//{_T}corr")
                right = _norm("".join(corr.itertext())) if corr is not None else self.entries[ident].main
                if wrong and wrong[:1].isupper():
                    # a registered variant that the edition corrects is a misprint, not a name form
                    ids, _conf = self.forms.get(wrong, ({ident}, 0.0))
                    if ids == {ident}:
                        self.forms.pop(wrong, None)
                        self.misprints[wrong] = (ident, right)
                continue
            if el.find(f".//{_T}choice") is not None:
                continue
            text = _norm("".join(el.itertext()))
            if forms and text and self._learnable(text, ident):
                self._add(text, ident, LEARNED_CONFIDENCE)
        for cached in ("_exact", "_single", "_single_list", "_fuzzy_cache"):
            self.__dict__.pop(cached, None)

    def _learnable(self, text: str, ident: str) -> bool:
        """May a form tagged in the edition be proposed elsewhere? Not a common word, not a
        known misprint, and not derived from a registered name ("German" for Germany)."""
        if text in self.misprints or is_common_word(text):
            return False
        low = text.lower()
        for name in self.entries[ident].names:
            name = name.lower()
            if name != low and (name.startswith(low) or low.startswith(name[:max(4, len(name) - 1)])):
                return False
        return True

    @cached_property
    def _exact(self) -> re.Pattern | None:
        alternatives = sorted(set(self.forms) | set(self.misprints), key=lambda s: (-len(s), s))
        if not alternatives:
            return None
        body = "|".join(re.escape(a).replace(r"\ ", r"\s+") for a in alternatives)
        return re.compile(rf"(?<![\w])(?:{body})(?![\w])")

    @cached_property
    def _single(self) -> dict[str, list[str]]:
        """Lower-cased one-word forms -> their entry ids, for fuzzy matching."""
        out: dict[str, list[str]] = {}
        for form, (ids, _conf) in self.forms.items():
            if " " not in form and len(form) >= 4 and not is_common_word(form):
                for ident in sorted(ids):
                    out.setdefault(form.lower(), []).append(ident)
        return out

    def exact(self, text: str) -> list[Mention]:
        """Every exact mention of a registered name (or a known misprint) in ``text``."""
        if self._exact is None:
            return []
        out = []
        for m in self._exact.finditer(text):
            found = _norm(m.group(0))
            if found in self.forms:
                ids, conf = self.forms[found]
                ordered = tuple(sorted(ids))
                entry = self.entries[ordered[0]]
                if len(ordered) > 1:
                    conf = min(conf, 0.6)
                if is_common_word(found):
                    conf = min(conf, 0.7)
                out.append(Mention(m.start(), m.end(), m.group(0), entry, conf,
                                   ambiguous=ordered if len(ordered) > 1 else ()))
            else:
                ident, right = self.misprints[found]
                out.append(Mention(m.start(), m.end(), m.group(0), self.entries[ident], 0.95, correction=right))
        return out

    def fuzzy(self, word: str) -> Mention | None:
        """A registered one-word name that ``word`` is likely a misspelling of.

        Guards that keep ordinary words out: at least 5 letters, not a common
        word, Levenshtein distance 1 (2 for names of 8+ letters), neither word
        a prefix of the other ("German"/"Germany", "Stalinist"/"Stalin"), and
        for places and organisations no change in the last letter
        ("Franco"/"France"). Confidence is the Jaro-Winkler similarity.
        """
        if len(word) < 5 or is_common_word(word) or not self._single:
            return None
        if word in self._fuzzy_cache:
            return self._fuzzy_cache[word]
        result = self._fuzzy(word)
        self._fuzzy_cache[word] = result
        return result

    @cached_property
    def _fuzzy_cache(self) -> dict:
        return {}

    @cached_property
    def _single_list(self) -> list[str]:
        return sorted(self._single)

    def _fuzzy(self, word: str) -> Mention | None:
        from rapidfuzz import process
        from rapidfuzz.distance import JaroWinkler, Levenshtein

        low = word.lower()
        best = process.extract(low, self._single_list, scorer=Levenshtein.distance, score_cutoff=2, limit=5)
        candidates = []
        for form, distance, _ in best:
            if distance == 0 or low.startswith(form) or form.startswith(low):
                continue
            if distance > (2 if len(form) >= 8 else 1):
                continue
            entry = self.entries[self._single[form][0]]
            if entry.element != "persName" and low[-1] != form[-1]:
                continue
            candidates.append((JaroWinkler.similarity(low, form), form, entry))
        if not candidates:
            return None
        candidates.sort(key=lambda c: (-c[0], c[1]))
        score, form, entry = candidates[0]
        ids = self._single[form]
        correction = next(f for f in self.forms if f.lower() == form and " " not in f)
        return Mention(0, len(word), word, entry, round(score, 2), correction=correction,
                       ambiguous=tuple(ids) if len(ids) > 1 else ())

    def is_known_word(self, word: str) -> bool:
        """Is ``word`` a registered name, a known misprint, or derived from one ("Stalinist")?"""
        if word in self.forms or word in self.misprints:
            return True
        low = word.lower()
        return any(low.startswith(f) for f in self._single if len(f) >= 5)


def capitalised_words(text: str):
    """(start, end, word) of each capitalised word in ``text``."""
    for m in _WORD.finditer(text):
        yield m.start(), m.end(), m.group(0)
