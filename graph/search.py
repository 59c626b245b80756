"""Search by words: an inverted index over titles (and ids and descriptions), ranked by how well each matches.

A substring scan ranks "Crop, Nursery, and Greenhouse" above "Registered Nurses" for "nurse"; words rank it
right. Every text is cut into words and each word reduced to a crude English stem (``nurses`` -> ``nurse``,
``analyses`` -> ``analyse``); each query word must match a word of the item (AND). A match scores 3 when the
stems are equal, 2 when the query word begins a word of the title, 1 for the id or the description; an exact
title or one that starts with the query earns a bonus. Ties go to the shorter title, then by title and id. The
index is built once per snapshot (one per projection), so a search costs the query's words, not the catalogue.

>>> index = SearchIndex([("a", "Crop, Nursery, and Greenhouse Farmworkers", ""), ("b", "Registered Nurses", ""),
...                      ("c", "Nurse Practitioners", "")])
>>> index.search("nurse")
['c', 'b', 'a']
>>> index.search("registered nurse")
['b']
"""

from __future__ import annotations

import bisect
import re
import weakref
from collections import defaultdict
from collections.abc import Iterable

from .projection import PeopleChange, Projection, on_refresh

__all__ = ["words", "stem", "SearchIndex", "search"]

_WORD = re.compile(r"[^\W_]+", re.UNICODE)


def words(text: str) -> list[str]:
    """Lower-case words (letters and digits).

    >>> words("Testing and quality-assurance (QA)")
    ['testing', 'and', 'quality', 'assurance', 'qa']
    """
    return _WORD.findall(text.lower())


def stem(word: str) -> str:
    """A crude English stem: plural endings off (``nurses``, ``policies``, ``classes``), nothing else.

    >>> [stem(w) for w in ["nurses", "policies", "classes", "analysis", "status", "sql"]]
    ['nurse', 'policy', 'class', 'analysis', 'status', 'sql']
    """
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 4 and word.endswith("sses"):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


class SearchIndex:
    """Items ``(id, title, other text)``; :meth:`search` gives ids, best first."""

    def __init__(self, items: Iterable[tuple[str, str, str]]) -> None:
        self.ids: list[str] = []
        self.titles: list[str] = []
        self.title_length: list[int] = []
        self.title_stems: dict[str, set[int]] = defaultdict(set)
        self.other_stems: dict[str, set[int]] = defaultdict(set)
        for n, (id_, title, other) in enumerate(items):
            self.ids.append(id_)
            self.titles.append(title)
            title_words = words(title)
            self.title_length.append(len(title_words))
            for w in title_words:
                self.title_stems[stem(w)].add(n)
            for w in words(id_) + words(other):
                self.other_stems[stem(w)].add(n)
        self.vocabulary = sorted(self.title_stems)

    def _prefixed(self, term: str) -> set[int]:
        """Items with a title word that begins with ``term``."""
        out: set[int] = set()
        i = bisect.bisect_left(self.vocabulary, term)
        while i < len(self.vocabulary) and self.vocabulary[i].startswith(term):
            out |= self.title_stems[self.vocabulary[i]]
            i += 1
        return out

    def search(self, query: str) -> list[str]:
        terms = [stem(w) for w in words(query)]
        if not terms:
            return []
        score: dict[int, float] | None = None
        for term in terms:
            hits: dict[int, float] = {}
            for n in self.other_stems.get(term, ()):
                hits[n] = 1.0
            for n in self._prefixed(term):
                hits[n] = 2.0
            for n in self.title_stems.get(term, ()):
                hits[n] = 3.0
            score = hits if score is None else {n: s + hits[n] for n, s in score.items() if n in hits}
            if not score:
                return []
        assert score is not None
        wanted = " ".join(words(query))
        for n in score:
            title = " ".join(words(self.titles[n]))
            if title == wanted:
                score[n] += 2.0
            elif title.startswith(wanted):
                score[n] += 1.0
        ranked = sorted(score, key=lambda n: (-score[n], self.title_length[n], self.titles[n], self.ids[n]))
        return [self.ids[n] for n in ranked]


_INDEXES: weakref.WeakKeyDictionary[Projection, dict[str, SearchIndex]] = weakref.WeakKeyDictionary()


@on_refresh
def _carry(old: Projection, new: Projection, change: PeopleChange) -> None:
    """Roles and competencies never change in a refresh; people's index holds while no person record did."""
    built = _INDEXES.get(old)
    if built:
        _INDEXES[new] = {k: v for k, v in built.items() if k != "people" or not change.people}


def _index(proj: Projection, kind: str) -> SearchIndex:
    built = _INDEXES.setdefault(proj, {})
    if kind not in built:
        org = proj.org
        items: Iterable[tuple[str, str, str]]
        if kind == "roles":
            items = ((r.id, r.title, r.description) for r in org.roles.values())
        elif kind == "competencies":
            items = ((c.id, c.name, c.description) for c in org.competencies.values())
        else:
            items = ((p.id, p.name, p.email) for p in org.people.values())
        built[kind] = SearchIndex(items)
    return built[kind]


def search(proj: Projection, kind: str, text: str) -> list[str]:
    """Ids of ``kind`` ("roles", "competencies" or "people") matching ``text``, best first (index per projection)."""
    return _index(proj, kind).search(text)
