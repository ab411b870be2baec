"""Names listed: after a role phrase or a label, after a group noun, among organisations, parties to an agreement.

The seventh layer of the rules (see :mod:`ecosys.extract.rules`). A name
without a type word is an organisation where its place says so: an item of a
list after a role phrase ("in partenariato con A, B e C"), of a labelled list
("Partner: A, B"; each item runs to the next comma), of a list after a group
noun and a colon ("12 associazioni di volontariato: A, B, C") or in parentheses
("gli enti (A, B, C)"), an item among typed organisations of one list ("...,
Promocamera, l'Azienda speciale..."), the lines after a label that ends its line,
and the party of an agreement ("Bottega Solidale, con sede in Brescia,
rappresentata da..."; the line after a lone "TRA" or "E").

Example
-------
>>> from ecosys.extract.documents import text_document
>>> from ecosys.extract.resources import load
>>> li = Lists(text_document("Partner: Alfa Beta, Gamma, il Comune di Prato."), load("it"))
>>> [m.name for m in li.parse_list(1, label=True)]
['Alfa Beta', 'Gamma', 'Comune di Prato']
"""

from __future__ import annotations

from .plurals import Plurals
from .resources import key
from .tokens import ARTICLES, BULLETS, NAME_PREPOSITIONS, NUMBER, TERRITORIAL, Mention, tidy

__all__ = ["Lists"]


class Lists(Plurals):
    """The rules that read lists and the parties of agreements (see the module docstring)."""

    def parse_list(self, j: int, municipal: bool = False, label: bool = False) -> list[Mention]:
        """The organisations listed from token ``j`` ("A, B e C"; "il Comune di X, l'Università...").

        After a label ("Partner: A, B") each item runs to the next comma, whatever its words.
        """
        items, k = [], j
        words, keys = self.t.words, self.t.keys
        while k < self.n and words[k] in (":", " ", ","):
            k += 1
        if k < self.n and words[k] == "(":  # "(nome ed eventuale ragione sociale)": a remark, not a name
            close = next((c for c in range(k, min(k + 15, self.n)) if words[c] == ")"), None)
            if close is not None and not any(self.cap(c) for c in range(k + 1, close)):
                k = close + 1
        adj = k
        while adj < self.n and adj - k < 2 and words[adj].isalpha() and words[adj].islower() \
                and keys[adj] not in self.lang.stopwords:
            adj += 1
        if k < adj < self.n and words[adj] == ",":
            k = adj + 1  # "come partner locali, il Comune dell'Aquila": the role noun's adjective, then the names
        if label:
            return self.label_items(k, municipal)
        if k < self.n and self.t.keys[k] in ("e", "ed"):
            return []  # "le associazioni vincitrici e l'Ente comunale": a list does not start with "e"
        k = self.after_group(k)
        colon = next((c for c in range(k, min(k + 8, self.n)) if words[c] == ":"), None)
        if colon is not None and colon > k and self.same_sentence(k, colon) and all(
                words[c].isalpha() and words[c].islower() and (self.t.keys[c] not in self.lang.stopwords or self.t.keys[c]
                                                               in self.lang.connectors) for c in range(k, colon)):
            k = colon + 1  # "soggetti attuatori coordinati a livello nazionale: a Confindustria, ..."
        joined = ""  # "promossa dalla Fondazione Perugia con Upskill 4.0": what follows "con" is a partner
        while k < self.n:
            while k < self.n and (keys[k] in self.lang.articles or words[k] in (":", '"') or words[k] in BULLETS
                                  or (words[k].isdigit() and k + 1 < self.n and words[k + 1] in ").")):
                k += 1 + (words[k].isdigit())
            if k >= self.n or (items and k in self.phrases):
                break  # "..., partner UniCredit e Joule": the names after another role phrase are its own
            plural = self.plural_at(k, self.t.spans[self.t.sentence[k]][1])
            if plural:
                items += plural  # "fra i quali Unioncamere, Regioni Lazio e Lombardia e il Ministero..."
                k = plural[-1].end
                if k < self.n and (words[k] in (",", ";") or keys[k] in ("e", "ed")):
                    k += 1
                    continue
                break
            m = self.org_at(k, untyped=True, municipal=municipal)
            if m is None:
                skip = self.generic_item(k)
                if skip is None:
                    break
                k = skip  # "tra amministrazione comunale, Alfa Liguria...": a kind with no name, the list goes on
                if k < self.n and (words[k] in (",", ";") or keys[k] in ("e", "ed")):
                    k += 1
                    continue
                break
            if not m.type and m.end < self.n and words[m.end] == ":" and self.same_sentence(m.start, m.end):
                break  # "Abil-mente: presentato da ...": a heading or a field's label, not a name
            m.role = m.role or joined
            if items and not m.type and _expands(items[-1], m, self):
                k = m.end  # "Associazione ReTer, Reti e Territorio": the name spelled out
            else:
                items.append(m)
                k = m.end
                shared = self.distribute(m)
                if shared:
                    items += shared
                    k = shared[-1].end
            if municipal and m.type == "municipality" and k < self.n and keys[k] == "con":
                k = self.item_project(m, k + 1)
            if k < self.n and words[k] == "(":
                close = next((c for c in range(k, min(k + 15, self.n)) if words[c] == ")"), None)
                if close is None:
                    break
                inner = self.parse_list(k + 1)
                if len(inner) > 1 and (inner[-1].end == close) and not all(m.type in TERRITORIAL for m in inner):
                    items += inner  # but "il CSV Sodalis (Centro servizi per il volontariato)": one name spelled out
                k = close + 1
            while k + 1 < self.n and words[k] == "-" and self.unit_word(k + 1) and self.same_sentence(k, k + 1):
                k = self.tail(k + 1)  # "Consiglio Nazionale delle Ricerche - Istituto per la BioEconomia": its unit
            if m.type in ("university", "school") and k < self.n and self.cap(k):
                j = k
                while j < self.n and j - k < 3 and self.cap(j) and self.same_sentence(k, j):
                    j += 1
                if j + 1 < self.n and words[j] in (",", ";") and (self.cap(j + 1) or keys[j + 1] in ARTICLES):
                    m.end, m.name, k = j, tidy(self.text(m.start, j)), j  # "Università di Urbino Carlo Bo, ...":
                    # a university or school named after a person, in a list that goes on
            described = self.after_description(k)
            if described is not None:
                k = described  # "Triton Research, specializzata in ..., Fundación Biodiversidad ... e Lipu"
                continue
            if k < self.n and (words[k] in (",", ";", "/") or keys[k] in ("e", "ed", "nonche", "oppure")):
                k += 1
                if k < self.n and keys[k] in ("e", "ed"):
                    k += 1
                continue
            if k in self.phrases and keys[k] in ("insieme", "assieme") and self.phrases[k][0] < self.n \
                    and self.same_sentence(k, self.phrases[k][0]):
                k = self.phrases[k][0]  # "promosse da Unioncamere assieme al ministero...": promoters both
                continue
            if k + 1 < self.n and keys[k] in ("con", "insieme") and self.same_sentence(k, k + 1) \
                    and (self.cap(k + 1) or (keys[k + 1] in ARTICLES and k + 2 < self.n and self.cap(k + 2))):
                k += 1  # "promossa dalla Fondazione Perugia con Upskill 4.0"
                joined = "partner"
                continue
            if k < self.n and self.t.breaks[k] == 1 and words[k - 1] != ".":
                continue  # one name a line
            break
        return items

    def after_group(self, k: int) -> int:
        """The first name after a group noun that heads a list ("composta dalle 4 cooperative sociali Gruppo
        L'Incontro, ..."), or ``k`` when no group noun heads it."""
        keys, words = self.t.keys, self.t.words
        j = k
        while j < self.n and (keys[j] in ARTICLES or keys[j] in self.lang.numbers or words[j].isdigit()):
            j += 1
        if j >= self.n or not (keys[j] in self.lang.groups or keys[j] in self.lang.plurals) or self.cap(j) \
                or not self.same_sentence(k, j):
            return k
        j += 1
        while j < self.n and j - k < 8 and words[j].isalpha() and words[j].islower() \
                and keys[j] not in self.lang.stopwords and keys[j] not in self.lang.connectors:
            j += 1
        while j < self.n and keys[j] in ARTICLES:
            j += 1
        return j if j < self.n and self.same_sentence(k, j) and self.cap(j) and j not in self.phrases else k

    def after_description(self, k: int) -> int | None:
        """Where a list goes on after a description of its last item (", specializzata in progetti ..., X"; "che
        gestisce riserve ... e Y"; "del Ministero dell'Ambiente ... e Y": the body it belongs to): the next item's
        first token, or None when no description follows."""
        keys, words = self.t.keys, self.t.words
        j = k + (k < self.n and words[k] == ",")
        owner = j + 1 < self.n and keys[j] in NAME_PREPOSITIONS and keys[j] not in ("di", "d'") and self.starts_org(j + 1)
        if j >= self.n or not self.same_sentence(k, j) or not (keys[j] == "che" or owner or (
                words[j].isalpha() and words[j].islower() and keys[j] not in self.lang.stopwords
                and keys[j] not in self.lang.articles and keys[j] not in self.lang.connectors)):
            return None
        c = j
        while c + 1 < min(j + 40, self.n):
            c += 1
            if words[c] == "(":  # "(che comprende oltre 160 enti...)": a remark inside the description
                c = next((e for e in range(c, min(c + 25, self.n)) if words[e] == ")"), c)
                continue
            if not self.same_sentence(j, c) or words[c] in (".", ";", ":") or (c in self.phrases and any(
                    side != "before" for _, side in self.phrases[c][2])):
                return None  # another role phrase, but "che promuove progetti ... e Lipu" goes on
            if words[c] == "," or keys[c] in ("e", "ed"):
                nxt = c + 1
                while nxt < self.n and keys[nxt] in ARTICLES:
                    nxt += 1
                if nxt < self.n and self.same_sentence(c, nxt) and self.cap(nxt) \
                        and self.org_at(nxt, untyped=True) is not None:
                    return nxt
        return None

    def kind_before(self, k: int, first: int) -> str | None:
        """The kind a bracketed list at token ``k`` names the items of: "" after a group noun ("gli enti di
        rappresentanza (", "un partenariato nazionale ("), the type word to give each item after a type word used
        in the plural ("4 Gal siciliani (": "Gal"), or None."""
        keys, words = self.t.keys, self.t.words
        if k - 1 > first and (keys[k - 1] in self.lang.numbers or words[k - 1].isdigit()):
            # "Le coop sociali firmatarie sono per ora sei (Lo Scoiattolo, Lisa, ...)": a counted group's members
            for c in range(k - 2, max(first, k - 10) - 1, -1):
                if keys[c] in self.lang.groups or keys[c] in ("coop", "cooperative", "associazioni", "enti"):
                    return ""
                if words[c] in (",", ";", ":", "(", ")"):
                    break
        j = k - 1
        while j > first and k - j <= 3 and words[j].isalpha() and words[j].islower() and keys[j] not in self.lang.groups \
                and not self.org_entry(j):
            j -= 1  # "siciliani", "nazionale", "di rappresentanza"
        for c in range(j, max(first, j - 3) - 1, -1):
            if keys[c] in self.lang.plurals:
                return None  # "otto atenei italiani (Udine, ...)": a plural kind, read by plurals.Plurals
            if keys[c] in self.lang.groups:
                return ""
            hit = self.org_entry(c)
            if hit and hit[0] == j + 1 and c > first and (keys[c - 1] in self.lang.numbers or words[c - 1].isdigit()):
                return self.text(c, hit[0])
            if not (words[c].isalpha() and words[c].islower()):
                break
        return None

    def bracket_items(self, k: int, close: int, kind: str, single: bool = False) -> list[Mention]:
        """The names of a bracketed list from ``k`` to ``close``, split at commas, semicolons and "e": a name with
        its type word as found, else the words as written, after ``kind`` when one is given ("Gal Madonie");
        one name without a kind only when ``single`` ("Spagna (Illipula)")."""
        words, keys = self.t.words, self.t.keys
        out, start = [], k
        for c in range(k, close + 1):
            if c < close and not (words[c] in (",", ";") or keys[c] in ("e", "ed") and c + 1 < close and self.cap(c + 1)):
                continue
            a = start
            while a < c and keys[a] in ARTICLES and not (self.cap(a) and a + 1 < c and keys[a + 1] not in ARTICLES):
                a += 1  # but "L'altra Romagna" keeps its article
            start = c + 1
            if a >= c or not self.cap(a) or c - a > 10 or (c - a == 1 and words[a].isupper() and len(words[a]) == 2):
                continue  # "(PA, AG, CL)": province codes, no names
            m = self.org_at(a, untyped=True)
            if m is not None and m.type and m.end >= c - 1:
                out.append(m)
                continue
            m = Mention(a, c, tidy(self.text(a, c)), "", "item of a bracketed list")
            if kind:
                m.name, m.how = f"{kind} {m.name}", f"item of a list after '{kind}'"
            if self.is_organisation(m, untyped=not kind, municipal=False):
                out.append(m)
            elif not kind and keys[a] in ARTICLES and self.cap(a) and a + 1 < c and self.cap(a + 1) \
                    and self.is_organisation(Mention(a + 1, c, tidy(self.text(a + 1, c)), "", m.how), True, False):
                out.append(m)  # "(Lo Scoiattolo, La Ginestra, Il Rifugio)": names that start with their article
        return out if len(out) >= 2 or kind or single else []

    def generic_item(self, k: int) -> int | None:
        """The end of a kind with no name at ``k`` ("amministrazione comunale", "Regione") in a list, or None."""
        for size in (3, 2, 1):
            if k + size <= self.n and " ".join(self.t.keys[k:k + size]) in self.lang.generic \
                    and self.same_sentence(k, k + size - 1) and self.t.keys[k] not in ("e", "tra", "il", "la"):
                return k + size
        return None

    def label_items(self, k: int, municipal: bool) -> list[Mention]:
        """The items of a labelled list, each running to the next comma or semicolon (or " - ", "(")."""
        items, words = [], self.t.words
        while k < self.n and self.same_sentence(k - 1, k):
            while k < self.n and (self.t.keys[k] in self.lang.articles or words[k] in BULLETS) and not (
                    self.cap(k) and k + 1 < self.n and self.cap(k + 1) and not self.org_entry(k + 1)
                    and (k == 0 or words[k - 1] in (",", ";", ":"))):
                k += 1  # but "La Zattera", "Con Noi" in a list keep their first word
            stop = k
            while stop < self.n and self.same_sentence(k, stop) and (words[stop] not in (",", ";", "(", ".") or (
                    words[stop] == "." and (len(words[stop - 1]) <= 2 or "." in words[stop - 1])
                    and stop + 1 < self.n and self.same_sentence(stop, stop + 1) and words[stop + 1] != "-")) \
                    and not (words[stop] == "-" and self.t.starts[stop] > self.t.ends[stop - 1]) \
                    and not (self.t.keys[stop] in ("e", "ed") and stop + 1 < self.n and self.cap(stop + 1)):
                stop += 1
            if stop == k or not self.cap(k) or stop - k > 20:
                break
            m = self.org_at(k, untyped=True, municipal=municipal)
            if m is None and self.t.keys[k] in self.lang.articles and stop - k <= 6:
                m = Mention(k, stop, tidy(self.text(k, stop)), "", "item of a labelled list")  # "La Zattera"
            if m is None or m.end > stop:
                break
            clause = any(self.t.keys[c] in self.lang.stopwords and self.t.keys[c] not in self.lang.connectors
                         or c in self.phrases for c in range(m.end, stop))
            if not m.type and m.end < stop and not clause:  # the whole item is the name ("Corpo musicale G. Verdi
                # di X"), but not "Ervet sono coinvolti nel progetto Cesme": a clause
                m.end = stop
                m.name = tidy(self.text(k, stop))
                m.city = self.city_in(m)
                m.how = "item of a labelled list"
            items.append(m)
            k = stop
            while k < self.n and words[k] == "(":
                close = next((c for c in range(k, min(k + 12, self.n)) if words[c] == ")"), None)
                if close is None:
                    return items
                k = close + 1
            if k < self.n and words[k] == "-":
                while k < self.n and self.same_sentence(k - 1, k) and words[k] not in (",", ";", "."):
                    k += 1
            if k < self.n and (words[k] in (",", ";") or self.t.keys[k] in ("e", "ed")):
                k += 1
                continue
            break
        return items

    def following_lines(self, s: int, municipal: bool) -> list[Mention]:
        """The names listed on the lines after a label that ends its line ("Partner:", "Soggetto attuatore")."""
        items = []
        for first, last in self.t.spans[s + 1:s + 40]:
            found = self.parse_list(first, municipal=municipal)
            if not found:
                break
            items += found
            rest = found[-1].end
            while rest < last and self.t.words[rest] in ("-", "(") and rest + 1 < last and (
                    self.unit_word(rest + 1) or self.t.words[rest] == "("):
                rest = self.tail(rest + 1) if self.t.words[rest] == "-" else next(
                    (c + 1 for c in range(rest, last) if self.t.words[c] == ")"), last)
            if rest < last - 1 and self.t.words[first] not in BULLETS:  # "- Consiglio Nazionale delle Ricerche -
                break  # Istituto per la BioEconomia" is one item; a bulleted line may say more about its item
        return items

    def group_lists(self, first: int, last: int) -> list[tuple[Mention, str]]:
        """The names after a group noun and a colon or "sono" ("12 associazioni di volontariato che operano sul
        territorio: A, B, C"; "Le 5 Università ... sono A, B e C")."""
        keys, words = self.t.keys, self.t.words
        out = []
        for k in range(first, last):
            if keys[k] not in self.lang.groups:
                continue
            mark = next((c for c in range(k + 1, min(k + 14, last)) if words[c] in (":", ";", ".") or keys[c] == "sono"),
                        None)
            if mark is None or words[mark] in (";", "."):
                continue
            colon = words[mark] == ":" or (mark + 1 < last and words[mark + 1] == ":")
            start = mark + 1 + (words[mark] != ":" and colon)
            items = self.label_items(start, False) if colon else self.parse_list(start)
            if not items and colon and (start >= last or start + 1 >= last and words[start] == ":"):
                items = self.following_lines(self.t.sentence[k], False)  # "Gli enti attuatori ... sono:\n- A\n- B"
            if len(items) >= 2:
                how = f"list after '{words[k]}{':' if colon else ' ... sono'}'"
                out += [(m, how) for m in items]
                break
        return out

    def siblings(self, members: list[Mention], first: int, last: int) -> list[Mention]:
        """Untyped names in a list whose other items are organisations, before, between and after them."""
        words, keys = self.t.words, self.t.keys
        out = []
        for a, b in zip(members, members[1:]):
            if b.start - a.end > 40:
                continue
            separated = self.after_separator(a.end, last) < last  # items follow one another after commas or "e"
            between = self.parse_list(self.after_separator(a.end, last)) if separated else []
            between = [m for m in between if m.end <= b.start and not m.type]
            if between and self.list_reaches(between[-1].end, b.start):
                out += between
            else:
                out += [m for m in self.list_before(b.start, first) if m.start >= a.end]
        lead = members[-1].start if members else first
        while lead > first and self.t.keys[lead - 1] in self.lang.articles:
            lead -= 1
        listed_item = lead > first and (words[lead - 1] in (",", ";") or keys[lead - 1] in ("e", "ed"))
        if len(members) >= 2 and listed_item and self.after_separator(members[-1].end, last) < last:
            tail = self.parse_list(self.after_separator(members[-1].end, last)) if members[-1].end < last else []
            out += [m for m in tail if not m.type and m.start >= members[-1].end]
        return [m for m in out if not any(_expands(p, m, self) for p in members if p.end <= m.start)]

    def after_separator(self, k: int, last: int) -> int:
        """The token after the separators and bracketed remarks that follow an item at ``k``."""
        words = self.t.words
        while k < last and words[k] == "(":
            close = next((c for c in range(k, min(k + 12, last)) if words[c] == ")"), None)
            if close is None:
                break
            k = close + 1
        while k < last and words[k] == "-" and k + 1 < last and self.unit_word(k + 1):
            k = self.tail(k + 1)  # "CNR Campania - Istituto per le Scienze Alimentari": the unit of an item
            while k < last and words[k] == "(":
                close = next((c for c in range(k, min(k + 12, last)) if words[c] == ")"), None)
                k = close + 1 if close is not None else last
        if k < last and (words[k] in (",", ";") or self.t.keys[k] in ("e", "ed")):
            return k + 1
        return last

    def list_reaches(self, k: int, target: int) -> bool:
        """Whether only separators, brackets and articles lie between token ``k`` and ``target``."""
        j = self.after_separator(k, target + 1) if k < target else k
        while j < target and (self.t.keys[j] in self.lang.articles or self.t.words[j] in (",", ";")):
            j += 1
        return j == target

    def list_before(self, k: int, first: int) -> list[Mention]:
        """Untyped names listed right before token ``k`` ("..., Promocamera, l'Azienda speciale ...")."""
        out = []
        while True:
            j = k
            while j > first and self.t.keys[j - 1] in self.lang.articles:
                j -= 1
            if j <= first or self.t.words[j - 1] not in (",", ";") and self.t.keys[j - 1] not in ("e", "ed"):
                break
            end = j - 1
            start = end
            while start > first and (self.cap(start - 1) or (self.t.keys[start - 1] in self.lang.connectors
                                                             and start - 2 >= first and self.cap(start - 2))):
                start -= 1
            if start == end or (start > first and self.t.keys[start - 1] in NAME_PREPOSITIONS):
                break  # "...del sistema universitario della Libia, e l'Università": a place, not an item
            m = self.org_at(start, untyped=True)
            if m is None or m.end != end or m.type:
                break
            out.append(m)
            k = start
        return out

    def parties(self, first: int, last: int) -> list[Mention]:
        """The organisations named right before "con sede", "C.F.", "rappresentata da"... at the start of a line or
        of a list item, with the city "con sede in" gives."""
        keys, words = self.t.keys, self.t.words
        out, k = [], first
        s = self.t.sentence[first]
        if s and self.t.breaks[first] and self.t.spans[s - 1][1] - self.t.spans[s - 1][0] == 1 \
                and keys[first - 1] in ("tra", "fra", "e"):
            j = first  # "TRA\nBottega Solidale, ...\nE\n...": the line after "TRA" or "E" names a party
            while j < last and keys[j] in ARTICLES:
                j += 1
            m = self.org_at(j, untyped=True) if j < last else None
            if m is not None and (m.end >= last or words[m.end] in (",", "(", ";", ".") or self.t.breaks[m.end]):
                out.append(m)
                k = m.end
        while k < last:
            hit = next((size for size in (3, 2, 1) if k + size <= last
                        and " ".join(keys[k:k + size]).rstrip(".") in self.lang.parties), None)
            if not hit:
                k += 1
                continue
            end = k
            while end > first and words[end - 1] in (",", "("):
                end -= 1
            start = end
            while start > first and not (self.t.breaks[start] and start < end) and (
                    self.cap(start - 1) or words[start - 1] in ("-", "'", '"', ".") or NUMBER.fullmatch(words[start - 1])
                    or (keys[start - 1] in self.lang.connectors and keys[start - 1] not in ("e", "ed")
                        and start - 2 >= first and self.cap(start - 2) and not self.t.breaks[start - 1])):
                start -= 1
            while start < end and (not self.cap(start) or keys[start] in ARTICLES):
                start += 1
            before = start - 1
            while before >= first and keys[before] in ARTICLES and not self.t.breaks[before + 1]:
                before -= 1
            boundary = before < first or self.t.breaks[before + 1] or keys[before] in ("tra", "e", "ed", "fra") \
                or words[before] in (":", ";", ".") or words[before] in BULLETS
            m = self.org_at(start, untyped=True) if start < end and boundary else None
            if m is not None and m.end < end - 1 and words[m.end] == "-" and all(
                    self.cap(c) or keys[c] in self.lang.connectors or words[c] in ("-", "'") for c in range(m.end, end)):
                m.end = end  # "l'ASSOCIAZIONE STRADA DEL CASTAGNO – ITINERARIO DEI PRODOTTI..., di seguito denominato"
                m.name = tidy(self.text(m.start, end))
            if m is not None and m.end <= end and m.end >= end - 1:
                if keys[k] in ("con", "sede"):
                    place = next((c for c in range(k + 1, min(k + 5, last)) if keys[c] in ("in", "a")), None)
                    city = self.city_match(place + 1) if place is not None else None
                    m.city = m.city or (city[1] if city else "")
                out.append(m)
            k += hit
        best: dict = {}
        for m in out:  # a party found twice (after "TRA" and before "con sede") keeps the city
            if (m.start, m.end) not in best or (m.city and not best[(m.start, m.end)].city):
                best[(m.start, m.end)] = m
        return list(best.values())


def _expands(previous: Mention, m: Mention, rules: Lists) -> bool:
    """Whether ``m`` spells out the last word of ``previous`` ("ReTer" -> "Reti e Territorio")."""
    short = key(previous.name.split()[-1])
    words = [key(w) for w in m.name.split() if key(w) not in rules.lang.connectors]
    if len(words) < 2 or len(short) < len(words):
        return False

    def fits(rest: str, ws: list) -> bool:
        if not ws:
            return not rest
        return any(rest.startswith(ws[0][:n]) and fits(rest[n:], ws[1:]) for n in range(1, len(ws[0]) + 1))

    return fits(short, words)
