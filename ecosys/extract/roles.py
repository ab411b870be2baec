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
>>> [(m.name, role, evidence) for m, role, rule, s, evidence in r.run()]
[('Fondazione Alfa', 'funder', 3), ('Comune di Prato', 'coordinator', 3)]
"""

from __future__ import annotations

import re

from .lists import Lists
from .resources import key
from .tokens import ARTICLES, BULLETS, NAME_PREPOSITIONS, Mention

__all__ = ["Roles"]


class Roles(Lists):
    """Every rule applied to one document, sentence by sentence (see the module docstring)."""

    def run(self) -> list[tuple[Mention, str, str, int, int]]:
        """(mention, role, rule, sentence, evidence) for every organisation given a role.

        ``evidence`` says how the role was found, so that the best-founded role of an organisation is kept: 3 a
        role phrase names it (a list after the phrase, the subject of a verb), 2 a role phrase before it in its
        sentence or a role phrase names a bare kind that stands for it ("la Regione finanzia"), 1 a word of its
        sentence ("beneficiari") or the kind of document (the results of a call), 0 nothing (partner).
        """
        typed = self.mentions()
        before = {(m.start, m.end): m.name for m in typed}
        self.fold_units(typed)
        renamed = {(m.start, m.end): (m.name, m.type, m.city) for m in typed if m.name != before[(m.start, m.end)]}
        aliases = self.alias_mentions(typed)
        known = sorted(typed + aliases, key=lambda m: m.start)
        self.references = {m.start: m for m in self.reference_mentions(typed)}
        self.ends = {m.end for m in known}
        taken = {k for m in known for k in range(m.start, m.end)}
        self.taken = taken
        self.phrases = self.role_phrases(taken)
        self.sentence_phrases: dict = {}  # the role phrases of each sentence, in order
        for k in sorted(self.phrases):
            self.sentence_phrases.setdefault(self.t.sentence[k], []).append(k)
        sides = {(role, side) for _, _, pairs in self.phrases.values() for role, side in pairs}
        self.has_lead = ("coordinator", "after") in sides or ("coordinator", "before") in sides
        found = []
        for s, (first, last) in enumerate(self.t.spans):
            found += self.sentence_rules(s, first, last, known, taken)
        # a document about a call's results (words such as "beneficiari", no lead, no partners: no organisation a
        # role phrase makes a partner, no "partner" nor "faranno parte") names its winners: what no phrase gives a
        # role to is a promoter
        members = any(phrase in self.lang.groups or ("partner", "before") in pairs
                      for _, phrase, pairs in self.phrases.values() if ("partner", "after") in pairs or
                      ("partner", "before") in pairs)
        self.call_results = not self.has_lead and any(side == "sentence" for _, side in sides) and not members \
            and not any(role == "partner" and evidence >= 2 for _, role, _, _, evidence in found)
        default = ("promoter", 1) if self.call_results else ("partner", 0)
        found = [(m, role, rule, s, evidence) if role else (m, *default[:1], rule, s, default[1])
                 for m, role, rule, s, evidence in found]
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

    def role_phrases(self, taken: set) -> dict:
        """The role phrases of the document, by their first token: ``{k: (end, phrase, pairs)}``; a phrase is not
        looked for inside a longer one nor inside an organisation's name ("GAL OPEN LEADER")."""
        out, k = {}, 0
        while k < self.n:
            hit = self.phrase_at(k) if k not in taken else None
            if hit:
                out[k] = hit
                k = hit[0]
            else:
                k += 1
        return out

    def phrase_at(self, i: int):
        """The longest role phrase at token ``i``, fillers inside it allowed ("sostenuto anche da"): (end, the
        phrase's key, its (role, side) pairs) or None."""
        keys, fillers = self.t.keys, self.lang.fillers
        for phrase, value in self.roles.get(keys[i], ()):
            j = i
            for n, word in enumerate(phrase):
                while n and j < self.n and keys[j] in fillers and keys[j] != word:
                    j += 1
                if j >= self.n or keys[j] != word or not self.same_sentence(i, j):
                    break
                j += 1
            else:
                return j, " ".join(phrase), value
        return None

    def phrase_role(self, phrase: str, role: str, first: int, k: int) -> str:
        """The role a phrase gives in its place: beneficiaries of a project with a lead are its partners, and who
        promotes a call ("il bando X promosso da Y") funds it."""
        if self.has_lead and phrase in self.lang.lead_roles:
            role = self.lang.lead_roles[phrase]
        if role in ("promoter", "partner") and self.about_call(first, k):
            role = "funder"
        return role

    def about_call(self, first: int, k: int) -> bool:
        """Whether the words right before token ``k`` name a call for proposals ("il bando nazionale promosso...")."""
        keys, words = self.t.keys, self.t.words
        j = k - 1
        while j >= first and k - j <= 12:
            if keys[j] in self.lang.call_words or (j > first and f"{keys[j - 1]} {keys[j]}" in self.lang.call_words):
                return True
            if words[j] in (",", ";", ":", ".") or keys[j] in self.lang.stopwords and keys[j] not in ARTICLES \
                    and keys[j] not in self.lang.connectors or keys[j] in self.lang.project_words:
                return False
            j -= 1
        return False

    def counted(self, k: int, first: int, last: int) -> bool:
        """Whether the role noun at ``k`` counts organisations instead of listing them ("con 2 partner e 210
        beneficiari", "con 9 partner;")."""
        keys, words = self.t.keys, self.t.words
        end, phrase, _ = self.phrases[k]
        return k > first and (keys[k - 1] in self.lang.numbers or words[k - 1].isdigit()) \
            and phrase in self.lang.groups and (end >= last or words[end] in (";", ".", ")") or keys[end] in ("e", "ed"))

    def framed(self, k: int, first: int) -> int | None:
        """The start of the words that frame the role noun at ``k`` ("nella veste di capofila", "(capofila)"), or
        None: the noun then speaks of the name before it."""
        for size in (4, 3, 2, 1):
            if k - size >= first and " ".join(self.t.keys[k - size:k]) in self.lang.role_frames:
                return k - size
        end = self.phrases[k][0] if k in self.phrases else k + 1
        if k > first and self.t.words[k - 1] == "(" and end < self.n and self.t.words[end] == ")":
            return k - 1  # "l'Associazione Progetto Musica (capofila)"
        if k - 1 > first and self.t.words[k - 1] == "-" and k - 1 in self.ends and end <= self.n and (
                end == self.n or not self.same_sentence(k, end) or self.t.words[end] in ("-", ",", ";", ".")
                or self.t.words[end] in BULLETS):
            return k - 1  # "il Comune di Cremona – ente capofila – e i soggetti...", "Comune di Cremona – Capofila •"
        return None

    def sentence_rules(self, s, first, last, known, taken):
        keys, words = self.t.keys, self.t.words
        out = []
        inside = [m for m in known if first <= m.start < last]
        municipal = any(keys[k] in ("comuni", "comune") for k in range(first, last))
        early, _ = self.plural_lists(first, last, taken)  # "tre comuni – Saint-Vincent, come ente capofila, ..."
        if municipal:
            early += self.municipality_list(first, last, taken)
        subjects = sorted(inside + early + [m for k, m in self.references.items() if first <= k < last],
                          key=lambda m: m.start)
        listed = set()
        # role phrases with the names after them; a phrase ending its line continues on the next lines
        previous = None  # the role of the last role phrase with names after it
        for k in self.sentence_phrases.get(s, []):
            end, phrase, pairs = self.phrases[k]
            if self.counted(k, first, last):
                continue  # "con 2 partner e 210 beneficiari": a number of partners, not a list of them
            frame = self.framed(k, first)
            predicate = frame is not None and (words[frame] in ("(", "-") or (  # the role of the name before only:
                frame > first + 1 and words[frame - 1] == "," and keys[frame - 2] not in ("e", "ed") and end < last
                and words[end] == "," and any(m.end == frame - 1 for m in subjects)))
            # "Saint-Vincent, come ente capofila, ..." (but "e, come partner associati, X" and "coinvolti anche, come
            # partner locali, il Comune dell'Aquila": no name before the comma, the names follow)
            if end < last and keys[end] in NAME_PREPOSITIONS and all(side == "after" for _, side in pairs) \
                    and all(role in ("coordinator", "partner") for role, _ in pairs):
                # "i sette atenei partner dell'Alleanza...", "il Comune è lead applicant di Compete in": what follows
                # is what they lead or take part in; after "è" the subject is the one
                if k > first and keys[k - 1] in ("e", "sono"):
                    frame, predicate = k, True
                else:
                    verb = next((c for c in range(end, min(end + 8, last)) if words[c].lower() in ("è", "sono")
                                 or words[c] in (",", ";", ":")), None)
                    if verb is None or words[verb] in (",", ";", ":") or any(
                            keys[c] in ("che", "cui", "non") for c in range(end, verb)):
                        continue
                    end = verb + 1  # "Capofila del progetto “Le trame del mondo” è l'associazione La Strada"
            for role, side in pairs:
                role = self.phrase_role(phrase, role, first, k)
                if side in ("after", "list"):
                    if side == "list":
                        role = previous or role
                    elif frame is None:
                        previous = role
                    label = (end < last and words[end] == ":") or words[end - 1] == ":"
                    items = [] if predicate else self.parse_list(end, municipal=municipal or "comun" in phrase,
                                                                 label=label)
                    if not items:
                        items = [m for m in [self.role_only_at(end), self.reference_at(end)] if m and not predicate][:1]
                    if not items and not predicate and (end >= last or (words[end] == ":" and end + 1 >= last)):
                        items = self.following_lines(s, municipal)
                    if not items and frame is not None:
                        subject = self.subject(first, frame, subjects, nearest=True)
                        if subject is not None:  # "il Parco X, nella veste di beneficiario coordinatore"
                            listed.add((subject.start, subject.end))
                            out.append((subject, role, f"before '{self.text(frame, end)}'", s,
                                        2 if subject.how.startswith("reference") else 3))
                    for m in items:
                        if id(m) not in listed and (m.start, m.end) not in listed:
                            listed.add((m.start, m.end))
                            out.append((self.resolve(m, known), m.role or role, f"list after '{self.text(k, end)}'",
                                        s, 2 if m.how.startswith("reference") else 3))
                elif side == "before":
                    at = frame if frame is not None else k
                    subject = self.subject(first, at, subjects) or self.named_subject(first, at) \
                        or (self.role_only_before(first, at) if role == "funder" else None)
                    relative = k > first and keys[k - 1] == "che"
                    if subject is None and k == first:  # "Capofila del progetto “Le trame del mondo” è X"
                        verb = next((c for c in range(end, min(end + 10, last)) if words[c].lower() in ("è", "sono")
                                     or words[c] in (",", ";", ":") or keys[c] in ("che", "cui")), None)
                        items = self.parse_list(verb + 1) if verb is not None and words[verb].lower() in (
                            "è", "sono") else []
                        for m in items[:1] if items and words[verb].lower() == "è" else items:  # "è": one name
                            if (m.start, m.end) not in listed:
                                listed.add((m.start, m.end))
                                out.append((self.resolve(m, known), role, f"after '{self.text(k, end)} ... {words[verb]}'", s, 3))
                    for m in [subject] + self.coordinated(subject, at) if subject is not None else []:
                        # a relative clause ("X, che promuove progetti...") often describes X
                        listed.add((m.start, m.end))
                        out.append((m, role, f"subject of '{self.text(k, end)}'", s,
                                    2 if m.how.startswith("reference") or relative or not m.type else 3))
        # parenthesised lists after a plural noun: "gli enti di rappresentanza (A, B, C)", "4 Gal siciliani (Madonie,
        # Sicani e Natiblei)", "un partenariato nazionale (SO.SVI.MA. Spa, I.Di.Med., ...)"
        for k in range(first + 1, last):
            kind = self.kind_before(k, first) if words[k] == "(" else None
            # "partner provenienti da Francia (Bellidée), Spagna (Illipula)": a name after its country
            country = kind is None and words[k] == "(" and self.cap(k - 1) and keys[k - 1] in self.lang.places \
                and any(keys[c] in self.lang.groups for c in range(first, k))
            if kind is not None or country:
                close = next((c for c in range(k, min(k + 80, last)) if words[c] == ")"), None)
                items = self.bracket_items(k + 1, close, kind or "", single=country) if close is not None else []
                if items:
                    role, evidence = self.sentence_role(first, k)
                    for m in items:
                        if (m.start, m.end) not in listed:
                            listed.add((m.start, m.end))
                            out.append((self.resolve(m, known), role, "parenthesised list after a plural noun", s,
                                        evidence))
        # a plural kind and its list: "i Comuni di A, B e C", "Regioni Lazio e Lombardia", "atenei (Udine, ...)"
        plural, places = self.plural_lists(first, last, taken)
        for m in plural:
            if (m.start, m.end) not in listed:
                listed.add((m.start, m.end))
                role, evidence = ("coordinator", 2) if m.project else self.sentence_role(first, m.start)
                out.append((m, role, "list after a plural kind", s, evidence))
        # bare municipality names in a sentence about Comuni
        if municipal:
            fresh = [m for m in self.municipality_list(first, last, taken | places) if (m.start, m.end) not in listed]
            role, evidence = self.sentence_role(first, fresh[0].start) if fresh else ("partner", 0)
            for m in fresh:
                out.append((m, "coordinator" if m.project else role, "municipality named in a list of Comuni", s,
                            2 if m.project else evidence))
        # a list after a group noun and a colon or "sono": "12 associazioni di volontariato: A, B, C"
        for m, how in self.group_lists(first, last):
            if (m.start, m.end) not in listed:
                listed.add((m.start, m.end))
                out.append((self.resolve(m, known), *self.sentence_role(first, m.start, how, s)))
        # the parties of an agreement: "Bottega Solidale, con sede legale a Brescia, rappresentata da..."
        for m in self.parties(first, last):
            spans = [span for span in listed if isinstance(span, tuple)]
            if not any(a < m.end and m.start < b for a, b in spans):
                listed.add((m.start, m.end))
                line_end = next((c for c in range(m.end, last) if self.t.breaks[c]), last)
                if any(keys[c] == "capofila" for c in range(m.end, line_end)):
                    out.append((self.resolve(m, known), "coordinator", "party to an agreement", s, 3))
                else:
                    out.append((self.resolve(m, known), *self.sentence_role(first, m.start, "party to an agreement", s)))
        # a line of a bulleted list that starts with a municipality: "- Chianciano Terme (SI): 3,9 milioni"
        if self.municipal_text and words[first] in BULLETS and first + 1 < last:
            city = self.city_match(first + 1)
            if city and city[0] < last and words[city[0]] in ("(", ":") and (first + 1, city[0]) not in listed:
                m = Mention(first + 1, city[0], f"Comune di {city[1]}", "municipality", "municipality name", city[1])
                listed.add((m.start, m.end))
                out.append((m, *self.sentence_role(first, m.start, "municipality starting a list line", s)))
        # every other organisation the sentence names, unless its words say it is only background, or it is named
        # only in a heading in capitals ("CONVENZIONE OPERATIVA MUR INDUSTRIA 4.0": a title, not a participant)
        spans = [span for span in listed if isinstance(span, tuple)]
        heading = sum(w.isalpha() for w in words[first:last]) >= 3 and all(
            w.isupper() for w in words[first:last] if w.isalpha() and len(w) > 1)
        for m in inside:
            if any(a <= m.start and m.end <= b for a, b in spans) or self.background(m, first):
                continue
            if words[m.start - 1] == "(" and any(b == m.start - 1 for a, b in spans) and m.end < last \
                    and words[m.end] == ")":
                continue  # "il CSV Sodalis (Centro servizi per il volontariato)": the name listed, spelled out
            if keys[m.start - 1] in NAME_PREPOSITIONS and keys[m.start - 1] not in ("di", "d'") \
                    and any(b == m.start - 1 for a, b in spans):
                continue  # "Fundación Biodiversidad del Ministero dell'Ambiente": the body a listed name belongs to
            if heading and not any(o is not m and (key(m.name) in key(o.name) or key(o.name) in key(m.name))
                                   for o in known):
                continue
            listed.add((m.start, m.end))
            out.append((m, *self.sentence_role(first, m.start, "named in the text", s)))
        # names without a type word listed among organisations: "Università di Padova, Promocamera, l'Azienda..."
        members = sorted([o[0] for o in out if o[0].type and not o[0].project and self.t.sentence[o[0].start] == s
                          and not o[0].how.startswith("reference")], key=lambda m: m.start)
        for m in self.siblings(members, first, last):
            spans = [span for span in listed if isinstance(span, tuple)]
            if not any(a < m.end and m.start < b for a, b in spans):
                listed.add((m.start, m.end))
                out.append((m, *self.sentence_role(first, m.start, "listed among organisations", s)))
        # an acronym alone as the subject of its clause: "MAG, capofila del WP5, ha illustrato", "EVM ha guidato"
        for k in range(first, last):
            w = words[k]
            if not (3 <= len(w) <= 8 and w.isupper() and w.isalpha()) or k in taken \
                    or any(a <= k < b for a, b in (span for span in listed if isinstance(span, tuple))):
                continue
            acted = self.acronym_subject(k, first, last)
            if acted is not None:
                m, role = acted
                listed.add((m.start, m.end))
                if role:
                    out.append((m, role, "an acronym before a role phrase", s, 3))
                else:
                    out.append((m, *self.sentence_role(first, k, "an acronym as the subject of a verb", s)))
        return out

    def acronym_subject(self, k: int, first: int, last: int) -> tuple[Mention, str] | None:
        """An acronym alone at the start of a clause ("MAG, capofila del WP5, ...", "di cui LKL è coordinatore",
        "EVM ha guidato"): the mention and the role a role phrase right after it gives ("" for a verb), or None.
        Not a known programme, a generic word, an EU body or a word of a heading in capitals."""
        words, keys = self.t.words, self.t.keys
        w = words[k]
        if not (w.isalpha() and w.isupper() and 3 <= len(w) <= 8) or keys[k] in self.lang.programmes \
                or keys[k] in self.lang.generic or keys[k] in self.lang.role_only or keys[k] in self.lang.stopwords:
            return None
        if sum(x.isalpha() and x.isupper() and len(x) > 1 for x in words[first:last]) > (last - first) / 2:
            return None  # a heading in capitals
        lead = k - 1
        while lead >= first and keys[lead] in ARTICLES:
            lead -= 1
        if not (lead < first or words[lead] in (";", ":") or keys[lead] == "cui" or self.t.breaks[lead + 1]):
            return None
        j = k + 1 + (k + 1 < last and words[k + 1] == ",")
        if j < last and words[j].lower() in ("è", "sarà", "era", "risulta"):  # "è", not the "e" of a list
            j += 1
            while j < last and keys[j] in ARTICLES:
                j += 1
        m = Mention(k, k + 1, w, "", "an acronym alone")
        if j in self.phrases:
            end, phrase, pairs = self.phrases[j]
            roles = [r for r, side in pairs if side == "after"] or [r for r, _ in pairs]
            if roles and (end >= last or keys[end] in NAME_PREPOSITIONS or words[end] in (",", ".")):
                return m, roles[0]
        if j == k + 1 and j + 1 < last and keys[j] in ("ha", "hanno") and re.search(r"(at|it|ut)[oaie]$", keys[j + 1]):
            return m, ""
        return None

    def role_only_at(self, j: int) -> Mention | None:
        """A name such as "Commissione europea" right after a role phrase ("finanziato dalla Commissione europea")."""
        while j < self.n and self.t.keys[j] in self.lang.articles:
            j += 1
        for size in (4, 3, 2, 1):
            if j + size <= self.n and self.cap(j) and " ".join(self.t.keys[j:j + size]) in self.lang.role_only:
                return Mention(j, j + size, self.text(j, j + size), "public body", "named after a role phrase")
        return None

    def role_only_before(self, first: int, at: int) -> Mention | None:
        """A name such as "Commissione europea" right before a funder's role phrase whose subject it is ("La
        Commissione Europea ha selezionato i 17 consorzi"; but "L'Unione europea promuove la cooperazione" is
        context)."""
        for j in range(max(first, at - 5), at):
            m = self.role_only_at(j)
            if m is not None and m.end == at:
                return Mention(m.start, m.end, m.name, m.type, "named before a role phrase")
        return None

    def reference_at(self, j: int) -> Mention | None:
        """A bare kind that names the document's one organisation of its type ("finanziato dalla Regione")."""
        while j < self.n and self.t.keys[j] in self.lang.articles:
            j += 1
        return self.references.get(j)

    def resolve(self, m: Mention, known: list[Mention]) -> Mention:
        """A listed name that is a known organisation's alias or acronym takes its full name."""
        for other in known:
            if other.start <= m.start and m.end <= other.end and other.how.startswith("another name"):
                return Mention(m.start, m.end, other.name, other.type, other.how, other.city, m.project)
        return m

    def subject(self, first: int, at: int, inside: list[Mention], nearest: bool = False) -> Mention | None:
        """The organisation a phrase like "è capofila" speaks of: the sentence's subject, or the name just before
        (a remark in brackets between them left out: "la Federazione ... (Federparchi) capofila del progetto")."""
        first = max([first] + [c + 1 for c in range(first, at) if self.t.words[c] == ";"])  # the clause's subject
        before = [m for m in inside if first <= m.start and m.end <= at]
        if not before:
            return None
        lead = first
        while lead < before[0].start and (self.t.words[lead].isupper() or self.t.words[lead] in ("-", ",", ".")
                                          or self.t.keys[lead] in ARTICLES):
            lead += 1  # "FIRENZE – La Regione Toscana finanzia": a dateline before the subject
        if before[0].start - lead <= 2 and not (nearest and at - before[-1].end <= 3):
            return before[0]  # but "..., che vede il Comune di Santena come capofila": the name right before a frame
        last = before[-1]
        owned = [m for m in before if m.end == last.start - 1]
        if owned and self.t.keys[last.start - 1] in NAME_PREPOSITIONS and self.t.keys[last.start - 1] not in ("di", "d'"):
            last = owned[-1]  # "Fundación X del Ministero Y, che promuove": the relative clause speaks of X
        gap = before[-1].end
        if gap < at and self.t.words[gap] == "(":
            close = next((c for c in range(gap, min(gap + 12, at)) if self.t.words[c] == ")"), None)
            gap = close + 1 if close is not None else gap
        return last if at - gap <= 3 else None

    def named_subject(self, first: int, at: int) -> Mention | None:
        """A name without a type word right before a verb ("la romagnola Delta 2000 partecipa a..."), or None."""
        start = at
        while start > first and (self.cap(start - 1) or self.t.words[start - 1].isdigit()) and at - start < 5:
            start -= 1
        if start == at or (start > first and self.t.keys[start - 1] in NAME_PREPOSITIONS):
            return None
        m = self.org_at(start, untyped=True)
        return m if m is not None and m.end == at else None

    def coordinated(self, subject: Mention, at: int) -> list[Mention]:
        """Names without a type word joined to a subject by "e" before its verb ("Città metropolitana di Bologna e
        Ervet sono coinvolti")."""
        k = subject.end
        if k + 1 < at and self.t.keys[k] in ("e", "ed"):
            m = self.org_at(k + 1, untyped=True)
            if m is not None and m.end == at and not m.type:
                return [m]
        return []

    def sentence_role(self, first: int, at: int, *rule) -> tuple:
        """The role of an organisation at token ``at`` and how well founded it is (see :meth:`run`): the role the
        last role phrase before it gives (2), else the role a word of the whole sentence gives to the organisations
        it lists ("progetti ammessi", "Comuni beneficiari": promoter) (1), else "" (0: :meth:`run` makes it
        promoter in a document about a call's results, else partner). With ``rule`` and a sentence index after it,
        (role, rule, sentence, evidence)."""
        role, whole = None, None
        last = self.t.spans[self.t.sentence[first]][1] if first < self.n else first
        for k in self.sentence_phrases.get(self.t.sentence[first], []) if first < self.n else []:
            end, phrase, pairs = self.phrases[k]
            for r, side in pairs:
                r = self.phrase_role(phrase, r, first, k)
                if k < at and side == "after" and self.framed(k, first) is None and not self.counted(k, first, last):
                    role = r
                if side == "sentence" and k < at:
                    whole = whole or r
        found = (role, 2) if role else (whole, 1) if whole else ("", 0)  # "": decided for the whole document in run()
        return (found[0], *rule, found[1]) if rule else found
