"""Against a real Label Studio server on 127.0.0.1: push a tiny model's predictions, correct
them through the API as an annotator would, pull, retrain, and gate.

The story: model v001 was trained on a poor labeller's output with three systematic errors (the
year opening 总体情况 tagged as a QTY; the channel 政府网站 inside the first ITEM; the
reconsideration-case count `收到行政复议案件三起` never tagged). An annotator corrects its
predictions — moves boundaries, deletes false figures, adds the missed ones, sets fields the rule
layer left empty — and skips one report. Retraining on the corrections plus a small correct gold
must find the added figure and pass the gate; a candidate made worse on purpose must be refused.
"""
from __future__ import annotations

import os
import random
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner

from extraction.annotate.convert import sha256_text
from tiny_figures import CASE_ITEM, report, tiny_args, tiny_base, write_gold

pytestmark = pytest.mark.labelstudio

# Unique per run, so a server that is reused (XXGK_TEST_LABEL_STUDIO_URL) starts from nothing.
PROJECT = f"figures-test-{secrets.token_hex(4)}"


# --- a real server, one per test session ---------------------------------------------------

def _free_port() -> int:
    with socket.socket() as s:  # a busy port makes Label Studio silently move: pick a free one
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def label_studio(tmp_path_factory):
    """A fresh server (or, for quick reruns, one already running: set XXGK_TEST_LABEL_STUDIO_URL
    and XXGK_TEST_LABEL_STUDIO_TOKEN)."""
    pytest.importorskip("label_studio_sdk", reason="needs the annotate extra: pip install '.[annotate]'")
    if os.environ.get("XXGK_TEST_LABEL_STUDIO_URL"):
        yield {"url": os.environ["XXGK_TEST_LABEL_STUDIO_URL"],
               "token": os.environ["XXGK_TEST_LABEL_STUDIO_TOKEN"]}
        return
    exe = Path(sys.executable).parent / "label-studio"
    if not exe.exists():
        pytest.skip("needs the label-studio server: pip install '.[annotate]'")
    home = tmp_path_factory.mktemp("ls-home")
    port, token = _free_port(), secrets.token_hex(16)
    env = {k: v for k, v in os.environ.items()
           if k not in ("HOST", "PORT", "USERNAME", "PASSWORD", "USER_TOKEN")}
    env.update(HOME=str(home), LABEL_STUDIO_USERNAME="annotator@example.com",
               LABEL_STUDIO_PASSWORD=secrets.token_hex(8), LABEL_STUDIO_USER_TOKEN=token,
               LABEL_STUDIO_ENABLE_LEGACY_API_TOKEN="true",
               LABEL_STUDIO_DISABLE_SIGNUP_WITHOUT_LINK="true",
               LABEL_STUDIO_COLLECT_ANALYTICS="false", LABEL_STUDIO_LATEST_VERSION_CHECK="false",
               SENTRY_DSN="", FRONTEND_SENTRY_DSN="")
    log = open(home / "server.log", "wb")
    proc = subprocess.Popen([str(exe), "start", "--no-browser", "--internal-host", "127.0.0.1",
                             "--port", str(port), "--data-dir", str(home / "data")],
                            env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 600  # ~31 s on an idle machine; CI may be slower
    try:
        while True:
            if proc.poll() is not None:
                pytest.fail(f"Label Studio exited: {(home / 'server.log').read_text()[-2000:]}")
            try:
                with urllib.request.urlopen(url + "/health", timeout=5) as r:
                    if b'"UP"' in r.read():
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"Label Studio not up: {(home / 'server.log').read_text()[-2000:]}")
            time.sleep(1)
        yield {"url": url, "token": token}
    finally:
        proc.terminate()
        try:
            proc.wait(60)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


# --- the scenario --------------------------------------------------------------------------

def _overlaps(r, span):
    return r["value"]["start"] < span["end"] and span["start"] < r["value"]["end"]


def annotate_like_a_person(text: str, predicted: list[dict], truth: list[dict]):
    """Edit the model's result until it says what the text says: keep right regions, move the
    boundaries of near misses, delete false ones, add missed ones, set each QTY's field and link.
    Returns (result, what was done)."""
    regions = [dict(r, value=dict(r["value"])) for r in predicted if r["type"] == "labels"]
    fields = {r["id"]: r["value"]["choices"][0] for r in predicted if r["type"] == "choices"}
    done = {"kept": [], "moved": [], "deleted": [], "added": [], "field": []}
    result, rid, used = [], {}, set()
    for t in truth:
        near = [r for r in regions if r["id"] not in used and r["value"]["labels"] == [t["label"]]
                and _overlaps(r, t)]
        if t["text"] == CASE_ITEM or t["text"].endswith("起"):
            near = [r for r in near if (r["value"]["start"], r["value"]["end"]) ==
                    (t["start"], t["end"])]  # the case sentence: a person redraws any guess
        exact = [r for r in near if (r["value"]["start"], r["value"]["end"]) == (t["start"], t["end"])]
        where = (t["start"], t["end"])
        if exact:
            r = exact[0]
            done["kept"].append(where)
        elif near:
            r = near[0]
            done["moved"].append(((r["value"]["start"], r["value"]["end"]), where))
            r["value"].update(start=t["start"], end=t["end"], text=text[t["start"]:t["end"]])
        else:
            r = {"id": f"new{t['id']}", "from_name": "label", "to_name": "text", "type": "labels",
                 "value": {"start": t["start"], "end": t["end"], "text": t["text"],
                           "labels": [t["label"]]}}
            done["added"].append(where)
        used.add(r["id"])
        rid[t["id"]] = r["id"]
        result.append(r)
        if t["label"] == "QTY" and t.get("field"):
            if not r["id"].startswith("new") and fields.get(r["id"]) != t["field"]:
                done["field"].append((where, fields.get(r["id"]), t["field"]))
            result.append({"id": r["id"], "from_name": "field", "to_name": "text", "type": "choices",
                           "value": {**{k: r["value"][k] for k in ("start", "end", "text")},
                                     "choices": [t["field"]]}})
    done["deleted"] = [(r["value"]["start"], r["value"]["end"]) for r in regions if r["id"] not in used]
    for t in truth:
        if t["label"] == "QTY" and t.get("item") is not None:
            result.append({"type": "relation", "from_id": rid[t["id"]], "to_id": rid[t["item"]],
                           "direction": "right"})
    return result, done


@pytest.fixture(scope="module")
def world(label_studio, tmp_path_factory):
    """Gold, reports to push, an evaluation set, a registry with model v001 (the default)."""
    from extraction.cli import main  # noqa: F401  (imports the CLI once, outside timing)
    from training.retrain import RetrainSettings, retrain, train_fn_for

    # One torch thread: the tiny models then train the same way however busy the machine is
    # (the default follows the load average, and a tiny model is sensitive to summation order).
    threads = os.environ.get("XXGK_THREADS")
    os.environ["XXGK_THREADS"] = "1"
    tmp = tmp_path_factory.mktemp("annotate")
    rng = random.Random(3)
    silver = [report(rng, with_case=True, year_as_qty=True, channel_in_item=True, miss_case=True)
              for _ in range(40)]
    gold_docs = [report(rng) for _ in range(40)]
    to_push = [report(rng, with_case=True) for _ in range(5)]
    eval_set = [report(rng, with_case=True) for _ in range(8)]
    silver, silver_texts, _ = write_gold(tmp / "silver", "silver", silver, "s")
    gold, gold_texts, _ = write_gold(tmp / "gold", "gold", gold_docs, "g")
    _, _, pushed = write_gold(tmp / "push", "push", to_push, "p")
    eval_gold, eval_texts, _ = write_gold(tmp / "eval", "eval", eval_set, "e")
    base = tiny_base(tmp / "base", [t for t, _ in gold_docs + to_push + eval_set])
    # model v001: trained on a poor labeller's output (no annotations yet)
    first = retrain(RetrainSettings(annotations=tmp / "none", gold=silver, gold_texts=silver_texts,
                                    eval_gold=eval_gold, eval_texts=eval_texts,
                                    models_dir=tmp / "models"),
                    train_fn_for(tiny_args(base, steps=300)))
    assert first.promoted
    # later runs: people's annotations + a small correct gold
    settings = RetrainSettings(annotations=tmp / "annotations", gold=gold, gold_texts=gold_texts,
                               eval_gold=eval_gold, eval_texts=eval_texts,
                               models_dir=tmp / "models")
    yield {"tmp": tmp, "pushed": pushed, "settings": settings, "base": base, "truth": to_push,
            "env": {"LABEL_STUDIO_URL": label_studio["url"],
                    "LABEL_STUDIO_API_KEY": label_studio["token"]},
            "token": label_studio["token"], "v1": settings.models_dir / first.version}
    if threads is None:
        os.environ.pop("XXGK_THREADS", None)
    else:
        os.environ["XXGK_THREADS"] = threads


def _cli(world, *args):
    from extraction.cli import main
    r = CliRunner().invoke(main, list(map(str, args)), env=world["env"])
    assert world["token"] not in r.output  # never printed, not even in errors
    assert r.exit_code == 0, r.output
    return r.output


@pytest.fixture(scope="module")
def corrected(world):
    """Push, correct as an annotator would, pull; returns what was done, to check it landed."""
    from extraction.annotate.client import Client, Connection

    # push the 3 most uncertain reports, then the rest; a third push finds nothing new
    out = _cli(world, "annotate", "push", *world["pushed"], "--project", PROJECT,
               "--model", world["v1"], "--limit", "3")
    assert "pushed 3 reports" in out and "created" in out
    assert "pushed 2 reports" in _cli(world, "annotate", "push", world["tmp"] / "push" / "texts",
                                      "--project", PROJECT, "--model", world["v1"])
    assert "pushed 0 reports" in _cli(world, "annotate", "push", *world["pushed"],
                                      "--project", PROJECT, "--model", world["v1"])

    client = Client(Connection(world["env"]["LABEL_STUDIO_URL"], world["token"]))
    ls = client.sdk
    tasks = sorted(ls.tasks.list(project=client.find_project(PROJECT), fields="all"),
                   key=lambda t: t.data["source"])
    assert len(tasks) == 5
    truth = {sha256_text(text): spans for text, spans in world["truth"]}
    done = {"results": {}, "done": {}, "cancelled": None, "texts": {}}
    for n, task in enumerate(tasks):
        h = task.data["sha256"]
        pred = task.predictions[0]
        assert pred.model_version == world["v1"].name
        assert all(0 < r["score"] <= 1 for r in pred.result if r["type"] == "labels")
        if n == 4:  # skip this report: it must not become training data
            ls.annotations.create(id=task.id, result=[], was_cancelled=True)
            done["cancelled"] = h
            continue
        result, did = annotate_like_a_person(task.data["text"], pred.result, truth[h])
        if n == 1:  # a person changes a field: these study sessions count people (人次) here
            q = next(t for t in truth[h] if t["label"] == "QTY" and t["text"].endswith("场"))
            choice = next(r for r in result if r["type"] == "choices"
                          and (r["value"]["start"], r["value"]["end"]) == (q["start"], q["end"]))
            choice["value"] = {**choice["value"], "choices": ["training_participants"]}
            did["field"].append(((q["start"], q["end"]), "trainings", "training_participants"))
        if n == 2:  # an earlier, careless annotation of the same task: the newest must win
            ls.annotations.create(id=task.id, result=result[:1], was_cancelled=False)
            time.sleep(0.01)
        ls.annotations.create(id=task.id, result=result, was_cancelled=False)
        done["results"][h], done["done"][h], done["texts"][h] = result, did, task.data["text"]
    # the story holds: the annotator had each kind of correction to make
    for kind in ("moved", "deleted", "added", "field"):
        assert any(d[kind] for d in done["done"].values()), f"no correction of kind {kind}"

    _cli(world, "annotate", "pull", "--project", PROJECT, "--out", world["settings"].annotations)
    return done


def test_offsets_round_trip_exactly(world, corrected):
    from extraction.annotate.store import load_gold
    docs, problems = load_gold(world["settings"].annotations)
    assert problems == []
    assert {d["sha256"] for d in docs} == set(corrected["results"])
    for d in docs:
        sent = {(r["value"]["start"], r["value"]["end"], r["value"]["labels"][0], r["value"]["text"])
                for r in corrected["results"][d["sha256"]] if r["type"] == "labels"}
        got = {(s["start"], s["end"], s["label"], s["text"]) for s in d["spans"]}
        assert got == sent
        assert all(d["text"][s["start"]:s["end"]] == s["text"] for s in d["spans"])


def test_every_correction_is_in_the_training_data_and_the_cancelled_task_is_not(world, corrected):
    from training.registry import Registry
    from training.retrain import fixed_eval_set, training_docs
    s = world["settings"]
    docs, annotated, problems = training_docs(s, fixed_eval_set(s, Registry(s.models_dir)))
    by_hash = {sha256_text(d.text): d for d in docs}
    assert corrected["cancelled"] not in by_hash and corrected["cancelled"] not in annotated
    assert set(annotated) == set(corrected["results"])
    for h, did in corrected["done"].items():
        spans = {(x["start"], x["end"]): x for x in by_hash[h].spans}
        for _, to in did["moved"]:
            assert to in spans
        for where in did["added"] + did["kept"]:
            assert where in spans
        for where in did["deleted"]:
            assert where not in spans or any(where == to for _, to in did["moved"])
        for where, _, field in did["field"]:
            assert spans[where]["field"] == field
        for q in (x for x in spans.values() if x["label"] == "QTY"):
            assert isinstance(q["value"], int) and q["unit"]  # filled in by the rule layer
        case = [x for x in spans.values() if x["label"] == "QTY" and x["unit"] == "起"]
        assert len(case) == 1 and case[0]["field"] == "review_cases"
        assert by_hash[h].item_of(case[0])["text"] == CASE_ITEM


def test_retrained_model_finds_the_added_figure_and_the_gate_decides(world, corrected):
    from extraction.figures.model import FigureTagger
    from training.registry import Registry
    from training.retrain import retrain, train_fn_for
    s = world["settings"]

    good = retrain(s, train_fn_for(tiny_args(world["v1"], steps=300, lr=2e-3)))
    assert good.promoted, good.describe()
    reg = Registry(s.models_dir)
    assert reg.default == good.version and (s.models_dir / world["v1"].name).is_dir()
    tagger = FigureTagger.load(reg.default_path())
    added = found = 0
    for h, did in corrected["done"].items():
        text = corrected["texts"][h]
        qs = text.index("起，均已") - 1
        if (qs, qs + 2) not in did["added"]:
            continue  # model v001 happened to tag this one right: nothing was added here
        added += 1
        found += (qs, qs + 2) in {(x["start"], x["end"]) for x in tagger.tag([text])[0]
                                  if x["label"] == "QTY"}
    assert added, "precondition: model v001 missed the case count in some report"
    # a tiny model trained for seconds: most, not necessarily all
    assert found >= added / 2, f"the added case count found in {found} of {added} reports"
    print(f"\n{good.describe()}\nadded case count found in {found} of {added}")

    worse = retrain(s, train_fn_for(tiny_args(world["base"], steps=2)))  # barely trained
    assert not worse.promoted
    print(worse.describe())
    assert worse.describe().count("fell from") >= 1
    reg = Registry(s.models_dir)
    assert reg.default == good.version and reg.get(worse.version).status == "refused"

    out = _cli(world, "models", "--models-dir", s.models_dir)
    assert f"* {good.version}" in out and "refused: " in out


def test_a_wrong_token_is_refused_without_being_shown(world):
    from extraction.cli import main
    wrong = "wrong-" + secrets.token_hex(12)
    r = CliRunner().invoke(main, ["annotate", "pull", "--project", PROJECT, "--token", wrong],
                           env={"LABEL_STUDIO_URL": world["env"]["LABEL_STUDIO_URL"]})
    assert r.exit_code != 0 and "failed" in r.output
    assert wrong not in r.output and world["token"] not in r.output
