"""Pair predicted records with gold ones: similarities, assignment, spans (RECORDS.md §3).

Records of one type are paired one-to-one by maximum total similarity above a
threshold: actors by their names, claims by the overlap of their evidence spans,
meetings by their participants. Articles are paired on the records matched inside
them. The text finder is the grounder's (`extractor.text.grounding.TextIndex`), so
the scorer and the extractor agree on what "the same text" is.

Conventions this module fixes (the spec leaves them open):

* Below-threshold similarities are zeroed before the assignment, so the
  assignment maximizes total similarity among admissible pairs only (otherwise
  a high-total assignment of sub-threshold pairs could hide a real match).
* Affiliation matching in meetings is symmetric: a predicted participant p
  (mapped to gold actor m through the actor pairing) matches gold participant g
  when m == g, when gold's affiliation of m is g ("Hamas leaders" for "Hamas"),
  when gold's affiliation of g is m ("Hamas" for "Hamas leaders"), or when p's own
  predicted affiliation maps to g (so an unpaired "Hamas leaders" still matches
  "Hamas"). Participant sets are compared by a maximum one-to-one matching
  under that relation; Jaccard = matched / (|P| + |G| - matched).
* Mediators are compared as sets of mapped ids (no affiliation leniency); the
  mediator F1 of a pair with no mediators on either side is 1.0.
* Free-text fields (title, outlet, role, location) agree when both are null, or
  both are strings whose normalized forms are equal or have
  rapidfuzz `fuzz.ratio` >= 0.85.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import numpy as np
import regex
from rapidfuzz import fuzz
from scipy.optimize import linear_sum_assignment

from extractor.models import Actor, Article, Claim, Meeting, Span
from extractor.text.grounding import TextIndex
from extractor.text.normalize import normalize

from .counts import ArticleScore, Counts, set_f1

ACTOR_THRESHOLD = 0.85
CLAIM_THRESHOLD = 0.3
MEETING_THRESHOLD = 0.5
TEXT_THRESHOLD = 0.85
BRIEF_CHARS = 80

T = TypeVar("T")
Matrix = Any  # a numpy float array; numpy's own types are too loose to help here


# --------------------------------------------------------------------------- text helpers


def text_agrees(a: str | None, b: str | None, threshold: float = TEXT_THRESHOLD) -> bool:
    """Whether two free-text values agree: both null, or normalized equal or fuzzy-close."""
    if a is None or b is None:
        return a is None and b is None
    na, nb = normalize(str(a)), normalize(str(b))
    return na == nb or fuzz.ratio(na, nb) / 100 >= threshold


def brief(text: object, limit: int = BRIEF_CHARS) -> str:
    """A short label for a record in per-document listings."""
    s = " ".join(str(text or "").split())
    return s if len(s) <= limit else s[: limit - 1] + "…"


def evidence_span(index: TextIndex, evidence: str, span: Span | None = None) -> Span | None:
    """Offsets of `evidence` in the input, or None when it is not there.

    A given `span` wins when it is valid (in bounds and its slice equals the
    evidence after normalization), since it disambiguates repeated text.
    Otherwise the first exact occurrence, then the first normalized one.
    """
    text = index.text
    if span is not None:
        start, end = span
        if 0 <= start < end <= len(text) and (
            not evidence or normalize(text[start:end]) == normalize(evidence)
        ):
            return start, end
    found = index.find(evidence, fuzzy=False)
    return (found.start, found.end) if found else None


def span_iou(a: Span | None, b: Span | None) -> float:
    """Character intersection-over-union of two half-open spans (0 when either is missing)."""
    if a is None or b is None:
        return 0.0
    inter = max(0, min(a[1], b[1]) - max(a[0], b[0]))
    union = (a[1] - a[0]) + (b[1] - b[0]) - inter
    return inter / union if union > 0 else 0.0


# --------------------------------------------------------------------------- assignment


def assign(sim: Matrix, threshold: float) -> list[tuple[int, int, float]]:
    """One-to-one pairs (row, col, similarity) of maximum total admissible similarity.

    Entries below `threshold` are zeroed first and never returned as pairs.
    """
    if sim.size == 0:
        return []
    admissible = np.where(sim >= threshold, sim, 0.0)
    rows, cols = linear_sum_assignment(admissible, maximize=True)
    return [
        (int(r), int(c), float(sim[r, c]))
        for r, c in zip(rows, cols, strict=True)
        if sim[r, c] >= threshold
    ]


def _matrix(preds: Sequence[T], golds: Sequence[T], fn: Callable[[T, T], float]) -> Matrix:
    sim = np.zeros((len(preds), len(golds)))
    for i, p in enumerate(preds):
        for j, g in enumerate(golds):
            sim[i, j] = fn(p, g)
    return sim


# --------------------------------------------------------------------------- records


def actor_forms(actor: Actor) -> list[str]:
    """Normalized surface forms of an actor: name, name_en and aliases."""
    forms = [actor.name, actor.name_en, *actor.aliases]
    return [n for n in (normalize(f) for f in forms) if n]


def actor_similarity(pred_forms: list[str], gold_forms: list[str]) -> float:
    """Best token-set ratio over all form pairs, in [0, 1]."""
    best = 0.0
    for p in pred_forms:
        for g in gold_forms:
            best = max(best, fuzz.token_set_ratio(p, g) / 100)
    return best


def _actor_tiebreak(pred_forms: list[str], gold_forms: list[str]) -> float:
    """Plain ratio, used only to break ties of token-set ratio.

    token_set_ratio scores a subset as 100 ("حماس" vs "قادة حماس"), so several
    gold actors can tie for one prediction; the closer full string should win.
    """
    best = max((fuzz.ratio(p, g) / 100 for p in pred_forms for g in gold_forms), default=0.0)
    # then the names themselves: a prediction whose alias equals one gold actor's name
    # and whose name equals another's ("Israel", alias "The Israelis") pairs by name, so
    # the pairing never depends on the order the actors are listed in
    names = fuzz.ratio(pred_forms[0], gold_forms[0]) / 100 if pred_forms and gold_forms else 0.0
    return best + 1e-3 * names


_PUNCT = regex.compile(r"[^\p{L}\p{M}\p{N}\s]+")


def _unpunctuated(form: str) -> str:
    return " ".join(_PUNCT.sub(" ", form).split())


def actor_name(actor: Actor) -> str:
    return actor.name or actor.name_en or actor.id or "?"


def participants_label(meeting: Meeting, actors: dict[str, Actor]) -> str:
    names = [actor_name(actors[i]) if i in actors else i for i in meeting.participants]
    return brief(" + ".join(names))


# --------------------------------------------------------------------------- article pairs


class ArticlePair:
    """Scores one predicted article against one gold article."""

    def __init__(
        self,
        pred: Article,
        gold: Article,
        index: TextIndex,
        pronouns: frozenset[str],
        claims_only: bool = False,
    ) -> None:
        self.pred, self.gold, self.index = pred, gold, index
        self.pronouns = pronouns  # gold actor ids marked "pronoun": true
        self.claims_only = claims_only
        self.out = ArticleScore()
        self.gold_by_id = {a.id: a for a in gold.actors}
        self.pred_by_id = {a.id: a for a in pred.actors}
        self.id_map: dict[str, str] = {}

    def score(self) -> ArticleScore:
        self._actors()
        self._claims()
        self._meetings()
        return self.out

    def _finish(
        self,
        kind: str,
        n_pred: int,
        n_gold: int,
        pairs: list[tuple[int, int, float]],
        pred_label: Callable[[int], str],
        gold_label: Callable[[int], str],
    ) -> None:
        """Turn an assignment into counts and the missed/spurious listings."""
        paired_p = {p for p, _, _ in pairs}
        paired_g = {g for _, g, _ in pairs}
        self.out.counts[kind] = Counts(len(pairs), n_pred - len(pairs), n_gold - len(pairs))
        self.out.listing.spurious[kind] = [
            pred_label(i) for i in range(n_pred) if i not in paired_p
        ]
        self.out.listing.missed[kind] = [gold_label(j) for j in range(n_gold) if j not in paired_g]

    # ---- actors
    def _actors(self) -> None:
        preds, golds = self.pred.actors, self.gold.actors
        pf = [actor_forms(a) for a in preds]
        gf = [actor_forms(a) for a in golds]
        sim = _matrix(pf, gf, actor_similarity)
        tie = _matrix(pf, gf, _actor_tiebreak)
        pairs = assign(sim + 1e-6 * tie * (sim >= ACTOR_THRESHOLD), ACTOR_THRESHOLD)
        pairs = [(p, g, float(sim[p, g])) for p, g, _ in pairs]
        for p, g, _ in pairs:
            self.id_map[preds[p].id] = golds[g].id
        for p, g, s in pairs:
            self._actor_pair(preds[p], golds[g], s)
        self._finish(
            "actors",
            len(pf),
            len(gf),
            pairs,
            lambda i: actor_name(preds[i]),
            lambda j: actor_name(golds[j]),
        )

    def _actor_pair(self, p: Actor, g: Actor, sim: float) -> None:
        self.out.listing.matched["actors"].append(
            {"pred": actor_name(p), "gold": actor_name(g), "similarity": round(sim, 3)}
        )
        self.out.tally("actors.kind", p.kind == g.kind)
        self.out.tally("actors.role", text_agrees(p.role, g.role))
        self.out.tally("actors.affiliation", self._map(p.affiliation) == g.affiliation)
        self.out.tally("actors.anonymous", p.anonymous == g.anonymous)

    def _map(self, pred_id: str | None) -> str | None:
        """Gold id of a predicted actor id; unpaired ids get a token that equals no gold id."""
        if pred_id is None:
            return None
        return self.id_map.get(pred_id, f"\x00unpaired:{pred_id}")

    # ---- claims
    def _claims(self) -> None:
        preds, golds = self.pred.claims, self.gold.claims
        pspans = [evidence_span(self.index, c.evidence, c.span) for c in preds]
        # claims-only gold is cut into sentence claims (evals.conventions), whose short
        # evidences may repeat: their spans say where they are
        gspans = [
            evidence_span(self.index, c.evidence, c.span if self.claims_only else None)
            for c in golds
        ]
        pairs = assign(_matrix(pspans, gspans, span_iou), CLAIM_THRESHOLD)
        for p, g, iou in pairs:
            self._claim_pair(preds[p], golds[g], iou)
        self._finish(
            "claims",
            len(preds),
            len(golds),
            pairs,
            lambda i: brief(preds[i].evidence),
            lambda j: brief(golds[j].evidence),
        )

    def _claim_pair(self, p: Claim, g: Claim, iou: float) -> None:
        if set(g.speakers) <= self.pronouns:
            # only "he"/"who" in gold: any named speaker may be the referent
            # (`Claim` needs a speaker, so a validated prediction always names one)
            attributed = bool(p.speakers)
        elif self.claims_only:
            attributed = self._names_source(p, g)
        else:
            mapped = {self._map(s) for s in p.speakers}
            attributed = bool(mapped & set(g.speakers))
        self.out.attributed_tp += attributed
        self.out.tally("claims.quote", p.quote == g.quote)
        self.out.listing.matched["claims"].append(
            {"evidence": brief(g.evidence), "iou": round(iou, 3), "attributed": attributed}
        )

    def _names_source(self, p: Claim, g: Claim) -> bool:
        """Claims-only gold: does a predicted speaker bear the name of a gold source?

        Such gold has one actor per source string and no coreference ("Trump", "Mr.
        Trump" and "Donald Trump, the Republican nominee" are three actors), so the
        one-to-one actor pairing would let a predicted person stand for one of them
        only, and every claim of the others would count as a wrong speaker. Here the
        speaker is compared by name with the source string, with the actor pairing's
        similarity and threshold, punctuation read as a space (a source string is a
        phrase: "Kevin Barrett, a lawyer at ...").
        """
        pred_forms = [
            _unpunctuated(f)
            for s in p.speakers
            if s in self.pred_by_id
            for f in actor_forms(self.pred_by_id[s])
        ]
        for s in g.speakers:
            gold_forms = [_unpunctuated(f) for f in actor_forms(self.gold_by_id[s])]
            if actor_similarity(pred_forms, gold_forms) >= ACTOR_THRESHOLD:
                return True
        return False

    # ---- meetings
    def _meetings(self) -> None:
        preds, golds = self.pred.meetings, self.gold.meetings
        sim = _matrix(preds, golds, self._participant_jaccard)
        pairs = assign(sim, MEETING_THRESHOLD)
        for p, g, s in pairs:
            self._meeting_pair(preds[p], golds[g], s)
        self._finish(
            "meetings",
            len(preds),
            len(golds),
            pairs,
            lambda i: participants_label(preds[i], self.pred_by_id),
            lambda j: participants_label(golds[j], self.gold_by_id),
        )

    def _gold_aff(self, gold_id: str | None) -> str | None:
        actor = self.gold_by_id.get(gold_id or "")
        return actor.affiliation if actor else None

    def _participant_matches(self, pred_id: str, gold_id: str) -> bool:
        """The symmetric affiliation relation described in the module docstring."""
        mapped = self._map(pred_id)
        if mapped == gold_id or self._gold_aff(mapped) == gold_id:
            return True
        if mapped is not None and self._gold_aff(gold_id) == mapped:
            return True
        own = self.pred_by_id.get(pred_id)
        return (
            own is not None
            and own.affiliation is not None
            and (self._map(own.affiliation) == gold_id)
        )

    def _participant_jaccard(self, p: Meeting, g: Meeting) -> float:
        pset = list(dict.fromkeys(p.participants))
        gset = list(dict.fromkeys(g.participants))
        if not pset or not gset:
            return 0.0
        rel = np.array([[float(self._participant_matches(a, b)) for b in gset] for a in pset])
        rows, cols = linear_sum_assignment(rel, maximize=True)
        matched = int(rel[rows, cols].sum())
        return matched / (len(pset) + len(gset) - matched)

    def _meeting_pair(self, p: Meeting, g: Meeting, sim: float) -> None:
        t = self.out.tally
        t("meetings.status", p.status == g.status)
        t("meetings.format", p.format == g.format)
        t("meetings.date", p.date == g.date)
        t("meetings.location", text_agrees(p.location, g.location))
        pmed = {str(self._map(m)) for m in p.mediators}
        t("meetings.mediators_f1", set_f1(pmed, set(g.mediators)))
        self.out.listing.matched["meetings"].append(
            {"participants": participants_label(g, self.gold_by_id), "jaccard": round(sim, 3)}
        )


# --------------------------------------------------------------------------- articles


def pair_articles(matrix: Matrix) -> list[tuple[int, int]]:
    """Pair predicted (rows) and gold (cols) articles one-to-one.

    Maximizes records matched inside the pairs; among equal totals the pairing
    closest to reading order wins (least total |row - col|). Integer weights
    make the tie-break exact: one matched record outweighs any displacement.
    """
    n_p, n_g = matrix.shape
    if n_p == 0 or n_g == 0:
        return []
    big = n_p * n_g + 1
    rows_idx, cols_idx = np.indices(matrix.shape)
    weights = matrix.astype(np.int64) * big - np.abs(rows_idx - cols_idx)
    rows, cols = linear_sum_assignment(weights, maximize=True)
    return sorted((int(r), int(c)) for r, c in zip(rows, cols, strict=True))
