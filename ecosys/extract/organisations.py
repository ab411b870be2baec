"""Organisation names found by their words: type words, legal forms, known names, quoted names.

The third layer of the rules (see :mod:`ecosys.extract.rules`). A *type word*
starts a name ("Comune di X", "Fondazione X", "Università degli Studi di X"),
also in lower case where the data allows it ("l'associazione Speranza", "il
comune di Parre") and with adjectives between ("Consorzio industriale
provinciale di Sassari"); a *legal form* ends one ("X S.r.l.", "Innolabs srl",
"X APS"); a few *known names* stand alone ("Legambiente Toscana"); a quoted name
described by its kind is one ("‘Cento insieme’ associazione"). The name runs
over capitalised words, quotes and connectors, not over a line break. A kind
shared by several names gives one organisation each ("Università di Padova e di
Milano Bicocca", "Comune di Terni e Narni"). The words are the language's data
(``organisations.csv``, ``connectors.txt``).

Example
-------
>>> from ecosys.extract.documents import text_document
>>> from ecosys.extract.resources import load
>>> o = Organisations(text_document("Partecipano la Fondazione Aurora, Verdi S.r.l."), load("it"))
>>> [(m.name, m.type, m.how) for m in o.mentions()]
[('Fondazione Aurora', 'foundation', "type word 'Fondazione'"), ('Verdi S.r.l.', 'company', 'legal form')]
"""

from __future__ import annotations

from .filters import Filters
from .tokens import ARTICLES, NAME_PREPOSITIONS, NUMBER, TERRITORIAL, Mention, is_acronym, tidy

__all__ = ["Organisations"]

_NAME_LINKS = {"di", "del", "dello", "della", "dell'", "dei", "degli", "delle", "d'", "per", "la", "l'", "il", "lo",
               "le", "gli", "i", "of", "for", "the", "de"}
_SHARED_KINDS = {"municipality", "university", "health authority", "chamber of commerce"}
_OF_THE = {"del", "dello", "della", "dell'", "dei", "degli", "delle"}
_MONTHS = {"gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno", "luglio", "agosto", "settembre",
           "ottobre", "novembre", "dicembre", "lunedi", "martedi", "mercoledi", "giovedi", "venerdi", "sabato",
           "domenica"}


class Organisations(Filters):
    """The organisations a document names by their words (see the module docstring)."""

    def tail(self, j: int, limit: int = 12, after_type: bool = False, commas: bool = False, shared: bool = True,
             genitive: bool = False, owned: bool = False, listed: bool = False) -> int:
        """The end of the name that runs from token ``j`` over capitalised words, quotes and connectors.

        ``after_type``: the name goes on a type word ending at ``j``; ``commas``: it may go on after a comma
        ("Ministero dell'Istruzione, dell'Università e della Ricerca"); ``shared``: its kind may be shared by the
        next name ("Comune di Terni e Narni"), so "e" and a city end it; ``genitive``: it is an item of a list of
        names after "del", "della"... ("..., della Fondazione LINKS e della Finpiemonte Spa"), so "e della" ends it;
        ``owned``: a public body named after it ("del Ministero...") is the body it belongs to, not its name;
        ``listed``: it is a name without a type word in a list, so "e" ends it ("Ovci, Mlal e Vides").
        """
        k, good = j, j
        placed = after_type and j > 0 and self.t.keys[j - 1] in NAME_PREPOSITIONS and bool(self.city_match(j))
        while k < self.n and k - j < limit and self.same_sentence(j, k):
            w = self.t.words[k]
            if (k > j or after_type) and self.t.breaks[k] and self.t.keys[k] not in NAME_PREPOSITIONS:
                break  # a name does not run on to the next line ("...l'Università\nFirma del protocollo")
            if commas and w == "," and k > j and k + 1 < self.n and self.same_sentence(k, k + 1) \
                    and self.t.keys[k + 1] not in ("di", "d'"):
                nxt = k + 1
                if self.t.keys[nxt] in NAME_PREPOSITIONS:
                    nxt += 1
                if nxt < self.n and self.cap(nxt) and (nxt > k + 1 or not (self.starts_org(nxt) or self.city_match(nxt))):
                    k = nxt
                    continue
            if w == '"':
                close = next((m for m in range(k + 1, min(k + 12, self.n)) if self.t.words[m] == '"'), None)
                if close is None or close == k + 1 or not self.same_sentence(k, close) or (good > j and not placed):
                    break  # but "Fondazione Carispezia “Verso un welfare...”", "ASD Taranto Surf “Uniti per Vincere”":
                    # a title after a name (yet "Università degli Studi di Roma “Tor Vergata”" is one name)
                k = good = close + 1
                continue
            if len(w) == 1 and w.isalpha() and w.isupper() and k + 1 < self.n and len(self.t.words[k + 1]) == 1 \
                    and self.t.words[k + 1].isalpha() and self.t.words[k + 1].isupper():
                break  # "BANDO ANCI S U L L E POLITICHE": a heading's spaced letters
            if w.isupper() and len(w) > 1 and self.t.keys[k] in self.lang.stopwords \
                    and self.t.keys[k] not in self.lang.connectors:
                break  # "RETE TRA SCUOLE PER LO...": a heading in capitals, its function words are no name
            single = len(w) == 1 and w.isupper() and self.t.keys[k] in self.lang.connectors and k > 0 \
                and self.t.words[k - 1].isupper() and len(self.t.words[k - 1]) > 1  # "GAL E NON": "e" in capitals
            if w == "." and k > j and ("." in self.t.words[k - 1] or len(self.t.words[k - 1]) == 1) \
                    and k + 1 < self.n and self.same_sentence(k, k + 1) and self.cap(k + 1) and good == k:
                k += 1  # "ASD C.D. Dama San Giorgio": an abbreviation's full stop inside a name
                continue
            if k > j and self.cap(k) and self.org_entry(k) and self.org_entry(k)[1][0] in ("region", "municipality"):
                break  # "Autorità di Gestione Regione Sardegna": another organisation
            if not single and (self.cap(k) or (NUMBER.fullmatch(w) and len(w) <= 4 and (k > j or w.isdigit()))) \
                    and self.t.keys[k] not in _MONTHS:
                if self.t.keys[k] in ("capofila", "partner", "partners") and self.match(self.roles, k):
                    break
                if k > j and self.t.keys[k] in self.lang.first_names and k + 1 < self.n \
                        and self.cap(k + 1) and not self.starts_org(k + 1) and (placed or (
                            self.t.keys[j] not in self.lang.first_names and any(
                                self.t.keys[c] in self.lang.titles for c in range(max(0, j - 6), j)))):
                    break  # "Comune di Napoli Annamaria Palmieri": a person after a name that ends with its city;
                    # "la Presidente del Comitato ... Venezia-Rovigo Agnese Lunardelli": after a titled person's body
                if (k > j or after_type) and self.org_entry(k, ("suffix",)):
                    break  # a legal form ends the name: finish() takes it
                k = good = k + 1
                continue
            if self.t.keys[k] in self.lang.connectors:
                m = k
                while m < self.n and self.t.keys[m] in self.lang.connectors and m - k < 3:
                    m += 1
                if m < self.n and self.same_sentence(k, m) and (self.cap(m) or self.t.words[m] == '"') \
                        and self.t.keys[m] not in _MONTHS:
                    run = self.t.keys[k:m]
                    if not set(run) <= _NAME_LINKS and (self.starts_org(m) or self.match(self.roles, m)):
                        break  # "Comune di Bologna e Città Metropolitana": a second organisation
                    if owned and good > j and run[-1] in _OF_THE and self.starts_org(m) \
                            and self.org_entry(m)[1][0] in ("public body", "region"):
                        break  # "Fundación Biodiversidad del Ministero dell'Ambiente": the body it belongs to
                    if run in (["e"], ["ed"]) and self.t.words[m].isupper() and len(self.t.words[m]) > 1 \
                            and not self.t.words[k - 1].isupper():
                        break  # "Istituto Oikos e ASES": an acronym after "e" is the next organisation
                    if listed and run[0] in ("e", "ed") and len(run) == 1:
                        after = self.tail(m, limit=4)
                        if after >= self.n or not self.same_sentence(m, after) or self.t.words[after] in (",", ";", "."):
                            break  # "Fondazioni Snaitech, Milan e Costruiamo il Futuro, che...": the last item
                    if run[0] in ("e", "ed") and len(run) > 1 and (run[1] in ARTICLES or genitive and run[1] in _OF_THE):
                        break  # "l'Università di Camerino e l'Unione...": the next item of a list
                    if run[0] in ("e", "ed") and (placed or shared and self.city_match(
                            m + (run[-1] in NAME_PREPOSITIONS) - 1 if run[-1] in NAME_PREPOSITIONS else m)):
                        break  # "Comune di Terni e Narni", "Camera di Commercio di Sassari e Kontor 46": another name
                    placed = placed or (run[-1] in NAME_PREPOSITIONS and bool(self.city_match(m)))
                    if self.t.keys[m] in self.lang.programmes:
                        break
                    k = m
                    continue
            break
        return good

    def org_entry(self, i: int, positions=("prefix", "name")):
        """The type-word entry at token ``i``: (end, (type, position, needs_name, commas, lower, capitals)) or None;
        an entry marked ``capitals`` ("IS", "IC", "LS": school abbreviations) only where the text writes it so."""
        for phrase, entries in self.orgs.get(self.t.keys[i], ()):
            end = i + len(phrase)
            if len(phrase) > 1 and phrase[-1] == "." and tuple(self.t.keys[i:end - 1]) == phrase[:-1] \
                    and (end > self.n or self.t.keys[end - 1] != "."):
                end -= 1  # "A R.L" at the end of a line: a legal form without its last full stop
            elif phrase[-1] == "." and len(phrase) == 1:
                continue
            if end <= self.n and tuple(self.t.keys[i:end]) in (phrase, phrase[:-1]) and self.same_sentence(i, end - 1):
                capitals = all(w.isupper() or not w.isalpha() for w in self.t.words[i:end])
                entry = next((e for e in entries if e[1] in positions and (capitals or not e[5])), None)
                if entry:
                    return end, entry
        return None

    def starts_org(self, i: int) -> bool:
        return bool(self.cap(i) and self.org_entry(i))

    def suffix_end(self, i: int):
        """Legal forms at token ``i`` ("impresa sociale soc. coop."): their end and type, or None."""
        end, kind = i, None
        while end < self.n:
            hit = self.org_entry(end, ("suffix",))
            if not hit:
                break
            words = self.t.words[end:hit[0]]
            if len("".join(words)) <= 3 and not (words[0].isupper() or "." in "".join(words)) \
                    and not (end > 0 and self.cap(end - 1) and self.same_sentence(end - 1, end)):
                break  # "spa", "aps", "ets" in lower case are words, not legal forms (but "Innolabs srl" is one)
            end, kind = hit[0], kind or hit[1][0]
        return (end, kind) if kind else None

    def org_at(self, i: int, untyped: bool = False, municipal: bool = False) -> Mention | None:
        """The organisation named from token ``i``, or None."""
        if i >= self.n or self.t.keys[i] in _MONTHS:
            return None
        lower = not self.cap(i)
        hit = self.org_entry(i)
        if hit is None:
            legal = self.org_entry(i, ("suffix",))
            if legal and legal[0] < self.n and self.t.words[legal[0]] == '"' and self.cap(i):
                hit = (legal[0], (legal[1][0], "prefix", True, False, False, False, False))  # "Impresa Sociale “Con i bambini”"
        if lower and not (hit and hit[1][4] and hit[1][1] == "prefix"):
            return None
        if hit and i > 0 and self.same_sentence(i - 1, i) and hit[1][1] == "prefix" and (
                self.t.keys[i - 1] in self.lang.numbers or self.t.words[i - 1].isdigit()):
            return None  # "quattro Irccs dell'Emilia-Romagna", "16 Aziende": a plural kind, no name
        if hit:
            end, (kind, position, needs_name, commas, _, _, described) = hit
            if position == "name":
                stop = end
                while stop < self.n and stop - end < 3 and self.extends_known(i, stop):
                    stop += 1
                if stop == end and self.adjectives(i, end) > end and self.t.keys[self.adjectives(i, end)] \
                        in NAME_PREPOSITIONS:  # "la Caritas diocesana di Trento"
                    stop = self.tail(self.adjectives(i, end), after_type=True, limit=4)
                return self.finish(Mention(i, stop, "", kind, "known name"))
            end = self.adjectives(i, end)
            genitive = i >= 2 and self.t.keys[i - 1] in _OF_THE and self.t.words[i - 2] == ","
            owned = kind in ("foundation", "association", "company", "cooperative", "social enterprise", "consortium")
            stop = self.tail(end, after_type=True, commas=commas, shared=kind in _SHARED_KINDS, genitive=genitive,
                             owned=owned) if end < self.n and self.same_sentence(i, end) else end
            if stop == end and described:
                stop = self.described_name(end)  # "il ministero dello sviluppo economico"
            if stop == end and needs_name:
                return None
            if lower:
                name = next((k for k in range(end, stop) if self.cap(k) or self.t.words[k] == '"'), None)
                if name is None and described:
                    name = stop - 1
                if name is None or self.t.keys[name] in self.lang.places or self.match(self.regions, name) \
                        or (self.t.keys[name] in self.lang.first_names and kind in TERRITORIAL):
                    return None  # "le università italiane", "l'unione montana Alessandro Gentilucci": no name
            if stop > end and self.t.keys[end] not in self.lang.connectors and kind in TERRITORIAL \
                    and not self.cap(end) and self.t.words[end] != '"':
                return None
            if kind == "municipality" and i > 0 and self.same_sentence(i - 1, i) and self.cap(i - 1) \
                    and self.t.keys[i - 1] not in self.lang.articles and not self.city_match(end):
                return None  # "SVOLGIMENTO COMUNE DI ATTIVITÀ": "comune" the adjective, in capitals
            return self.finish(Mention(i, stop, "", kind, f"type word '{self.text(i, end)}'"))
        if not untyped:
            return None
        stop = self.tail(i, listed=True)
        if stop == i:
            return None
        return self.finish(Mention(i, stop, "", "", "capitalised name in a list"), untyped=True,
                           municipal=municipal)

    def adjectives(self, i: int, end: int) -> int:
        """The end of the type words at ``i`` with the lower-case adjectives that follow them when a name comes
        next ("Consorzio industriale provinciale di Sassari", "associazione culturale “Vecchi Giovani”"), also
        after "di" ("Consorzio di cooperative sociali Cometa", "Istituto delle scienze neurologiche di Bologna")."""
        j = end
        if self.t.keys[i] == "ente" and end == i + 1:
            return end  # "OPERA, Ente strumentale della Provincia": a description, not a name
        if j + 2 < self.n and self.t.keys[j] in NAME_PREPOSITIONS and self.t.words[j + 1].islower() \
                and self.t.keys[j + 1] not in self.lang.connectors and self.t.keys[j + 1] not in self.lang.stopwords:
            j += 1
        while j < self.n and j - end < 3 and self.same_sentence(i, j) and not self.t.breaks[j] \
                and self.t.words[j].isalpha() and self.t.words[j].islower() and len(self.t.words[j]) > 3 \
                and self.t.keys[j] not in self.lang.connectors and self.t.keys[j] not in self.lang.stopwords \
                and not self.match(self.roles, j):
            j += 1
        if j == end or j >= self.n or not self.same_sentence(i, j):
            return end
        if self.t.words[j] == '"' or (self.t.keys[j] in NAME_PREPOSITIONS and j + 1 < self.n and self.cap(j + 1)) \
                or (self.cap(j) and not self.t.breaks[j] and self.t.keys[j] not in self.lang.first_names):
            return j
        return end

    def parent_after(self, m: Mention) -> Mention | None:
        """The typed organisation an untyped name belongs to: "Assemblea legislativa della Regione Emilia Romagna",
        "Area Servizi Culturali ... della Regione Lazio" (a part of it), or None."""
        keys = self.t.keys
        inside = next((p for p in range(m.start + 1, m.end) if keys[p - 1] in NAME_PREPOSITIONS and self.org_entry(p)
                       and self.cap(p)), None)
        j = inside if inside is not None else self.adjectives(m.start, m.end) if m.end < self.n else m.end
        if inside is None:
            if j == m.end or j >= self.n or keys[j] not in NAME_PREPOSITIONS:
                return None
            j += 1
        typed = self.org_at(j) if j < self.n and self.same_sentence(m.start, j) else None
        return typed if typed is not None and typed.type else None

    def described_name(self, end: int) -> int:
        """The end of a name made of lower-case words after "del", "della"... ("ministero dello sviluppo
        economico"), or ``end`` when none follows."""
        keys, words = self.t.keys, self.t.words
        if end + 1 >= self.n or keys[end] not in NAME_PREPOSITIONS and keys[end] not in ARTICLES \
                or not self.same_sentence(end, end + 1):
            return end
        j, good = end + 1, end
        while j < self.n and j - end <= 6 and self.same_sentence(end, j) and not self.t.breaks[j] \
                and (words[j].isalpha() and words[j].islower() or keys[j] in NAME_PREPOSITIONS) \
                and not self.match(self.roles, j):
            if keys[j] not in self.lang.connectors and keys[j] not in self.lang.stopwords:
                good = j + 1
            elif keys[j] not in NAME_PREPOSITIONS and keys[j] not in ("e", "per", "la", "il", "lo", "le", "l'"):
                break
            j += 1
        return good

    def parent_ahead(self, m: Mention) -> bool:
        """Whether a unit's name ("Area Servizi Culturali, Promozione della Lettura ... della Regione Lazio") goes on
        to the organisation it is part of ("della" and a type word) before its clause ends."""
        for k in range(m.start + 1, min(m.start + 25, self.n - 1)):
            if not self.same_sentence(m.start, k) or self.t.words[k] in (";", ".", ")"):
                return False
            if self.t.keys[k] in _OF_THE and self.starts_org(k + 1):
                return True
        return False

    def extends_known(self, i: int, k: int) -> bool:
        """Whether word ``k`` continues the known name starting at ``i`` ("Confindustria Siracusa", "Auser Lombardia")."""
        w = self.t.words[k]
        if not (self.cap(k) and self.same_sentence(i, k)) or self.t.breaks[k] or w == '"' or self.starts_org(k):
            return False
        if self.t.keys[k] in self.lang.first_names or self.t.keys[k] in _MONTHS:
            return False  # "dell'Enea Federico Testa": a person follows
        place = self.city_match(k) or self.t.keys[k] in self.lang.regions
        return bool(place) or not (w.isupper() and len(w) > 1)  # "MUR INDUSTRIA 4.0": a heading, not a name

    def finish(self, m: Mention, untyped: bool = False, municipal: bool = False) -> Mention | None:
        """Extend a mention over legal forms and "(ACRONYM) di X", name it, and check it is an organisation."""
        suffix = self.suffix_end(m.end)
        if suffix:
            m.end, kind = suffix
            m.type = m.type or kind
            m.how = m.how if m.type != kind or not untyped else f"legal form '{self.text(suffix[0] - 1, suffix[0])}'"
            if untyped:
                m.how = "legal form"
                untyped = False
        words = self.t.words
        pieces = [(m.start, m.end)]
        if m.end + 2 < self.n and words[m.end] == "(" and words[m.end + 2] == ")" \
                and self.same_sentence(m.start, m.end + 2) and is_acronym(words[m.end + 1]):
            m.acronym = words[m.end + 1]
            after = m.end + 3
            if after + 1 < self.n and self.t.keys[after] in ("di", "del", "della", "dello") \
                    and self.same_sentence(m.start, after + 1) and self.cap(after + 1):
                stop = self.tail(after + 1)
                pieces.append((after, stop))
                m.end = stop
        m.name = tidy(" ".join(self.text(a, b) for a, b in pieces))
        if untyped:
            parent = self.parent_after(m)
            if parent is not None or (self.unit_word(m.start) and (m.end - m.start < 2 or self.parent_ahead(m))):
                return parent  # "l'Assemblea legislativa della Regione X", "l'Ufficio di Bruxelles dell'Agenzia"
        if not self.is_organisation(m, untyped, municipal):
            return None
        if not m.city:
            m.city = self.city_in(m)
        return m

    def city_in(self, m: Mention) -> str:
        """The municipality a name places its organisation in ("Politecnico di Milano" -> Milano)."""
        if m.type == "region":
            return ""
        for k in range(m.end - 1, m.start, -1):
            if self.t.keys[k - 1] in ("di", "del", "della", "in", "a", "'"):
                hit = self.city_match(k)
                if hit and hit[0] <= m.end:
                    return hit[1]
        return ""

    def mentions(self) -> list[Mention]:
        """Every typed mention, in order (the ones that do not overlap an earlier one)."""
        found, i = [], 0
        while i < self.n:
            m = self.org_at(i) or self.quoted_before_type(i)
            if m is None:
                suffix = self.suffix_end(i)
                if suffix and i:
                    m = self.named_before(i, suffix)
            if m is not None:
                found.append(m)
                i = m.end
                shared = self.distribute(m)
                if shared:
                    found += shared
                    i = shared[-1].end
            else:
                i += 1
        return found

    def distribute(self, m: Mention) -> list[Mention]:
        """The names that share a typed name's kind: "Università di Padova e di Milano Bicocca", "Comune di Terni e
        Narni", "università degli studi di Padova, Bologna, Pisa"."""
        keys, words = self.t.keys, self.t.words
        if m.type not in _SHARED_KINDS or m.end - m.start < 3 or keys[m.end - 2] not in NAME_PREPOSITIONS \
                and not m.city:
            return []
        head = self.text(m.start, m.end)
        place = self.text(m.end - 1, m.end) if not m.city else m.city
        cut = head.rfind(self.text(m.end - 1, m.end))
        if not m.city:
            cut = head.rfind(" ", 0, cut - 1) + 1 if cut > 0 else -1  # the last "di X" of the name
        prefix = head[:head.rfind(place)] if m.city and place in head else head[:cut] if cut > 0 else ""
        if not prefix.strip():
            return []
        out, k = [], m.end
        while k + 1 < self.n and self.same_sentence(m.start, k + 1) and (words[k] == "," or keys[k] in ("e", "ed")):
            j = k + 1
            prep = ""
            if keys[j] in NAME_PREPOSITIONS and j + 1 < self.n and self.cap(j + 1):
                prep, j = words[j], j + 1
            if not self.cap(j) or self.starts_org(j) or self.match(self.roles, j):
                break
            city = self.city_match(j)
            whole = self.tail(j)
            if any(keys[p] in NAME_PREPOSITIONS for p in range(j + 1, whole)) and not prep:
                break  # "UNIVERSITÀ DEGLI STUDI DI TRENTO E OPERA UNIVERSITARIA DI TRENTO": another organisation
            if city and m.type == "university" and self.tail(j, limit=3) > city[0]:
                end = self.tail(j, limit=3)  # "di Milano Bicocca"
                name = self.text(j, end)
            elif city:
                end, name = city[0], city[1]
            elif prep and m.type == "university" and keys[k] in ("e", "ed") and not words[j].isupper():
                end = self.tail(j, limit=3)  # "Università di Padova e di Milano Bicocca"
                name = self.text(j, end)
                if self.suffix_end(end):
                    break
            else:
                break
            start = prefix if not prep else prefix.rstrip().rsplit(" ", 1)[0] + " " + prep + ("" if prep.endswith("'") else " ")
            out.append(Mention(j, end, tidy(start + name), m.type, f"{m.how}, shared", name if city else ""))
            k = end
            if k < self.n and words[k] == "(":
                close = next((c for c in range(k, min(k + 6, self.n)) if words[c] == ")"), None)
                k = close + 1 if close is not None else k
        return out

    def quoted_before_type(self, i: int) -> Mention | None:
        """A quoted name followed by its kind: "‘Cento insieme’ associazione senza scopo di lucro"."""
        words = self.t.words
        if words[i] not in ('"', "'") or i + 1 >= self.n or not self.cap(i + 1):
            return None
        close = next((c for c in range(i + 2, min(i + 9, self.n)) if words[c] == words[i]), None)
        if close is None or not self.same_sentence(i, close):
            return None
        after = close + 1 + (close + 1 < self.n and words[close + 1] == ",")
        while after < self.n and self.t.keys[after] in ARTICLES:
            after += 1
        hit = self.org_entry(after, ("prefix", "suffix")) if after < self.n and self.same_sentence(close, after) else None
        if not hit or self.cap(after):
            return None  # the kind that describes a quoted name is lower case ("‘Cento insieme’ associazione")
        m = Mention(i + 1, close, tidy(self.text(i + 1, close)), hit[1][0], "quoted name before its kind")
        return m if self.is_organisation(m, untyped=False, municipal=False) else None

    def named_before(self, i: int, suffix) -> Mention | None:
        """The name a legal form ends ("Croce Europa Srl"), walking back over capitalised words."""
        start = i
        while start > 0 and self.same_sentence(start - 1, i) and (
                self.cap(start - 1) or (self.t.keys[start - 1] in self.lang.connectors and start - 2 >= 0
                                        and self.cap(start - 2))) and i - start < 8:
            start -= 1
        while start < i and not self.cap(start):
            start += 1
        typed = self.org_entry(start) if start < i else None
        if start == i or (typed and typed[0] >= i):
            return None  # "SOCIETA' COOPERATIVA SOCIALE A R.L": kinds and legal forms, no name
        m = Mention(start, suffix[0], "", suffix[1], "legal form")
        m.name = tidy(self.text(start, suffix[0]))
        if not self.is_organisation(m, untyped=True, municipal=False):
            return None
        m.city = self.city_in(m)
        return m
