"""Score predicted records against hand-labeled gold (RECORDS.md §3).

Predictions and gold are the library's own records (`extractor.models`): a
prediction that does not validate is an invalid output, scored as empty (§3). The
text finder is the grounder's (`extractor.text.grounding.TextIndex`), so the scorer and
the extractor agree on what "the same text" is. Nothing here loads LLM code.

Flow: `score_document` pairs the articles of one input, pairs records inside each
article pair and returns a `DocScore` holding raw counts and tallies. Counts, not
ratios, are what get stored per document, because micro averages, per-language
figures and the bootstrap all need to re-pool them.

The numbers are pooled as in `evals.counts` (0/0 ratios, null accuracies) and the
records paired as in `evals.pairing` (thresholds, affiliations, free text).

Claims-only gold (RECORDS.md §3; `"scope": "claims-only"`, e.g. the PolNeAR sets,
where only attributions were labeled and actors are just the sources' strings):

* Such a document adds claim counts, attributed claims and quote accuracy, and
  nothing else: its actor and meeting counts and tallies, and its article figures
  (counts, title/published/outlet), are dropped, so they are in no overall or
  per-language figure. Its articles are paired on matched claims alone, since its
  other records are not exhaustive.
* Its claims are read one per sentence, as RECORDS.md §2 labels them
  (`evals.conventions.sentence_claims`); `claims_as_labeled` keeps the counts against
  the file as converted (one claim per labeled relation), per document and pooled.
* Its actors are source strings without coreference ("Trump", "Mr. Trump"), so a
  matched claim is attributed when a predicted speaker bears the name of a gold
  source (the actor similarity and threshold, punctuation read as space), not through
  the one-to-one actor pairing, which would let one person stand for one string only. Grounding and
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

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from extractor.models import Actor, Article, Claim, Document
from extractor.text.grounding import TextIndex

from .conventions import sentence_claims
from .counts import (
    RECORD_TYPES,
    ArticleScore,
    Counts,
    Listing,
    Tally,
    per_type,
    prf,
)
from .gold import CLAIMS_ONLY, Case, Scope, gold_scope, pronoun_actors
from .pairing import ArticlePair, actor_name, brief, pair_articles, participants_label, text_agrees

# Tally names: "<type>.<field>" accuracies over matched pairs, plus article metadata.
ACTOR_FIELDS = ("kind", "role", "affiliation", "anonymous")
MEETING_FIELDS = ("status", "format", "date", "location", "mediators_f1")
ARTICLE_FIELDS = ("title", "published", "outlet")


def score_article_pair(
    pred: Article,
    gold: Article,
    index: TextIndex,
    pronouns: frozenset[str] = frozenset(),
    claims_only: bool = False,
) -> ArticleScore:
    """Score one predicted article against one gold article of the same input.

    `pronouns` are the gold article's pronoun actor ids, `claims_only` says the gold
    is claims-only (see the module docstring).
    """
    return ArticlePair(pred, gold, index, pronouns, claims_only).score()


# --------------------------------------------------------------------------- documents


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
        "actors": [actor_name(a) for a in article.actors],
        "claims": [brief(c.evidence) for c in article.claims],
        "meetings": [participants_label(m, actors) for m in article.meetings],
    }


@dataclass
class DocScore:
    """Raw per-document result; `to_dict` is the `per_document` entry of a corpus score."""

    doc_id: str
    language: str
    invalid: bool
    scope: Scope = "full"
    counts: dict[str, Counts] = field(default_factory=lambda: per_type(Counts))
    attributed_tp: int = 0
    tallies: dict[str, Tally] = field(default_factory=dict)
    articles: dict[str, Any] = field(default_factory=dict)
    grounding: Tally = field(default_factory=Tally)
    listing: Listing[dict[str, Any]] = field(default_factory=Listing)
    as_labeled: dict[str, int] | None = None  # claims-only: against the gold as converted

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
        if self.as_labeled is not None:
            out["claims_as_labeled"] = self.as_labeled
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
    labeled = list(gold.articles)
    index = TextIndex(text)
    doc = DocScore(gold.id, gold.language or "?", pred is None, gold_scope(gold))
    gold_articles = labeled
    if doc.claims_only:
        if len(labeled) == 1 and len(pred_articles) > 1:
            pred_articles = [one_article(pred_articles)]
        gold_articles = [sentence_claims(a, text) for a in labeled]

    def grid_of(golds: list[Article]) -> list[list[ArticleScore]]:
        return [
            [
                score_article_pair(p, g, index, pronoun_actors(gold, j), doc.claims_only)
                for j, g in enumerate(golds)
            ]
            for p in pred_articles
        ]

    grid = grid_of(gold_articles)
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
        doc.as_labeled = _as_labeled(grid_of(labeled), pairs, pred_articles, labeled)
    doc.articles = {
        "gold": len(gold_articles),
        "predicted": len(pred_articles),
        "paired": len(pairs),
        "pairs": [[p, g] for p, g in pairs],
    }
    doc.grounding = _grounding(pred_articles, index)
    return doc


def _as_labeled(
    grid: list[list[ArticleScore]],
    pairs: list[tuple[int, int]],
    preds: list[Article],
    golds: list[Article],
) -> dict[str, int]:
    """Claim counts against claims-only gold as converted, before `sentence_claims`."""
    tp = fp = fn = attributed = 0
    for p, g in pairs:
        c = grid[p][g].counts["claims"]
        tp, fp, fn = tp + c.tp, fp + c.fp, fn + c.fn
        attributed += grid[p][g].attributed_tp
    fp += sum(len(a.claims) for i, a in enumerate(preds) if i not in {p for p, _ in pairs})
    fn += sum(len(a.claims) for j, a in enumerate(golds) if j not in {g for _, g in pairs})
    return {"tp": tp, "fp": fp, "fn": fn, "attributed_tp": attributed}


def one_article(articles: list[Article]) -> Article:
    """A prediction's articles read as one, for claims-only gold that labels no items.

    A claims-only gold file (PolNeAR) holds its whole input as one article because its
    labels are attributions, not items: a live blog split into its entries is not
    wrong there, and its entries' claims must still meet the gold's. Actor ids of the
    later articles get the article's number, so each claim keeps its own speakers.
    """
    actors: list[Actor] = []
    claims: list[Claim] = []
    for k, article in enumerate(articles):
        ids = {a.id: a.id if k == 0 else f"{a.id}~{k}" for a in article.actors}
        actors += [a.model_copy(update={"id": ids[a.id]}) for a in article.actors]
        claims += [
            c.model_copy(update={"speakers": [ids.get(s, s) for s in c.speakers]})
            for c in article.claims
        ]
    return articles[0].model_copy(update={"actors": actors, "claims": claims, "meetings": []})


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
    labeled = [d["claims_as_labeled"] for d in docs if "claims_as_labeled" in d]
    if labeled:
        out["claims_as_labeled"] = _labeled_rates(labeled)
    if len(full) < len(docs):
        out["scope"] = {"full": len(full), CLAIMS_ONLY: len(docs) - len(full)}
    return {"headline_f1": out.pop("headline_f1"), **out}


def _labeled_rates(entries: list[dict[str, int]]) -> dict[str, Any]:
    """Claim and attributed-claim figures of claims-only documents against their gold as
    converted (one claim per labeled relation), beside the sentence-claim reading."""
    tp, fp, fn, att = (sum(e[k] for e in entries) for k in ("tp", "fp", "fn", "attributed_tp"))
    att_prf = prf(att, tp + fp - att, tp + fn - att)
    return {
        "tp": tp,
        "fp": fp,
        "fn": fn,
        **prf(tp, fp, fn),
        "attributed_tp": att,
        **{f"attributed_{k}": v for k, v in att_prf.items()},
    }


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
