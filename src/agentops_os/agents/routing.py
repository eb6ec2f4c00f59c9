"""Route a task to the best-fit agent: TF-IDF over stemmed words, word pairs, the words inside
compound identifiers ("KubePodCrashLooping", "not_null") and character n-grams, and a
logistic regression trained on agent descriptions, their `examples:`, and past routing
outcomes (`.agents/runs/routing/*.jsonl`). Each answer names the runner-up and the margin.

A built-in background class ("none"), learned from everyday requests that no engineering
agent should take (`data/routing/background.txt`), lets the router abstain; so does a top
probability below `route.min_confidence`. A query without any content word is bad input.

The trained model is cached under `.agents/.index/` keyed by a hash of everything it was
trained on (agent files, history, settings, this module's version), so editing an agent
rebuilds it on the next call and a stale model is never used. The cache is never the only
copy of anything: delete it and it is rebuilt.

scikit-learn is imported only when a model is built or loaded.
"""

from __future__ import annotations

import contextlib
import hashlib
import math
import os
import time
from array import array
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from agentops_os.agents.catalog import Catalog, Entry, load_catalog, sources
from agentops_os.agents.text import identifier_parts, surface_words, terms
from agentops_os.errors import FatalError
from agentops_os.repo import AGENTS_DIR, INDEX_DIR

CACHE_DIR = Path(AGENTS_DIR) / INDEX_DIR  # the model and its warm-start memo
STAMP_FILE = "routing-stamp.json"
MODEL_VERSION = "route-v5"  # v5: identifier parts, larger background, 10 epochs
NONE = "none"
HISTORY_KIND = "runs/routing"


def analyze(text: str) -> list[str]:
    """Features of a text: stemmed content words, adjacent word pairs, and the words inside
    compound identifiers ("KubePodCrashLooping", "not_null", "values.yaml") that are not
    already words of the text."""
    words = terms(text)
    seen = set(words)
    parts = [part for part in identifier_parts(text) if part not in seen]
    return words + [f"{a} {b}" for a, b in zip(words, words[1:], strict=False)] + parts


@dataclass
class Sample:
    text: str
    label: str
    source: str  # "description", "name", "example", "history", "background"


@dataclass
class Match:
    name: str
    score: float
    kind: str = "agent"
    path: str = ""
    words: list[tuple[str, float]] = field(default_factory=list)
    examples: list[tuple[str, float]] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "score": round(self.score, 4), "kind": self.kind, "path": self.path,
                "words": [{"term": t, "weight": round(w, 4)} for t, w in self.words],
                "examples": [{"text": t, "similarity": round(s, 4)} for t, s in self.examples]}


@dataclass
class RouteResult:
    task: str
    matches: list[Match]
    abstained: bool
    reason: str
    threshold: float
    model_key: str = ""
    runner_up: Match | None = None  # the second-best agent, whatever `top` is
    margin: float = 0.0  # best agent's score minus the runner-up's

    @property
    def best(self) -> Match | None:
        return None if self.abstained or not self.matches else self.matches[0]

    def to_json(self) -> dict[str, Any]:
        return {"task": self.task, "agent": self.best.name if self.best else None,
                "abstained": self.abstained, "reason": self.reason, "threshold": self.threshold,
                "matches": [m.to_json() for m in self.matches], "model": self.model_key,
                "runner_up": self.runner_up.name if self.runner_up else None,
                "margin": round(self.margin, 4)}


# Package data read by path, not importlib.resources (~6 ms of imports on `ao prime`).
BACKGROUND = Path(__file__).resolve().parent.parent / "data" / "routing" / "background.txt"


def background_samples() -> list[Sample]:
    text = BACKGROUND.read_text("utf-8")
    lines = [line.strip() for line in text.splitlines()]
    return [Sample(line, NONE, "background") for line in lines if line and not line.startswith("#")]


def entry_samples(entry: Entry) -> list[Sample]:
    samples = [Sample(entry.description, entry.name, "description"),
               Sample(entry.name.replace("-", " "), entry.name, "name")]
    samples += [Sample(example, entry.name, "example") for example in entry.examples]
    return samples


def char_grams(text: str, low: int = 3, high: int = 5) -> list[str]:
    """Character 3-5-grams inside each word, padded with a space at both ends (like
    scikit-learn's "char_wb"; ours so that routing needs no scikit-learn at query time)."""
    grams: list[str] = []
    for word in text.lower().split():
        padded = f" {word} "
        size = len(padded)
        for n in range(low, high + 1):
            if size <= n:
                grams.append(padded)  # a short word counts once
                break
            grams.extend(padded[i : i + n] for i in range(size - n + 1))
    return grams


class RoutingModel:
    """A trained router: vocabularies, IDF weights and linear weights as plain arrays, plus
    the training texts (for --explain).

    Training uses scikit-learn (TF-IDF and SGD logistic regression); the fitted numbers are
    then kept in standard-library `array`s, so a cached model loads and routes without
    importing scikit-learn (about a second) or even numpy (about 0.25 s): `ao prime`
    routes on every call and has 150 ms in all.
    """

    def __init__(self, samples: list[Sample], key: str = "", info: dict[str, Any] | None = None,
                 alpha: float = 1e-5, epochs: int = 10) -> None:
        from scipy.sparse import hstack
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import SGDClassifier

        started = time.perf_counter()
        self.key = key
        self.info = info or {}
        self.samples = samples
        labels = sorted({s.label for s in samples})
        if len([label for label in labels if label != NONE]) < 1:
            raise FatalError("no agents to route to: add .claude/agents/*.md (or `ao profile install`)")
        texts = [s.text for s in samples]
        # Words (stemmed, with pairs) carry the meaning; character 3-5-grams inside words
        # catch spellings and compounds the examples never used ("dockerignore", "k8s").
        words = TfidfVectorizer(analyzer=analyze, sublinear_tf=True)
        chars = TfidfVectorizer(analyzer=char_grams, sublinear_tf=True, min_df=2)
        matrix = hstack([words.fit_transform(texts), chars.fit_transform(texts)], format="csr")
        # Logistic loss by SGD: probabilities for abstention, and a fit in well under a
        # second (lbfgs/saga needed 2-5 s on these features). Balanced weights: the
        # background class has more samples than any one agent. Fixed seed: deterministic.
        classifier = SGDClassifier(loss="log_loss", alpha=alpha, max_iter=epochs, tol=None,
                                   class_weight="balanced", random_state=0)
        import warnings

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            classifier.fit(matrix, [s.label for s in samples])
        self.labels = [str(label) for label in classifier.classes_]
        self.word_vocabulary: dict[str, int] = {str(k): int(v) for k, v in words.vocabulary_.items()}
        self.char_vocabulary: dict[str, int] = {str(k): int(v) for k, v in chars.vocabulary_.items()}
        self.word_idf = array("d", words.idf_.tolist())
        self.char_idf = array("d", chars.idf_.tolist())
        self.n_words = len(self.word_vocabulary)
        # Linear weights, feature-major and flat: row f holds the `n_columns` class weights.
        self.n_columns = int(classifier.coef_.shape[0])
        self.coef_t = array("d", classifier.coef_.T.ravel().tolist())
        self.intercept = [float(v) for v in classifier.intercept_]
        self.features = [""] * self.n_words
        for term, index in self.word_vocabulary.items():
            self.features[index] = term
        self._reference = (words, chars, classifier)  # for tests; never pickled
        self.build_seconds = time.perf_counter() - started

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        state.pop("_reference", None)
        return state

    def has_content(self, task: str) -> bool:
        return bool(terms(task))

    def probabilities(self, task: str) -> Any:
        """scikit-learn's own answer for `task` (fresh models only): the reference `scores`
        must equal."""
        from scipy.sparse import hstack

        words, chars, classifier = self.__dict__["_reference"]
        vector = hstack([words.transform([task]), chars.transform([task])], format="csr")
        return classifier.predict_proba(vector)[0]

    def _block(self, terms_: list[str], vocabulary: dict[str, int],
               idf: Any) -> tuple[list[int], list[float]]:
        """(feature indices, sublinear-TF x IDF values, L2-normalised) of one feature block."""
        tf: dict[int, int] = {}
        for term in terms_:
            index = vocabulary.get(term)
            if index is not None:
                tf[index] = tf.get(index, 0) + 1
        idx = list(tf)
        values = [(1.0 + math.log(count)) * idf[i] for i, count in tf.items()]
        norm = math.sqrt(sum(v * v for v in values)) or 1.0
        return idx, [v / norm for v in values]

    def _row(self, feature: int) -> Any:
        start = feature * self.n_columns
        return self.coef_t[start:start + self.n_columns]

    def scores(self, task: str) -> tuple[int, int, Any]:
        """(known words, known features, class probabilities) of a task.

        The arithmetic of TfidfVectorizer.transform + SGDClassifier.predict_proba
        (sublinear TF x IDF, L2 per block, linear scores, one-vs-rest logistic normalised),
        without scikit-learn or its per-call validation: warm routing takes well under 1 ms.
        """
        w_idx, w_val = self._block(analyze(task), self.word_vocabulary, self.word_idf)
        c_idx, c_val = self._block(char_grams(task), self.char_vocabulary, self.char_idf)
        decision = list(self.intercept)
        for features, values, offset in ((w_idx, w_val, 0), (c_idx, c_val, self.n_words)):
            for feature, value in zip(features, values, strict=True):
                for column, weight in enumerate(self._row(feature + offset)):
                    decision[column] += value * weight
        probs = [1.0 / (1.0 + math.exp(-max(-700.0, min(700.0, d)))) for d in decision]
        if len(probs) == 1:  # two classes: one column of weights, for the second class
            probs = [1.0 - probs[0], probs[0]]
        else:
            total = sum(probs)
            probs = [p / total for p in probs]
        return len(w_idx), len(w_idx) + len(c_idx), probs

    def rank(self, task: str, top: int = 3, *, threshold: float = 0.0,
             explain: bool = False) -> tuple[list[Match], bool, str]:
        """(matches best first, abstained?, reason). Agents only; the none class never shows."""
        matches, abstained, reason, _ = self.rank_with_runner_up(task, top, threshold=threshold,
                                                                 explain=explain)
        return matches, abstained, reason

    def rank_with_runner_up(self, task: str, top: int = 3, *, threshold: float = 0.0,
                            explain: bool = False) -> tuple[list[Match], bool, str, Match | None]:
        """`rank`, plus the second-best agent (even when `top` is 1); the reason names it and
        the margin by which the best agent beat it."""
        known_words, known, probs = self.scores(task)
        order = sorted(range(len(self.labels)), key=lambda i: -probs[i])
        ranked = [Match(self.labels[i], float(probs[i])) for i in order if self.labels[i] != NONE]
        matches = ranked[:top]
        runner_up = ranked[1] if len(ranked) > 1 else None
        best_label, best_p = self.labels[order[0]], float(probs[order[0]])
        if known == 0 or (known_words == 0 and task.isascii()):
            # Nothing known at all; or, for a Latin-script task, no known word (character
            # n-grams alone then only match by accident). Other scripts have no spaces
            # to split words on, so their character n-grams must carry them.
            abstained, reason = True, "no word of the task is known to any agent"
        elif best_label == NONE:
            abstained, reason = True, f"looks out of scope (background {best_p:.2f})"
        elif best_p < threshold:
            abstained, reason = True, f"best score {best_p:.2f} is below the threshold {threshold:.2f}"
        else:
            abstained, reason = False, f"score {best_p:.2f} >= threshold {threshold:.2f}"
            if runner_up is not None:
                reason += (f"; runner-up {runner_up.name} {runner_up.score:.2f}, "
                           f"margin {best_p - runner_up.score:.2f}")
        if explain:
            for match in matches:
                self._explain(match, task)
            if runner_up is not None and runner_up not in matches:
                self._explain(runner_up, task)
        return matches, abstained, reason, runner_up

    def _explain(self, match: Match, task: str, k: int = 5) -> None:
        column = self.labels.index(match.name)
        idx, values = self._block(analyze(task), self.word_vocabulary, self.word_idf)
        # Contribution of each task word to this agent's score, relative to the average
        # agent: what made it win, not what every agent shares.
        surface = surface_words(task)  # shown as the task wrote them: "image", not "imag"
        pairs = []
        for feature, value in zip(idx, values, strict=True):
            row = self._row(feature)
            if self.n_columns == 1:  # two classes: one weight column, for the second label
                contribution = value * (row[0] if column == 1 else -row[0])
            else:
                contribution = value * (row[column] - sum(row) / len(row))
            if contribution > 0:
                term = " ".join(surface.get(word, word) for word in self.features[feature].split(" "))
                pairs.append((term, float(contribution)))
        match.words = sorted(pairs, key=lambda p: -p[1])[:k]
        query = dict(zip(idx, values, strict=True))
        similar = []
        for sample in self.samples:
            if sample.label != match.name:
                continue
            s_idx, s_val = self._block(analyze(sample.text), self.word_vocabulary, self.word_idf)
            sim = float(sum(v * query.get(int(i), 0.0) for i, v in zip(s_idx, s_val, strict=True)))
            if sim > 0:
                similar.append((sample.text, sim))
        match.examples = sorted(similar, key=lambda p: -p[1])[:3]


# -- training data, cache and the one public entry point -----------------------------------

def history_dir(root: Path) -> Path:
    """Where `record_outcome` logs go (one JSONL file per writer)."""
    return root / AGENTS_DIR / HISTORY_KIND


def history_samples(root: Path, agents: set[str], errors: list[str] | None = None) -> list[Sample]:
    """Past outcomes recorded with `record_outcome`: successes teach the router."""
    from agentops_os.store import Store

    directory = history_dir(root)
    if not directory.is_dir():
        return []
    store = Store(root)
    out: list[Sample] = []
    for path in sorted(directory.glob("*.jsonl")):
        for record in store.read_log(HISTORY_KIND, path.stem, errors):
            task, agent = record.get("task"), record.get("agent")
            if record.get("outcome") == "success" and isinstance(task, str) and agent in agents:
                out.append(Sample(task, str(agent), "history"))
    return out


def _history_digest(root: Path) -> str:
    digest = hashlib.sha256()
    directory = history_dir(root)
    if directory.is_dir():
        for path in sorted(directory.glob("*.jsonl")):
            digest.update(path.name.encode() + b"\0" + hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def model_key(catalog: Catalog, kinds: list[str], history: str, settings: dict[str, Any]) -> str:
    digest = hashlib.sha256()
    digest.update(MODEL_VERSION.encode())
    digest.update(catalog.fingerprint(kinds).encode())
    digest.update(history.encode())
    digest.update(repr(sorted(settings.items())).encode())
    bg = BACKGROUND.read_bytes()
    digest.update(hashlib.sha256(bg).digest())
    return digest.hexdigest()[:16]


Where = dict[str, tuple[str, str]]  # agent name -> (kind, path)


@dataclass
class Router:
    model: RoutingModel
    entries: Where
    threshold: float
    top: int
    errors: list[str]
    rebuilt: bool

    def route(self, task: str, top: int | None = None, explain: bool = False) -> RouteResult:
        check_task(task)
        matches, abstained, reason, runner_up = self.model.rank_with_runner_up(
            task, top or self.top, threshold=self.threshold, explain=explain)
        for match in [*matches, *([runner_up] if runner_up else [])]:
            where = self.entries.get(match.name)
            if where is not None:
                match.kind, match.path = where
        margin = matches[0].score - runner_up.score if matches and runner_up else 0.0
        return RouteResult(task, matches, abstained, reason, self.threshold, self.model.key,
                           runner_up, margin)


def check_task(task: str) -> None:
    """Refuse an empty or stopword-only task (exit 2) before any model is loaded."""
    if not terms(task):
        raise FatalError("empty task: give a task with at least one content word "
                         "(e.g. ao route \"fix the flaky CI job\")")


def files_stamp(root: Path, kinds: list[str], include_user: bool, use_history: bool) -> str:
    """Path, mtime and size of every file the catalog and the routing history would read,
    with the settings that shape the model: what a warm start checks instead of parsing
    each agent file (which costs a YAML import, ~15 ms of every `ao prime`)."""
    digest = hashlib.sha256(f"{MODEL_VERSION}\0{kinds}\0{include_user}\0{use_history}\n".encode())
    wanted = set(kinds)
    listed = [(directory, pattern) for kind, _, directory, pattern in sources(root, include_user)
              if kind in wanted]
    if use_history:
        listed.append((history_dir(root), "*.jsonl"))
    listed.append((BACKGROUND.parent, BACKGROUND.name))
    for number, (directory, pattern) in enumerate(listed):
        if not directory.is_dir():
            continue
        # Named relative to their directory: `root` may be given as "." or as a full path.
        for path in sorted(directory.glob(pattern)):
            with contextlib.suppress(OSError):
                st = path.stat()
                digest.update(f"{number}\0{path.relative_to(directory)}\0{st.st_mtime_ns}\0{st.st_size}\n"
                              .encode())
    return digest.hexdigest()


def _warm_start(root: Path, stamp: str) -> tuple[RoutingModel, Where, list[str]] | None:
    """The cached model, agents and catalog errors, if no file they came from has changed.
    Agent paths are kept relative to the repo (user-level ones in full) and joined to `root`
    as given, so they read as a cold start's would."""
    import json
    import pickle

    with contextlib.suppress(Exception):  # a missing, stale or corrupt memo: the cold path
        index_dir = root / CACHE_DIR
        memo = json.loads((index_dir / STAMP_FILE).read_text(encoding="utf-8"))
        if memo["stamp"] != stamp:
            return None
        with (index_dir / f"routing-{memo['key']}.pkl").open("rb") as handle:
            model = pickle.load(handle)
        if isinstance(model, RoutingModel) and model.key == memo["key"]:
            where = {str(name): (str(kind), str(root / path))
                     for name, (kind, path) in memo["entries"].items()}
            return model, where, [str(error) for error in memo["errors"]]
    return None


def _remember(root: Path, stamp: str, key: str, entries: dict[str, Entry], errors: list[str]) -> None:
    import json

    from agentops_os.store.atomic import write_atomic

    where = {}
    for name, entry in entries.items():
        path = entry.path
        with contextlib.suppress(ValueError):
            path = path.relative_to(root)
        where[name] = (entry.kind, str(path))
    memo = {"stamp": stamp, "key": key, "entries": where, "errors": errors}
    with contextlib.suppress(OSError):  # a read-only checkout still routes, just slower
        write_atomic(root / CACHE_DIR / STAMP_FILE, json.dumps(memo).encode())


def load_router(root: Path, *, use_cache: bool = True) -> Router:
    """The router for this repo: the cached model when no agent file, history file or
    setting changed (checked by file stats), else by content key, else a fresh build."""
    from agentops_os.config import load_config

    config = load_config(root)
    kinds = list(config.get("route.kinds"))
    include_user = bool(config.get("agents.include_user"))
    use_history = bool(config.get("route.use_history"))
    stamp = files_stamp(root, kinds, include_user, use_history)
    warm = _warm_start(root, stamp) if use_cache else None
    if warm is not None:
        return Router(warm[0], warm[1], float(config.get("route.min_confidence")),
                      int(config.get("route.top")), warm[2], False)
    catalog = load_catalog(root, include_user=include_user, kinds=kinds)
    entries = {e.name: e for e in catalog.of_kind(*kinds) if e.description}
    history = _history_digest(root) if use_history else ""
    key = model_key(catalog, kinds, history, {"kinds": kinds, "history": use_history})
    cache = root / CACHE_DIR / f"routing-{key}.pkl"
    model: RoutingModel | None = None
    if use_cache and cache.exists():
        import pickle

        with contextlib.suppress(Exception):  # a corrupt or foreign cache is just rebuilt
            with cache.open("rb") as handle:
                loaded = pickle.load(handle)
            if isinstance(loaded, RoutingModel) and loaded.key == key:
                model = loaded
    rebuilt = model is None
    errors = list(catalog.errors)
    if model is None and not entries:
        # Said before training: building would import scikit-learn (seconds) only to fail.
        raise FatalError("no agents to route to: add .claude/agents/*.md (or `ao profile install`)")
    if model is None:
        samples = [s for e in entries.values() for s in entry_samples(e)]
        if use_history:
            samples += history_samples(root, set(entries), errors)
        samples += background_samples()
        model = RoutingModel(samples, key, {"agents": len(entries), "samples": len(samples)})
        _save(cache, model)
    if use_cache:
        _remember(root, stamp, key, entries, errors)
    where = {name: (entry.kind, str(entry.path)) for name, entry in entries.items()}
    return Router(model, where, float(config.get("route.min_confidence")),
                  int(config.get("route.top")), errors, rebuilt)


def _save(cache: Path, model: RoutingModel) -> None:
    import pickle

    from agentops_os.store.atomic import write_atomic

    cache.parent.mkdir(parents=True, exist_ok=True)
    for old in cache.parent.glob("routing-*.pkl"):
        with contextlib.suppress(OSError):
            old.unlink()
    with contextlib.suppress(OSError):  # a read-only checkout still routes, just slower
        write_atomic(cache, pickle.dumps(model, protocol=pickle.HIGHEST_PROTOCOL))


def route(root: Path, task: str, top: int = 3, *, explain: bool = False) -> RouteResult:
    """Rank agents for `task` (what `ao route`, `ao prime` and workflows call).

    Raises FatalError (exit 2) for an empty or stopword-only task; check `.abstained`.
    """
    check_task(task)
    return load_router(Path(root)).route(task, top, explain=explain)


def record_outcome(root: Path, task: str, agent: str, outcome: str = "success",
                   source: str = "feedback") -> Path:
    """Remember that `agent` handled `task` (outcome success|failure); trains the router."""
    from agentops_os.store import Store

    if outcome not in ("success", "failure"):
        raise FatalError(f"outcome must be success or failure, not {outcome!r}")
    import socket

    writer = f"{os.environ.get('USER') or 'user'}@{socket.gethostname().split('.')[0]}"
    name = "".join(ch if ch.isalnum() or ch in "._@-" else "-" for ch in writer)
    return Store.open(Path(root)).append(HISTORY_KIND, name, {
        "task": task, "agent": agent, "outcome": outcome, "source": source,
        "at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    })
