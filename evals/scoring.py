"""Score predicted records against hand-labeled gold (RECORDS.md §3).

Predictions and gold are the library's own records (`extractor.models`): a
prediction that does not validate is an invalid output, scored as empty (§3). The
text finder is the grounder's (`extractor.text.grounding.TextIndex`), so the scorer and
the extractor agree on what "the same text" is. Nothing here loads LLM code.

Flow: `score_document` pairs the articles of one input, pairs records inside each
article pair and returns a `DocScore` holding raw counts and tallies. Counts, not
ratios, are what get stored per document, because micro averages, per-language
figures and the bootstrap all need to re-pool them.

Conventions this module fixes (the spec leaves them open):

* 0/0 ratios: when a record type has no gold and no predicted records
  (tp = fp = fn = 0), precision = recall = F1 = 1.0 — saying nothing about
  nothing is right. Any other 0 denominator gives 0.0 (an empty prediction
  against gold has precision 0, a prediction against empty gold has recall 0).
  F1 is computed as 2tp / (2tp + fp + fn), which agrees with 2PR/(P+R).
* Accuracies over matched pairs are None (JSON null) when there are no pairs.
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

Claims-only gold (RECORDS.md §3; `"scope": "claims-only"`, e.g. the PolNeAR sets,
where only attributions were labeled and actors are just the sources' strings):

* Such a document adds claim counts, attributed claims and quote accuracy, and
  nothing else: its actor and meeting counts and tallies, and its article figures
  (counts, title/published/outlet), are dropped, so they are in no overall or
  per-language figure. Its actors are still paired, because attribution maps
  predicted speakers to gold speakers through that pairing. Its articles are paired
  on matched claims alone, since its other records are not exhaustive. Grounding and
  invalid rates are about the prediction, not the labels, so they still count.
* Its `per_document` entry says `"scope": "claims-only"` and has `headline_f1`
  null and null actor/meeting ratios (counts 0); entries of full-scope documents
  carry no `scope` key, so scores written before this rule read as full scope.
* The headline of a set is the spec's headline (mean of the three F1s) over its
  full-scope documents only; actor and meeting figures pool full-scope documents
  only; claim figures pool every document. So a mixed set's headline is exactly
  what its full-scope part alone would score, and is comparable with a set of
  full-scope files, but it is not the mean of the three F1s printed beside it
  (those claims include the claims-only documents). A set with no full-scope
  document has no headline (null) and null actor/meeting ratios: its figures are
  claim F1 and attributed-claim F1. Such a score carries a `scope` block counting
  documents of each kind; a set of full-scope files has none, so its output is
  unchanged.
* A gold claim whose speakers are all pronoun actors (`"pronoun": true`, a "he" or
  "who" whose referent the labels do not give) is attributed when it matches by span
  and the prediction names any speaker: nobody can say which name would be right.
  A claim with one named speaker among pronouns needs that name, as usual. Pronoun
  actors are scored as actors like any other (they only occur in claims-only files).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

import numpy as np
from rapidfuzz import fuzz
from scipy.optimize import linear_sum_assignment

from extractor.models import Actor, Article, Claim, Document, Meeting, Span
from extractor.text.grounding import TextIndex
from extractor.text.normalize import normalize

from .gold import CLAIMS_ONLY, Case, Scope, gold_scope, pronoun_actors

ACTOR_THRESHOLD = 0.85
CLAIM_THRESHOLD = 0.3
MEETING_THRESHOLD = 0.5
TEXT_THRESHOLD = 0.85
RECORD_TYPES = ("actors", "claims", "meetings")
BRIEF_CHARS = 80

# Tally names: "<type>.<field>" accuracies over matched pairs, plus article metadata.
ACTOR_FIELDS = ("kind", "role", "affiliation", "anonymous")
MEETING_FIELDS = ("status", "format", "date", "location", "mediators_f1")
ARTICLE_FIELDS = ("title", "published", "outlet")

T = TypeVar("T")
Matrix = Any  # a numpy float array; numpy's own types are too loose to help here


# --------------------------------------------------------------------------- counts


@dataclass
class Counts:
    """TP/FP/FN of one record type; kept as integers so they can be re-pooled."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, other: Counts) -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn


@dataclass
class Tally:
    """A running mean (`hits / n`): accuracy when hits are 0/1, mean F1 otherwise."""

    hits: float = 0.0
    n: int = 0

    def add(self, value: float | bool) -> None:
        self.hits += float(value)
        self.n += 1

    def mean(self) -> float | None:
        return self.hits / self.n if self.n else None


def prf(tp: int, fp: int, fn: int) -> dict[str, float]:
    """Precision, recall and F1 under the module's 0/0 convention (see module doc)."""
    if tp + fp + fn == 0:
        return {"precision": 1.0, "recall": 1.0, "f1": 1.0}
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    return {"precision": precision, "recall": recall, "f1": 2 * tp / (2 * tp + fp + fn)}


def _set_f1(pred: set[str], gold: set[str]) -> float:
    tp = len(pred & gold)
    return prf(tp, len(pred) - tp, len(gold) - tp)["f1"]


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


def _actor_name(actor: Actor) -> str:
    return actor.name or actor.name_en or actor.id or "?"


def _participants_label(meeting: Meeting, actors: dict[str, Actor]) -> str:
    names = [_actor_name(actors[i]) if i in actors else i for i in meeting.participants]
    return brief(" + ".join(names))


def _per_type(factory: Callable[[], T]) -> dict[str, T]:
    return {t: factory() for t in RECORD_TYPES}


@dataclass
class Listing(Generic[T]):
    """Per record type: what was matched, missed (FN) and spurious (FP), for reading."""

    matched: dict[str, list[T]] = field(default_factory=lambda: _per_type(list))
    missed: dict[str, list[str]] = field(default_factory=lambda: _per_type(list))
    spurious: dict[str, list[str]] = field(default_factory=lambda: _per_type(list))


@dataclass
class ArticleScore:
    """Counts, tallies and listings of one (predicted, gold) article pair."""

    counts: dict[str, Counts] = field(default_factory=lambda: _per_type(Counts))
    attributed_tp: int = 0
    tallies: dict[str, Tally] = field(default_factory=dict)
    listing: Listing[dict[str, Any]] = field(default_factory=Listing)

    @property
    def matched_records(self) -> int:
        return sum(c.tp for c in self.counts.values())

    def tally(self, name: str, value: float | bool) -> None:
        self.tallies.setdefault(name, Tally()).add(value)


class _ArticlePair:
    """Scores one predicted article against one gold article."""

    def __init__(
        self, pred: Article, gold: Article, index: TextIndex, pronouns: frozenset[str]
    ) -> None:
        self.pred, self.gold, self.index = pred, gold, index
        self.pronouns = pronouns  # gold actor ids marked "pronoun": true
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
            lambda i: _actor_name(preds[i]),
            lambda j: _actor_name(golds[j]),
        )

    def _actor_pair(self, p: Actor, g: Actor, sim: float) -> None:
        self.out.listing.matched["actors"].append(
            {"pred": _actor_name(p), "gold": _actor_name(g), "similarity": round(sim, 3)}
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
        gspans = [evidence_span(self.index, c.evidence) for c in golds]
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
        else:
            mapped = {self._map(s) for s in p.speakers}
            attributed = bool(mapped & set(g.speakers))
        self.out.attributed_tp += attributed
        self.out.tally("claims.quote", p.quote == g.quote)
        self.out.listing.matched["claims"].append(
            {"evidence": brief(g.evidence), "iou": round(iou, 3), "attributed": attributed}
        )

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
            lambda i: _participants_label(preds[i], self.pred_by_id),
            lambda j: _participants_label(golds[j], self.gold_by_id),
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
        t("meetings.mediators_f1", _set_f1(pmed, set(g.mediators)))
        self.out.listing.matched["meetings"].append(
            {"participants": _participants_label(g, self.gold_by_id), "jaccard": round(sim, 3)}
        )


def score_article_pair(
    pred: Article, gold: Article, index: TextIndex, pronouns: frozenset[str] = frozenset()
) -> ArticleScore:
    """Score one predicted article against one gold article of the same input.

    `pronouns` are the gold article's pronoun actor ids (see the module docstring).
    """
    return _ArticlePair(pred, gold, index, pronouns).score()


# --------------------------------------------------------------------------- documents


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


def _count_records(article: Article) -> dict[str, int]:
    return {
        "actors": len(article.actors),
        "claims": len(article.claims),
        "meetings": len(article.meetings),
    }


def _article_listing(article: Article) -> dict[str, list[str]]:
    """Labels of every record of an unpaired article, for the missed/spurious lists."""
    actors = {a.id: a for a in article.actors}
    return {
        "actors": [_actor_name(a) for a in article.actors],
        "claims": [brief(c.evidence) for c in article.claims],
        "meetings": [_participants_label(m, actors) for m in article.meetings],
    }


@dataclass
class DocScore:
    """Raw per-document result; `to_dict` is the `per_document` entry of a corpus score."""

    doc_id: str
    language: str
    invalid: bool
    scope: Scope = "full"
    counts: dict[str, Counts] = field(default_factory=lambda: _per_type(Counts))
    attributed_tp: int = 0
    tallies: dict[str, Tally] = field(default_factory=dict)
    articles: dict[str, Any] = field(default_factory=dict)
    grounding: Tally = field(default_factory=Tally)
    listing: Listing[dict[str, Any]] = field(default_factory=Listing)

    def absorb(self, art: ArticleScore) -> None:
        """Pool one article pair into the document."""
        for t in RECORD_TYPES:
            self.counts[t].add(art.counts[t])
            self.listing.matched[t].extend(art.listing.matched[t])
            self.listing.missed[t].extend(art.listing.missed[t])
            self.listing.spurious[t].extend(art.listing.spurious[t])
        self.attributed_tp += art.attributed_tp
        for name, tally in art.tallies.items():
            mine = self.tallies.setdefault(name, Tally())
            mine.hits += tally.hits
            mine.n += tally.n

    @property
    def claims_only(self) -> bool:
        return self.scope == CLAIMS_ONLY

    def keep_claims_only(self) -> None:
        """Drop what a claims-only gold file does not label: actors, meetings, articles."""
        for t in ("actors", "meetings"):
            self.counts[t] = Counts()
            self.listing.matched[t] = []
            self.listing.missed[t] = []
            self.listing.spurious[t] = []
        self.tallies = {k: v for k, v in self.tallies.items() if k.startswith("claims.")}

    @property
    def headline_f1(self) -> float | None:
        if self.claims_only:
            return None
        c = self.counts
        return sum(prf(c[t].tp, c[t].fp, c[t].fn)["f1"] for t in RECORD_TYPES) / 3

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"language": self.language, "invalid": self.invalid}
        if self.claims_only:
            out["scope"] = self.scope
        out["headline_f1"] = self.headline_f1
        for t in RECORD_TYPES:
            c = self.counts[t]
            scored = t == "claims" or not self.claims_only
            out[t] = {
                "tp": c.tp,
                "fp": c.fp,
                "fn": c.fn,
                **(prf(c.tp, c.fp, c.fn) if scored else _NO_RATES),
                "matched": self.listing.matched[t],
                "missed": self.listing.missed[t],
                "spurious": self.listing.spurious[t],
            }
        out["claims"]["attributed_tp"] = self.attributed_tp
        out["articles"] = self.articles
        out["tallies"] = {k: {"hits": v.hits, "n": v.n} for k, v in sorted(self.tallies.items())}
        out["grounding"] = {"hits": self.grounding.hits, "n": self.grounding.n}
        return out


_NO_RATES: dict[str, float | None] = {"precision": None, "recall": None, "f1": None}


def _grounding(pred_articles: list[Article], index: TextIndex) -> Tally:
    """Share of predicted evidences and actor names/aliases found in the input."""
    tally = Tally()
    for art in pred_articles:
        for actor in art.actors:
            for form in [actor.name, *actor.aliases]:
                tally.add(index.contains(form))
        for evidence in [c.evidence for c in art.claims] + [m.evidence for m in art.meetings]:
            tally.add(index.contains(evidence))
    return tally


def _metadata(doc: DocScore, pred: Article | None, gold: Article) -> None:
    """Title/published/outlet agreement of the gold main article and its paired prediction."""
    agree = {
        "title": pred is not None and text_agrees(pred.title, gold.title),
        "published": pred is not None and pred.published == gold.published,
        "outlet": pred is not None and text_agrees(pred.outlet, gold.outlet),
    }
    for name, ok in agree.items():
        doc.tallies.setdefault(f"articles.{name}", Tally()).add(ok)


def score_document(gold: Document, pred: Document | None, text: str) -> DocScore:
    """Score one input: pair articles, then records inside each pair.

    `pred` None (extraction failed, or the file did not validate) counts as an
    invalid output and is scored as an empty prediction, as the spec requires.
    """
    pred_articles = list(pred.articles) if pred is not None else []
    gold_articles = list(gold.articles)
    index = TextIndex(text)
    doc = DocScore(gold.id, gold.language or "?", pred is None, gold_scope(gold))

    grid = [
        [
            score_article_pair(p, g, index, pronoun_actors(gold, j))
            for j, g in enumerate(gold_articles)
        ]
        for p in pred_articles
    ]
    matched = [
        [s.counts["claims"].tp if doc.claims_only else s.matched_records for s in row]
        for row in grid
    ]
    matrix = np.array(matched, dtype=np.int64)
    pairs = pair_articles(matrix.reshape(len(pred_articles), len(gold_articles)))
    for p, g in pairs:
        doc.absorb(grid[p][g])
    _absorb_unpaired(doc, pred_articles, gold_articles, pairs)

    main_pred = next((pred_articles[p] for p, g in pairs if g == 0), None)
    if gold_articles and not doc.claims_only:
        _metadata(doc, main_pred, gold_articles[0])
    if doc.claims_only:
        doc.keep_claims_only()
    doc.articles = {
        "gold": len(gold_articles),
        "predicted": len(pred_articles),
        "paired": len(pairs),
        "pairs": [[p, g] for p, g in pairs],
    }
    doc.grounding = _grounding(pred_articles, index)
    return doc


def _absorb_unpaired(
    doc: DocScore, preds: list[Article], golds: list[Article], pairs: list[tuple[int, int]]
) -> None:
    """Records of unpaired articles: every predicted one is FP, every gold one FN."""
    paired_p = {p for p, _ in pairs}
    paired_g = {g for _, g in pairs}
    for i, art in enumerate(preds):
        if i not in paired_p:
            for t, n in _count_records(art).items():
                doc.counts[t].fp += n
            for t, labels in _article_listing(art).items():
                doc.listing.spurious[t].extend(labels)
    for j, art in enumerate(golds):
        if j not in paired_g:
            for t, n in _count_records(art).items():
                doc.counts[t].fn += n
            for t, labels in _article_listing(art).items():
                doc.listing.missed[t].extend(labels)


# --------------------------------------------------------------------------- corpus
def _sum_counts(docs: list[dict[str, Any]], kind: str) -> Counts:
    total = Counts()
    for d in docs:
        total.add(Counts(d[kind]["tp"], d[kind]["fp"], d[kind]["fn"]))
    return total


def _pooled_tallies(docs: list[dict[str, Any]]) -> dict[str, Tally]:
    pooled: dict[str, Tally] = {}
    for d in docs:
        for name, t in d["tallies"].items():
            mine = pooled.setdefault(name, Tally())
            mine.hits += t["hits"]
            mine.n += t["n"]
    return pooled


def is_claims_only(entry: dict[str, Any]) -> bool:
    """Whether a `per_document` entry comes from a claims-only gold file."""
    return entry.get("scope") == CLAIMS_ONLY


def headline(docs: list[dict[str, Any]]) -> float | None:
    """Headline F1 of `per_document` entries: over the full-scope ones, None without any."""
    full = [d for d in docs if not is_claims_only(d)]
    if not full:
        return None
    f1s = [prf(c.tp, c.fp, c.fn)["f1"] for c in (_sum_counts(full, t) for t in RECORD_TYPES)]
    return sum(f1s) / 3


def aggregate(docs: list[dict[str, Any]]) -> dict[str, Any]:
    """Corpus figures from `per_document` entries (micro-averaged by pooling counts).

    Claims pool every document; actors, meetings, articles and the headline pool the
    full-scope ones only (module docstring, "Claims-only gold").
    """
    tallies = _pooled_tallies(docs)
    full = [d for d in docs if not is_claims_only(d)]

    def acc(name: str) -> float | None:
        return tallies.get(name, Tally()).mean()

    out: dict[str, Any] = {}
    for t in RECORD_TYPES:
        pool = docs if t == "claims" else full
        c = _sum_counts(pool, t)
        rates = prf(c.tp, c.fp, c.fn) if pool else _NO_RATES
        out[t] = {"tp": c.tp, "fp": c.fp, "fn": c.fn, **rates}
    out["headline_f1"] = headline(docs)
    out["actors"].update({f"{f}_acc": acc(f"actors.{f}") for f in ACTOR_FIELDS})
    claims = out["claims"]
    att = sum(d["claims"]["attributed_tp"] for d in docs)
    att_prf = prf(att, claims["tp"] + claims["fp"] - att, claims["tp"] + claims["fn"] - att)
    claims.update({"attributed_tp": att, **{f"attributed_{k}": v for k, v in att_prf.items()}})
    claims["quote_acc"] = acc("claims.quote")
    meetings = out["meetings"]
    meetings.update({f"{f}_acc": acc(f"meetings.{f}") for f in MEETING_FIELDS[:-1]})
    meetings["mediators_f1"] = acc("meetings.mediators_f1")
    out["articles"] = {
        k: sum(d.get("articles", {}).get(k, 0) for d in full)
        for k in ("gold", "predicted", "paired")
    }
    out["articles"].update({f"{f}_acc": acc(f"articles.{f}") for f in ARTICLE_FIELDS})
    ground = Tally(
        sum(d["grounding"]["hits"] for d in docs), sum(d["grounding"]["n"] for d in docs)
    )
    out["grounding_rate"] = ground.mean()
    out["invalid_rate"] = sum(d["invalid"] for d in docs) / len(docs) if docs else None
    out["n_documents"] = len(docs)
    if len(full) < len(docs):
        out["scope"] = {"full": len(full), CLAIMS_ONLY: len(docs) - len(full)}
    return {"headline_f1": out.pop("headline_f1"), **out}


def score_corpus(cases: Sequence[Case]) -> dict[str, Any]:
    """Score (gold, prediction, input text) cases: overall, per language, per document."""
    per_doc: dict[str, dict[str, Any]] = {}
    for case in cases:
        score = score_document(case.gold, case.pred, case.text)
        if score.doc_id in per_doc:
            raise ValueError(f"duplicate document id {score.doc_id!r}")
        per_doc[score.doc_id] = score.to_dict()
    docs = list(per_doc.values())
    out = aggregate(docs)
    languages = sorted({d["language"] for d in docs})
    out["by_language"] = {
        lang: aggregate([d for d in docs if d["language"] == lang]) for lang in languages
    }
    out["per_document"] = per_doc
    return out
