"""Who takes part and in which role: every rule applied sentence by sentence.

The last layer of the rules (see :mod:`ecosys.extract.rules`). Every
organisation a sentence names is proposed, with the role of the nearest *role
phrase* before it ("in partenariato con", "finanziato da", "capofila:") or of a
verb after its subject ("X finanzia"), else the role a word of the whole sentence
gives ("beneficiari", "ammessi"), else partner; unless it is background
(:mod:`ecosys.extract.filters`). The role phrases are the language's data
(``roles.csv``, ``role_only.txt``).

Example
-------
>>> from ecosys.extract.documents import text_document
>>> from ecosys.extract.resources import load
>>> r = Roles(text_document("Il progetto Orti, finanziato dalla Fondazione Alfa, è coordinato dal Comune di Prato."), load("it"))
>>> [(m.name, role) for m, role, rule, s in r.run()]
[('Fondazione Alfa', 'funder'), ('Comune di Prato', 'coordinator')]
"""

from __future__ import annotations

from .lists import Lists
from .resources import key
from .tokens import ARTICLES, BULLETS, NAME_PREPOSITIONS, Mention

__all__ = ["Roles"]


class Roles(Lists):
    """Every rule applied to one document, sentence by sentence (see the module docstring)."""

    def run(self) -> list[tuple[Mention, str, str, int]]:
        """(mention, role, rule, sentence) for every organisation given a role."""
        typed = self.mentions()
        before = {(m.start, m.end): m.name for m in typed}
        self.fold_units(typed)
        renamed = {(m.start, m.end): (m.name, m.type, m.city) for m in typed if m.name != before[(m.start, m.end)]}
        aliases = self.alias_mentions(typed)
        known = sorted(typed + aliases, key=lambda m: m.start)
        self.ends = {m.end for m in known}
        taken = {k for m in known for k in range(m.start, m.end)}
        found = []
        for s, (first, last) in enumerate(self.t.spans):
            found += self.sentence_rules(s, first, last, known, taken)
        every = {}
        for m in known + [f[0] for f in found]:
            every.setdefault((m.start, m.end), []).append(m)
        spans = sorted(every)
        for span, (name, kind, city) in renamed.items():
            for m in every.get(span, []):
                m.name, m.type, m.city = name, kind, city
        self.fold_units([every[span][0] for span in spans], same=every)
        self.expand_acronyms([m for span in spans for m in every[span]], known)
        return found

    def sentence_rules(self, s, first, last, known, taken):
        keys, words = self.t.keys, self.t.words
        out = []
        inside = [m for m in known if first <= m.start < last]
        municipal = any(keys[k] in ("comuni", "comune") for k in range(first, last))
        listed = set()
        # role phrases with the names after them; a phrase ending its line continues on the next lines
        k = first
        while k < last:
            hit = self.match(self.roles, k)
            if not hit:
                k += 1
                continue
            end, pairs = hit
            phrase = self.text(k, end)
            if keys[k] in ("partner", "partners", "capofila") and end == k + 1 and end < last \
                    and keys[end] in NAME_PREPOSITIONS:
                k = end  # "i sette atenei partner dell'Alleanza...": the alliance is what they are partners of
                continue
            for role, side in pairs:
                if side == "after":
                    start = end
                    label = (end < last and words[end] == ":") or words[end - 1] == ":"
                    items = self.parse_list(start, municipal=municipal or "comun" in key(phrase), label=label)
                    if not items:
                        items = [m for m in [self.role_only_at(start)] if m]
                    if not items and (end >= last or (words[end] == ":" and end + 1 >= last)):
                        items = self.following_lines(s, municipal)
                    for m in items:
                        if id(m) not in listed and (m.start, m.end) not in listed:
                            listed.add((m.start, m.end))
                            out.append((self.resolve(m, known), role, f"list after '{phrase}'", s))
                elif side == "before":
                    subject = self.subject(first, k, inside)
                    if subject is not None:
                        listed.add((subject.start, subject.end))
                        out.append((subject, role, f"subject of '{phrase}'", s))
            k = end
        # a field of a project sheet: "Soggetto attuatore" alone on its line, the name on the next
        # parenthesised lists after a plural noun: "gli enti di rappresentanza (A, B, C)"
        for k in range(first + 1, last):
            if words[k] == "(" and keys[k - 1] in self.lang.groups:
                items = self.parse_list(k + 1)
                close = next((c for c in range(k, last) if words[c] == ")"), None)
                if len(items) >= 2 and close is not None and items[-1].end == close:
                    role = self.sentence_role(first, k) or "partner"
                    for m in items:
                        if (m.start, m.end) not in listed:
                            listed.add((m.start, m.end))
                            out.append((self.resolve(m, known), role, "parenthesised list after a plural noun", s))
        # a plural kind and its list: "i Comuni di A, B e C", "Regioni Lazio e Lombardia", "atenei (Udine, ...)"
        plural, places = self.plural_lists(first, last, taken)
        for m in plural:
            if (m.start, m.end) not in listed:
                listed.add((m.start, m.end))
                out.append((m, "coordinator" if m.project else (self.sentence_role(first, m.start) or "partner"),
                            "list after a plural kind", s))
        # bare municipality names in a sentence about Comuni
        if municipal:
            fresh = [m for m in self.municipality_list(first, last, taken | places) if (m.start, m.end) not in listed]
            role = self.sentence_role(first, fresh[0].start) if fresh else None
            for m in fresh:
                out.append((m, "coordinator" if m.project else (role or "partner"),
                            "municipality named in a list of Comuni", s))
        # a list after a group noun and a colon or "sono": "12 associazioni di volontariato: A, B, C"
        for m, how in self.group_lists(first, last):
            if (m.start, m.end) not in listed:
                listed.add((m.start, m.end))
                out.append((self.resolve(m, known), self.sentence_role(first, m.start) or "partner", how, s))
        # the parties of an agreement: "Bottega Solidale, con sede legale a Brescia, rappresentata da..."
        for m in self.parties(first, last):
            spans = [span for span in listed if isinstance(span, tuple)]
            if not any(a < m.end and m.start < b for a, b in spans):
                listed.add((m.start, m.end))
                line_end = next((c for c in range(m.end, last) if self.t.breaks[c]), last)
                role = "coordinator" if any(keys[c] == "capofila" for c in range(m.end, line_end)) \
                    else (self.sentence_role(first, m.start) or "partner")
                out.append((self.resolve(m, known), role, "party to an agreement", s))
        # a line of a bulleted list that starts with a municipality: "- Chianciano Terme (SI): 3,9 milioni"
        if self.municipal_text and words[first] in BULLETS and first + 1 < last:
            city = self.city_match(first + 1)
            if city and city[0] < last and words[city[0]] in ("(", ":") and (first + 1, city[0]) not in listed:
                m = Mention(first + 1, city[0], f"Comune di {city[1]}", "municipality", "municipality name", city[1])
                listed.add((m.start, m.end))
                out.append((m, self.sentence_role(first, m.start) or "partner", "municipality starting a list line", s))
        # every other organisation the sentence names, unless its words say it is only background
        spans = [span for span in listed if isinstance(span, tuple)]
        named = []
        for m in inside:
            if any(a <= m.start and m.end <= b for a, b in spans) or self.background(m, first):
                continue
            listed.add((m.start, m.end))
            named.append(m)
            out.append((m, self.sentence_role(first, m.start) or "partner", "named in the text", s))
        # names without a type word listed among organisations: "Università di Padova, Promocamera, l'Azienda..."
        members = sorted([o[0] for o in out if o[0].type and not o[0].project and self.t.sentence[o[0].start] == s],
                         key=lambda m: m.start)
        for m in self.siblings(members, first, last):
            spans = [span for span in listed if isinstance(span, tuple)]
            if not any(a < m.end and m.start < b for a, b in spans):
                listed.add((m.start, m.end))
                out.append((m, self.sentence_role(first, m.start) or "partner", "listed among organisations", s))
        return out

    def role_only_at(self, j: int) -> Mention | None:
        """A name such as "Commissione europea" right after a role phrase ("finanziato dalla Commissione europea")."""
        while j < self.n and self.t.keys[j] in self.lang.articles:
            j += 1
        for size in (4, 3, 2, 1):
            if j + size <= self.n and self.cap(j) and " ".join(self.t.keys[j:j + size]) in self.lang.role_only:
                return Mention(j, j + size, self.text(j, j + size), "public body", "named after a role phrase")
        return None

    def resolve(self, m: Mention, known: list[Mention]) -> Mention:
        """A listed name that is a known organisation's alias or acronym takes its full name."""
        for other in known:
            if other.start <= m.start and m.end <= other.end and other.how.startswith("another name"):
                return Mention(m.start, m.end, other.name, other.type, other.how, other.city, m.project)
        return m

    def subject(self, first: int, at: int, inside: list[Mention]) -> Mention | None:
        """The organisation a phrase like "è capofila" speaks of: the sentence's subject, or the name just before."""
        before = [m for m in inside if m.end <= at]
        if not before:
            return None
        lead = first
        while lead < before[0].start and (self.t.words[lead].isupper() or self.t.words[lead] in ("-", ",", ".")
                                          or self.t.keys[lead] in ARTICLES):
            lead += 1  # "FIRENZE – La Regione Toscana finanzia": a dateline before the subject
        if before[0].start - lead <= 2:
            return before[0]
        last = before[-1]
        return last if at - last.end <= 3 else None

    def sentence_role(self, first: int, at: int) -> str | None:
        """The role the last role phrase before ``at`` gives, else the role a word of the whole sentence gives to
        the organisations it lists ("progetti ammessi", "Comuni beneficiari": promoter)."""
        role, whole = None, None
        last = self.t.spans[self.t.sentence[first]][1] if first < self.n else first
        for k in range(first, last):
            hit = self.match(self.roles, k)
            if hit:
                if k < at:
                    role = next((r for r, side in hit[1] if side == "after"), role)
                whole = whole or next((r for r, side in hit[1] if side == "sentence"), None)
        return role or whole
