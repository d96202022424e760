"""Stand-off records and the server-less commands: export-tasks writes a Label Studio import
file, import reads a Label Studio export into annotations/, and records re-read their text."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from extraction.annotate.convert import sha256_text, spans_to_results
from extraction.annotate.store import load_gold, load_records
from extraction.cli import main

# Written for these tests.
REPORT = ("白水镇人民政府2024年政府信息公开工作年度报告\n"
          "一、总体情况\n"
          "本年度通过政府网站主动公开政府信息共812条，其中政策文件36件。\n"
          "受理政府信息公开申请5件，均按时答复。\n")


def _write_report(tmp_path, name="baishui-2024.txt", text=REPORT):
    path = tmp_path / "reports" / name
    path.parent.mkdir(exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def _corrected(text):
    """What an annotator submits: three figures, linked, with fields."""
    spans = []
    for label, sub in [("ITEM", "主动公开政府信息"), ("QTY", "812条"), ("ITEM", "政策文件"),
                       ("QTY", "36件"), ("ITEM", "政府信息公开申请"), ("QTY", "5件")]:
        i = text.index(sub)
        spans.append({"id": len(spans), "label": label, "start": i, "end": i + len(sub), "text": sub})
    spans[1].update(item=0, field="proactive_total")
    spans[3].update(item=2, field="policy_documents")
    spans[5].update(item=4, field="requests_received")
    return spans_to_results(text, spans)


def test_export_tasks_then_import_an_export_gives_stand_off_records(tmp_path):
    report = _write_report(tmp_path)
    runner = CliRunner()
    tasks_file = tmp_path / "tasks.json"
    r = runner.invoke(main, ["annotate", "export-tasks", str(report), "-o", str(tasks_file)])
    assert r.exit_code == 0, r.output
    tasks = json.loads(tasks_file.read_text(encoding="utf-8"))
    assert len(tasks) == 1
    data = tasks[0]["data"]
    assert data["text"] == REPORT and data["sha256"] == sha256_text(REPORT)
    assert data["source"] == str(report)
    assert "model_version" in tasks[0]["predictions"][0]

    # Label Studio's export: the task as imported, with an annotator's submitted result
    export = [{"id": 1, "data": data, "annotations": [
        {"id": 5, "result": _corrected(data["text"]), "was_cancelled": False,
         "updated_at": "2026-11-22T03:00:00Z"}]}]
    export_file = tmp_path / "export.json"
    export_file.write_text(json.dumps(export, ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "annotations"
    r = runner.invoke(main, ["annotate", "import", str(export_file), "--out", str(out),
                             "--project", "p1"])
    assert r.exit_code == 0, r.output
    files = list(out.glob("*.json"))
    assert [f.name for f in files] == [f"{sha256_text(REPORT)}.json"]
    stored = files[0].read_text(encoding="utf-8")
    # stand-off: no text of the report, not even a span's characters
    for sub in ("主动公开", "812条", "政策文件", "白水镇"):
        assert sub not in stored
    record = load_records(out)[0]
    assert record["project"] == "p1" and record["annotation"] == 5

    docs, problems = load_gold(out)
    assert problems == []
    spans = docs[0]["spans"]
    assert [s["text"] for s in spans] == ["主动公开政府信息", "812条", "政策文件", "36件",
                                          "政府信息公开申请", "5件"]
    assert {s["text"]: s["value"] for s in spans if s["label"] == "QTY"} == \
        {"812条": 812, "36件": 36, "5件": 5}
    assert all(docs[0]["text"][s["start"]:s["end"]] == s["text"] for s in spans)


def test_a_record_whose_report_changed_is_not_used(tmp_path):
    report = _write_report(tmp_path)
    export = [{"id": 1, "data": {"text": REPORT, "source": str(report), "sha256": sha256_text(REPORT)},
               "annotations": [{"id": 1, "result": _corrected(REPORT), "was_cancelled": False,
                                "updated_at": "2026-11-22T03:00:00Z"}]}]
    export_file = tmp_path / "export.json"
    export_file.write_text(json.dumps(export, ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "annotations"
    assert CliRunner().invoke(main, ["annotate", "import", str(export_file), "--out", str(out)]).exit_code == 0
    report.write_text(REPORT.replace("812条", "8120条"), encoding="utf-8")  # offsets now slide
    docs, problems = load_gold(out)
    assert docs == [] and "text changed" in problems[0]
    # the original found elsewhere (by file name, checked by sha256) is used again
    other = tmp_path / "copy"
    other.mkdir()
    (other / report.name).write_text(REPORT, encoding="utf-8")
    docs, problems = load_gold(out, search=[other])
    assert problems == [] and len(docs) == 1


def test_import_reports_a_bad_annotation_and_stores_the_rest(tmp_path):
    report = _write_report(tmp_path)
    data = {"text": REPORT, "source": str(report), "sha256": sha256_text(REPORT)}
    bad = _corrected(REPORT)
    bad[1]["value"]["end"] += 1  # a QTY region whose offsets no longer match its text
    export = [{"id": 1, "data": data, "annotations": [
                  {"id": 1, "result": bad, "was_cancelled": False, "updated_at": "x"}]},
              {"id": 2, "data": data, "annotations": [
                  {"id": 2, "result": [], "was_cancelled": True, "updated_at": "x"}]}]
    export_file = tmp_path / "export.json"
    export_file.write_text(json.dumps(export, ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "annotations"
    r = CliRunner().invoke(main, ["annotate", "import", str(export_file), "--out", str(out)])
    assert r.exit_code == 0
    assert "not used: task 1" in r.output and "1 skipped by the annotator" in r.output
    assert "0 not annotated yet" in r.output
    assert load_records(out) == []


def test_config_command_prints_the_labeling_config():
    r = CliRunner().invoke(main, ["annotate", "config"])
    assert r.exit_code == 0
    assert 'perRegion="true"' in r.output and '<Label value="QTY"' in r.output


def test_server_errors_never_show_the_token(tmp_path):
    import socket
    pytest.importorskip("label_studio_sdk", reason="the Label Studio client is the annotate extra: "
                                                   "pip install -e '.[annotate]'")
    report = _write_report(tmp_path)
    with socket.socket() as s:  # a port with nothing listening: a real refused connection
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    secret = "tok-" + "7f3a9c1e5b" * 3
    r = CliRunner().invoke(main, ["annotate", "push", str(report), "--project", "p",
                                  "--url", f"http://127.0.0.1:{port}", "--token", secret])
    assert r.exit_code != 0 and "failed" in r.output
    assert secret not in r.output
    r = CliRunner().invoke(main, ["annotate", "pull", "--project", "p"],
                           env={"LABEL_STUDIO_URL": f"http://127.0.0.1:{port}",
                                "LABEL_STUDIO_API_KEY": secret})
    assert r.exit_code != 0 and secret not in r.output
    r = CliRunner().invoke(main, ["annotate", "pull", "--project", "p"],
                           env={"LABEL_STUDIO_URL": "", "LABEL_STUDIO_API_KEY": ""})
    assert r.exit_code != 0 and "LABEL_STUDIO_URL" in r.output
