"""Named entities across the articles of a story, merged into one entity per real-world thing.

spaCy finds the mentions; merging them is done by general mechanisms, each cheap and measurable:

* normalisation: case, "the", possessives, titles ("Mr.", "Defense Secretary") and generic
  heads ("Islamic State *group*") are dropped;
* acronyms: "IS" is the initials of "Islamic State", "US" of "United States";
* person name parts: "Carter" joins the one full name ending in "Carter"; "Ash" and "Ashton"
  join when one first name is a prefix of the other (nicknames) and the surname is the same;
* transliteration: a phonetic skeleton (doubled letters collapsed, final "h" dropped, "q" -> "k",
  "ou" -> "u") makes "Qayyarah" and "Qayara" equal;
* definite role descriptions ("the Pentagon chief", "the top US defense official") join the one
  person whose title in the story shares a non-national word with them.

``KNOWN_ALIASES`` is a small curated table for well-known organisations whose aliases no string
mechanism can find (Daesh is an Arabic acronym, ISIL an alternative English one).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from storyline.compare.transliteration import union_transliterations
from storyline.compare.unionfind import UnionFind

if TYPE_CHECKING:
    from spacy.tokens import Doc

LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP", "LOC", "FAC", "EVENT"})
PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
# Curated: aliases that are not derivable from the canonical name by any string rule.
KNOWN_ALIASES: dict[str, tuple[str, ...]] = {
    "islamic state": (
        "isis",
        "isil",
        "daesh",
        "da'esh",
        "is",
        "islamic state of iraq and syria",
        "islamic state of iraq and the levant",
        "so-called islamic state",
    ),
    "united states": ("us", "u.s.", "usa", "u.s.a.", "america", "united states of america"),
    "united kingdom": ("uk", "u.k.", "britain", "great britain"),
    "united nations": ("un", "u.n."),
    "european union": ("eu",),
    "pentagon": ("defense department", "department of defense", "us department of defense"),
}
_ALIAS_TO_CANONICAL = {a: c for c, aliases in KNOWN_ALIASES.items() for a in aliases}
# A group's alias takes descriptors ("Daesh Takfiri militants" is Daesh); a country's or an
# institution's opens other names ("U.S. Open", "U.S. Army", "U.N. Security Council").
_EXTENDED_BY_DESCRIPTORS = frozenset({"islamic state"})
# Aliases spaCy often misses or mislabels; found by exact, case-sensitive match.
_ALIAS_PATTERN = re.compile(r"\b(Daesh|ISIS|ISIL|Isis|Isil|IS)\b(?!-)")
# Roles name an institution by another name: the Pentagon's chief is the defence secretary.
ROLE_SYNONYMS = {"pentagon": "defense", "defence": "defense", "white house": "president"}

TITLES = frozenset(
    """mr mrs ms miss dr prof sir president secretary minister prime chief general gen lt col
    colonel major maj sgt capt captain adm admiral sen senator rep representative gov governor
    mayor judge justice king queen prince princess pope rev sheikh defense defence foreign
    interior state deputy vice commander spokesman spokeswoman official ambassador chairman
    director head leader outgoing former acting us u.s. visiting top senior""".split()
)
GENERIC_HEADS = (
    "group",
    "militants",
    "militant group",
    "organization",
    "organisation",
    "fighters",
    "movement",
    "terror group",
    "jihadist group",
    "extremist group",
)
_ROLE = re.compile(
    r"\b[Tt]he ((?:(?:top|senior|outgoing|former|new|acting)\s+)?(?:(?:[A-Z][\w.]+|US|U\.S\.)\s+)?"
    r"(?:[a-z]+\s+)?(?:chief|secretary|minister|official|head|president|spokesman|"
    r"spokeswoman|commander|general|leader|premier))\b"
)
NATIONAL = frozenset("us u.s. american iraqi british french russian syrian iranian".split())


@dataclass
class EntityMention:
    article_id: str
    start: int
    end: int
    text: str
    label: str
    form: str  # normalised surface form
    role: bool = False  # a definite description ("the Pentagon chief")
    prepositional: bool = False  # object of in/to/at...: a location of the event


@dataclass
class Entity:
    key: str
    name: str
    label: str
    mentions: list[EntityMention] = field(default_factory=list)

    @property
    def aliases(self) -> list[str]:
        forms = Counter(m.text for m in self.mentions)
        return [f for f, _ in forms.most_common()]

    @property
    def article_ids(self) -> list[str]:
        return list(dict.fromkeys(m.article_id for m in self.mentions))


def normalise(text: str, label: str) -> str:
    form = text.lower().replace("’", "'").strip()
    form = re.sub(r"^the\s+", "", form)
    form = re.sub(r"'s?$", "", form).strip()
    form = re.sub(r"\s+", " ", form)
    if label == "PERSON":
        words = form.replace(".", "").split()
        while len(words) > 1 and words[0] in TITLES:
            words.pop(0)
        form = " ".join(words)
    if label in {"ORG", "NORP", "GPE"}:
        for head in GENERIC_HEADS:
            if form.endswith(" " + head):
                form = form[: -len(head) - 1]
    return form


def initials(form: str) -> str:
    return "".join(w[0] for w in form.split() if w not in {"of", "the", "and", "for"} and w)


def collect_mentions(doc: Doc, article_id: str) -> list[EntityMention]:
    mentions: list[EntityMention] = []
    covered: set[int] = set()
    for ent in doc.ents:
        if ent.label_ not in LABELS:
            continue
        text = ent.text
        form = normalise(text, ent.label_)
        if not form or not any(ch.isalpha() for ch in form):
            continue
        if form in _ALIAS_TO_CANONICAL and len(form) <= 3 and not text.isupper():
            continue  # "Us" (Us Weekly, "the source tells Us") is no US; an acronym is capitals
        prepositional = ent.root.dep_ == "pobj" and ent.root.head.lower_ in {
            "in",
            "into",
            "to",
            "at",
            "inside",
            "across",
            "near",
            "throughout",
            "within",
        }
        mentions.append(
            EntityMention(
                article_id,
                ent.start_char,
                ent.end_char,
                text,
                ent.label_,
                form,
                prepositional=prepositional,
            )
        )
        covered.update(range(ent.start_char, ent.end_char))
    text = doc.text  # Doc.text joins every token on each access
    for m in _ALIAS_PATTERN.finditer(text):
        if m.start() in covered:
            continue
        # "IS" as a verb only occurs in all-caps headlines; require a non-capital neighbour.
        if m.group() == "IS" and text[max(0, m.start() - 2) : m.start()].strip().isupper():
            continue
        mentions.append(
            EntityMention(article_id, m.start(), m.end(), m.group(), "ORG", m.group().lower())
        )
    for m in _ROLE.finditer(text):
        phrase = m.group(1)
        mentions.append(
            EntityMention(
                article_id, m.start(), m.end(), m.group(), "ROLE", phrase.lower(), role=True
            )
        )
    return sorted(mentions, key=lambda x: x.start)


def _title_words(doc_text: str, mention: EntityMention) -> set[str]:
    before = doc_text[max(0, mention.start - 60) : mention.start]
    before = re.split(r"[.;:\n\"“”]", before)[-1]
    words = re.findall(r"[A-Za-z.]+", before)[-5:]
    out = set()
    for w in words:
        lw = w.lower().rstrip(".")
        if w[:1].isupper() or lw in TITLES:
            out.add(ROLE_SYNONYMS.get(lw, lw))
    return out - {"the", "of", "and", "a", "visiting"}


def build_entities(docs: dict[str, Doc]) -> tuple[list[Entity], dict[tuple[str, int], str]]:
    """Entities of a story, and a map (article_id, mention start) -> entity key."""
    mentions = [m for aid, doc in docs.items() for m in collect_mentions(doc, aid)]
    uf: UnionFind[str] = UnionFind(prefer=lambda form: (len(form), form))
    named = [m for m in mentions if not m.role]
    forms: dict[str, Counter[str]] = defaultdict(Counter)
    for m in named:
        forms[m.form][m.label] += 1
        uf.find(m.form)
    form_list = sorted(forms)
    # Multi-word forms by their initials, so an acronym finds its expansions by lookup.
    by_initials: dict[str, list[str]] = defaultdict(list)
    for other in form_list:
        if len(other.split()) >= 2:
            by_initials[initials(other)].append(other)
    # 1. curated aliases, 2. acronyms
    for form in form_list:
        canonical = _ALIAS_TO_CANONICAL.get(form)
        if canonical:
            uf.union(canonical, form)
        if canonical in {None} and 2 <= len(form) <= 5 and form.isalpha():
            for other in by_initials.get(form, ()):
                uf.union(other, form)
    # Descriptive extensions of a curated alias: "Daesh Takfiri (militants)".
    for form in form_list:
        words = form.split()
        canonical = _ALIAS_TO_CANONICAL.get(words[0]) if len(words) >= 2 else None
        if canonical in _EXTENDED_BY_DESCRIPTORS and len(words[0]) >= 4:
            uf.union(canonical, form)
    # 3. person name parts
    persons = [f for f in form_list if forms[f]["PERSON"] > 0]
    by_surname: dict[str, list[str]] = defaultdict(list)
    for f in persons:
        if len(f.split()) >= 2:
            by_surname[f.split()[-1]].append(f)
    # The small English model often tags a bare surname as a group or an organisation
    # ("Slepian, 51," as NORP): a one-word form that is the surname of the story's one
    # full name is that person, whatever its label.
    mislabelled = [
        f
        for f in form_list
        if " " not in f and not forms[f]["PERSON"] and (forms[f]["NORP"] or forms[f]["ORG"])
    ]
    for f in [*persons, *mislabelled]:
        parts = f.split()
        if len(parts) == 1:
            full = by_surname.get(parts[0], [])
            roots = {uf.find(x) for x in full}
            if (full and len(roots) == 1) or (full and _same_person_names(full)):
                uf.union(full[0], f)
        else:
            for other in by_surname.get(parts[-1], []):
                first_a, first_b = parts[0], other.split()[0]
                if other != f and (first_a.startswith(first_b) or first_b.startswith(first_a)):
                    uf.union(other, f)
    # 4. transliterations: only forms whose skeletons share the first letter and the number
    # of words, both nationalities or neither, and lengths close enough for the ratio, are
    # ever compared (the union's root does not depend on the order of the unions).
    union_transliterations(form_list, forms, uf)
    # 5. role descriptions -> the one person whose title shares a word with the role
    named_in: dict[str, list[EntityMention]] = defaultdict(list)  # per article, in order
    for m in named:
        named_in[m.article_id].append(m)
    person_titles: dict[str, set[str]] = defaultdict(set)
    for aid, doc in docs.items():
        doc_text = doc.text
        for m in named_in.get(aid, ()):
            if m.label == "PERSON":
                person_titles[uf.find(m.form)] |= _title_words(doc_text, m)
    role_key: dict[int, str] = {}
    for idx, m in enumerate(mentions):
        if not m.role:
            continue
        words = {ROLE_SYNONYMS.get(w, w) for w in re.findall(r"[a-z.]+", m.form)}
        if words & {"next", "future", "previous", "late", "new", "former"}:
            continue  # "the next president" is someone else
        described = _described_name(docs[m.article_id], m)
        if described is not None:
            # "Sidiki Kaba, the Senegalese justice minister": the role says who the name beside
            # it is; it is no other minister of the story (nobody, if the name is no entity).
            owner = next(
                (x for x in named_in.get(m.article_id, ()) if x.start <= described < x.end),
                None,
            )
            if owner is not None and owner.label == "PERSON":
                role_key[idx] = uf.find(owner.form)
            continue
        words -= NATIONAL | {"top", "senior", "outgoing", "former", "new", "acting", "the"}
        heads = words & TITLES
        specific = words - {"chief", "official", "head", "leader"}
        article_people = {
            uf.find(x.form) for x in named_in.get(m.article_id, ()) if x.label == "PERSON"
        }
        matches = [
            p for p in article_people if (specific & person_titles[p]) and (heads or specific)
        ]
        if len(matches) == 1:
            role_key[idx] = matches[0]
    entities: dict[str, Entity] = {}
    key_of: dict[tuple[str, int], str] = {}
    for idx, m in enumerate(mentions):
        root = role_key.get(idx) if m.role else uf.find(m.form)
        if root is None:
            continue
        ent = entities.get(root)
        if ent is None:
            ent = entities[root] = Entity(key=root, name=root, label=m.label)
        ent.mentions.append(m)
        key_of[(m.article_id, m.start)] = root
    for ent in entities.values():
        labels = Counter(m.label for m in ent.mentions if m.label != "ROLE")
        ent.label = labels.most_common(1)[0][0] if labels else "PERSON"
        ent.name = _display_name(ent)
    return sorted(entities.values(), key=lambda e: -len(e.mentions)), key_of


def _described_name(doc: Doc, mention: EntityMention) -> int | None:
    """Where the name that a role phrase stands in apposition to starts, if it does."""
    span = doc.char_span(mention.start, mention.end, alignment_mode="expand")
    if span is None or span.root.dep_ != "appos" or span.root.head.pos_ != "PROPN":
        return None
    return span.root.head.idx


def _same_person_names(full: list[str]) -> bool:
    firsts = [f.split()[0] for f in full]
    return all(a.startswith(b) or b.startswith(a) for a in firsts for b in firsts)


def _display_name(ent: Entity) -> str:
    named = [m for m in ent.mentions if not m.role]
    if not named:
        return ent.key
    counts = Counter(m.form for m in named)
    # The most frequent multi-word form reads best ("Ash Carter" over "Carter").
    multi = [f for f in counts if len(f.split()) >= 2]
    best = max(multi or counts, key=lambda f: (counts[f], len(f)))
    for m in named:
        if m.form == best:
            text = re.sub(r"^[Tt]he\s+", "", m.text)
            text = re.sub(r"['’]s$", "", text)
            if ent.label == "PERSON":
                words = text.split()
                while len(words) > 2 and words[0].lower().rstrip(".") in TITLES:
                    words.pop(0)
                text = " ".join(words)
            return text
    return best
