"""Match a target to the shared measure dictionary (data/measures.yaml), with a confidence.

Names are compared as sets of syllables and syllable pairs without diacritics, each weighted by
how rare it is among the dictionary's names (a pair such as "truc tuyen" says more than "ty le").
The confidence is the weighted Dice overlap (0–1) among measures of the same kind (a rate, a count,
a yes/no item, a reduction). Below :data:`THRESHOLD` the importer proposes a new measure instead.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from plans.model import Measure
from plans.text import strip_accents

THRESHOLD = 0.34
NOUN_BONUS = 0.15
_STOP = {
    "cua",
    "va",
    "cac",
    "nhung",
    "duoc",
    "tren",
    "tai",
    "cho",
    "trong",
    "voi",
    "co",
    "la",
    "so",
    "ty",
    "le",
    "ve",
    "mot",
    "theo",
    "tong",
    "dia",
    "ban",
    "xa",
    "phuong",
}


@dataclass(frozen=True)
class MeasureMatch:
    code: str | None
    confidence: float


def features(text: str) -> Counter:
    """Syllables (without stop words) and adjacent syllable pairs of a name, without diacritics."""
    words = re.findall(r"[a-z0-9]+", strip_accents(re.sub(r"(?<=[a-z])(?=[A-Z])", " ", text)))
    grams = Counter(w for w in words if w not in _STOP and len(w) > 1)
    grams.update(f"{a} {b}" for a, b in zip(words, words[1:]) if not (a in _STOP and b in _STOP))
    return grams


@lru_cache(maxsize=8)
def _index(measures: tuple[Measure, ...]) -> tuple[dict[str, float], tuple[Counter, ...]]:
    feats = tuple(features(m.name) for m in measures)
    df = Counter(g for f in feats for g in set(f))
    idf = {g: math.log((1 + len(feats)) / (1 + n)) + 1 for g, n in df.items()}
    return idf, feats


def _kind_fits(measure: Measure, unit: str, reduction: bool) -> bool:
    if reduction:
        return measure.kind == "reduction"
    if measure.kind == "reduction":
        return False
    return measure.unit == unit


def match_measure(
    name: str, unit: str, reduction: bool, measures: tuple[Measure, ...], noun: str | None = None
) -> MeasureMatch:
    """The best measure of the right kind for a target's name, and how sure the match is.

    A count whose noun ("đợt", "buổi") is the one the measure counts gets a bonus of
    :data:`NOUN_BONUS`, so "01 đợt tuyên truyền" goes to the measure of campaigns, not of sessions.
    """
    idf, feats = _index(measures)
    mine = features(name)
    default = math.log(1 + len(measures)) + 1
    weight_mine = sum(idf.get(g, default) for g in mine)
    best, score = None, 0.0
    for measure, theirs in zip(measures, feats):
        if not _kind_fits(measure, unit, reduction):
            continue
        shared = sum(idf[g] for g in mine.keys() & theirs.keys())
        total = weight_mine + sum(idf[g] for g in theirs)
        dice = 2 * shared / total if total else 0.0
        if noun and re.search(rf"\b{re.escape(strip_accents(noun))}\b", strip_accents(measure.name)):
            dice = min(1.0, dice + NOUN_BONUS)
        if dice > score:
            best, score = measure.code, dice
    return MeasureMatch(best, round(score, 2))
