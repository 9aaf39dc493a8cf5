"""The gold loop closes: predictions -> Label Studio tasks -> corrected -> gold -> scored.

An annotator is simulated by taking the pre-annotations as the annotation and
editing it; the gold files that come back must pass `eval check` and score against
the predictions exactly as the edits say.
"""

from __future__ import annotations

import copy
import json
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from paths import SEED
from typer.testing import CliRunner

from evals.cli import app as eval_app
from evals.labelstudio import Offsets, Source, to_task
from extractor.cli import app as cli_app
from extractor.models import Actor, Article, Claim

runner = CliRunner()

ENGLISH = (
    "Talks in Valletta\n"
    "Karim Haddad will meet Joseph Borg in Valletta next week, officials said.\n"
    'Haddad said "the talks will focus on fishing quotas and on the harbour".\n'
    "Borg told reporters that Malta wants a deal before the summer.\n"
)


def ok(result) -> None:
    assert result.exit_code == 0, result.output


def annotate(tasks_path: Path, export: Path, edit=None) -> list[dict]:
    """Label Studio's export after an annotator accepted (and maybe edited) every task."""
    tasks = json.loads(tasks_path.read_text(encoding="utf-8"))
    for n, task in enumerate(tasks):
        result = copy.deepcopy(task["predictions"][0]["result"])
        if edit is not None:
            result = edit(task, result)
        task["id"] = n + 1
        task["annotations"] = [{"id": n + 1, "result": result, "was_cancelled": False}]
    export.write_text(json.dumps(tasks, ensure_ascii=False), encoding="utf-8")
    return tasks


def scores(gold: Path, pred: Path, texts: Path) -> dict:
    result = runner.invoke(
        eval_app, ["score", str(gold), str(pred), "--corpus", str(texts), "--json"]
    )
    ok(result)
    return json.loads(result.stdout)


@pytest.fixture
def seed_run(tmp_path):
    """The seed extracted with the rules, as `extract --json` writes it, beside its text."""
    texts, pred = tmp_path / "texts", tmp_path / "pred"
    texts.mkdir()
    pred.mkdir()
    shutil.copy(SEED, texts / "seed.txt")
    result = runner.invoke(cli_app, ["extract", str(texts / "seed.txt"), "--json"])
    ok(result)
    (pred / "seed.json").write_text(result.stdout, encoding="utf-8")
    return texts, pred


def test_accepted_pre_annotations_come_back_as_the_same_records(tmp_path, seed_run):
    texts, pred = seed_run
    tasks, config = tmp_path / "tasks.json", tmp_path / "config.xml"
    ok(
        runner.invoke(
            eval_app,
            [
                "export-labelstudio",
                str(pred),
                "--text",
                str(texts),
                "--out",
                str(tasks),
                "--config",
                str(config),
            ],
        )
    )
    export, gold = tmp_path / "export.json", tmp_path / "gold"
    (task,) = annotate(tasks, export)
    assert task["data"]["text"] == SEED.read_text(encoding="utf-8")
    ok(runner.invoke(eval_app, ["import-labelstudio", str(export), "--out", str(gold)]))
    ok(runner.invoke(eval_app, ["check", "--gold", str(gold), "--corpus", str(texts)]))
    got = scores(gold, pred, texts)
    for kind in ("actors", "claims", "meetings"):
        assert got[kind]["f1"] == 1.0 and got[kind]["tp"] > 0
    assert got["claims"]["attributed_f1"] == 1.0 and got["actors"]["kind_acc"] == 1.0
    written = json.loads((gold / "seed.json").read_text(encoding="utf-8"))
    predicted = json.loads((pred / "seed.json").read_text(encoding="utf-8"))
    assert len(written["articles"]) == len(predicted) == 2
    for g, p in zip(written["articles"], predicted, strict=True):
        assert g["title"] == p["title"]
        assert sorted(a["name"] for a in g["actors"]) == sorted(a["name"] for a in p["actors"])
        assert [c["speakers"] for c in g["claims"]] == [c["speakers"] for c in p["claims"]]
        assert [m["participants"] for m in g["meetings"]] == [
            m["participants"] for m in p["meetings"]
        ]


def test_an_annotators_edits_become_gold_and_the_score_shows_them(tmp_path):
    """extract-many output in; one claim deleted, another's span cut by its last word."""
    texts = tmp_path / "texts"
    texts.mkdir()
    (texts / "talks.txt").write_text(ENGLISH, encoding="utf-8")
    out = tmp_path / "out.jsonl"
    ok(runner.invoke(cli_app, ["extract-many", str(texts), "-o", str(out)]))  # ids: file stems
    n_claims = len(json.loads(out.read_text().splitlines()[0])["articles"][0]["claims"])
    assert n_claims >= 2
    tasks = tmp_path / "tasks.json"
    ok(runner.invoke(eval_app, ["export-labelstudio", str(out), "--out", str(tasks)]))
    cut: dict[str, str] = {}

    def edit(task, result):
        claims = [r for r in result if r["type"] == "labels" and r["value"]["labels"] == ["Claim"]]
        dropped, trimmed = claims[0]["id"], claims[1]
        result = [
            r for r in result if dropped not in (r.get("id"), r.get("from_id"), r.get("to_id"))
        ]
        text = task["data"]["text"]
        end = trimmed["value"]["end"]
        new_end = text.rindex(" ", trimmed["value"]["start"], end)
        for r in result:
            if r.get("id") == trimmed["id"]:
                r["value"]["end"], r["value"]["text"] = new_end, text[r["value"]["start"] : new_end]
        cut["evidence"] = text[trimmed["value"]["start"] : new_end]
        return result

    export, gold = tmp_path / "export.json", tmp_path / "gold"
    annotate(tasks, export, edit)
    ok(runner.invoke(eval_app, ["import-labelstudio", str(export), "--out", str(gold)]))
    ok(runner.invoke(eval_app, ["check", "--gold", str(gold), "--corpus", str(texts)]))
    written = json.loads((gold / "talks.json").read_text(encoding="utf-8"))
    evidence = [c["evidence"] for c in written["articles"][0]["claims"]]
    assert len(evidence) == n_claims - 1 and cut["evidence"] in evidence
    got = scores(gold, out, texts)
    # the deleted claim is a false positive; the cut one still overlaps its prediction
    assert (got["claims"]["tp"], got["claims"]["fp"], got["claims"]["fn"]) == (n_claims - 1, 1, 0)
    assert got["claims"]["f1"] == pytest.approx(2 * (n_claims - 1) / (2 * n_claims - 1), abs=1e-3)
    assert got["actors"]["f1"] == 1.0 and got["meetings"]["f1"] == 1.0


def test_offsets_are_label_studios_utf16_units_both_ways():
    text = "🙂 Ali said the talks went well.\n"
    offsets = Offsets(text)
    assert [offsets.to_js(i) for i in (0, 1, 2)] == [0, 2, 3]
    assert [offsets.to_py(j) for j in (0, 2, 3)] == [0, 1, 2]
    with pytest.raises(ValueError, match="outside the BMP"):
        offsets.to_py(1)
    sentence = "Ali said the talks went well."
    at = text.index(sentence)
    article = Article(
        language="en",
        actors=[Actor(id="ali", name="Ali", name_en="Ali", kind="person", mentions=[(at, at + 3)])],
        claims=[
            Claim(
                speakers=["ali"],
                statement=sentence,
                evidence=sentence,
                quote="indirect",
                span=(at, at + len(sentence)),
            )
        ],
    )
    task = to_task(Source("x", text, "x.txt", "0" * 64, [article]))
    claim = next(r for r in task["predictions"][0]["result"] if r.get("id") == "c0-0")
    assert (claim["value"]["start"], claim["value"]["end"]) == (at + 1, at + 1 + len(sentence))
    assert claim["value"]["text"] == sentence


def test_the_config_has_a_tag_for_every_name_the_tasks_use(tmp_path, seed_run):
    texts, pred = seed_run
    tasks, config = tmp_path / "tasks.json", tmp_path / "config.xml"
    ok(
        runner.invoke(
            eval_app,
            [
                "export-labelstudio",
                str(pred / "seed.json"),
                "--text",
                str(texts),
                "-o",
                str(tasks),
                "--config",
                str(config),
            ],
        )
    )
    tree = ET.parse(config).getroot()
    names = {el.get("name") for el in tree.iter() if el.get("name")}
    relations = {el.get("value") for el in tree.iter("Relation")}
    labels = {el.get("value") for el in tree.iter("Label")}
    result = json.loads(tasks.read_text(encoding="utf-8"))[0]["predictions"][0]["result"]
    assert {r["from_name"] for r in result if "from_name" in r} <= names
    assert {r["labels"][0] for r in result if r["type"] == "relation"} <= relations
    assert {r["value"]["labels"][0] for r in result if r["type"] == "labels"} == labels
    for r in result:
        if r["type"] == "choices":
            choices = {c.get("value") for c in tree.iter("Choice")}
            assert r["value"]["choices"][0] in choices


def test_what_cannot_become_gold_is_refused_with_its_reason(tmp_path, seed_run):
    texts, pred = seed_run
    tasks = tmp_path / "tasks.json"
    ok(
        runner.invoke(
            eval_app, ["export-labelstudio", str(pred), "--text", str(texts), "-o", str(tasks)]
        )
    )

    def lose_an_id(task, result):
        for r in result:
            if r.get("from_name") == "actor_id":
                result.remove(r)
                return result
        raise AssertionError("no actor_id field")

    export = tmp_path / "export.json"
    annotate(tasks, export, lose_an_id)
    result = runner.invoke(
        eval_app, ["import-labelstudio", str(export), "--out", str(tmp_path / "g")]
    )
    assert result.exit_code == 2
    assert "refused seed" in result.output and "has no actor_id" in result.output
    # a task nobody annotated is a note, not gold
    plain = json.loads(tasks.read_text(encoding="utf-8"))
    export.write_text(json.dumps(plain), encoding="utf-8")
    result = runner.invoke(
        eval_app, ["import-labelstudio", str(export), "--out", str(tmp_path / "g")]
    )
    assert result.exit_code == 2 and "no annotation" in result.output
    # predictions of another text are refused before any task is written
    (texts / "seed.txt").write_text("Another text altogether.\n" * 40, encoding="utf-8")
    result = runner.invoke(
        eval_app,
        ["export-labelstudio", str(pred), "--text", str(texts), "-o", str(tmp_path / "t2.json")],
    )
    assert result.exit_code == 2 and "not at its span" in result.output
    assert not (tmp_path / "t2.json").exists()


def test_a_task_id_that_is_a_path_never_writes_outside_the_gold_folder(tmp_path, seed_run):
    texts, pred = seed_run
    tasks, export = tmp_path / "tasks.json", tmp_path / "export.json"
    ok(
        runner.invoke(
            eval_app, ["export-labelstudio", str(pred), "--text", str(texts), "-o", str(tasks)]
        )
    )
    annotate(tasks, export)
    body = json.loads(export.read_text(encoding="utf-8"))
    body[0]["data"]["doc_id"] = "../evil"
    export.write_text(json.dumps(body), encoding="utf-8")
    result = runner.invoke(
        eval_app, ["import-labelstudio", str(export), "--out", str(tmp_path / "g")]
    )
    assert result.exit_code == 2 and "cannot name a gold file" in result.output
    assert not (tmp_path / "evil.json").exists() and not (tmp_path / "g").exists()


def test_an_extract_many_run_over_a_jsonl_set_takes_each_text_from_its_line(tmp_path):
    articles = tmp_path / "set.jsonl"
    articles.write_text(json.dumps({"id": "talks", "text": ENGLISH}) + "\n", encoding="utf-8")
    out, tasks = tmp_path / "out.jsonl", tmp_path / "tasks.json"
    ok(runner.invoke(cli_app, ["extract-many", str(articles), "-o", str(out)]))
    ok(runner.invoke(eval_app, ["export-labelstudio", str(out), "-o", str(tasks)]))
    (task,) = json.loads(tasks.read_text(encoding="utf-8"))
    assert task["data"]["text"] == ENGLISH and task["data"]["text_file"] == "talks.txt"
    export, gold = tmp_path / "export.json", tmp_path / "gold"
    annotate(tasks, export)
    args = ["import-labelstudio", str(export), "--out", str(gold), "--with-texts"]
    ok(runner.invoke(eval_app, args))
    assert (gold / "talks.txt").read_text(encoding="utf-8") == ENGLISH  # no file of its own
    ok(runner.invoke(eval_app, ["check", "--gold", str(gold), "--corpus", str(gold)]))
    assert scores(gold, out, gold)["claims"]["f1"] == 1.0


def test_two_tasks_of_one_id_never_overwrite_each_other(tmp_path, seed_run):
    texts, pred = seed_run
    tasks, export = tmp_path / "tasks.json", tmp_path / "export.json"
    ok(
        runner.invoke(
            eval_app, ["export-labelstudio", str(pred), "--text", str(texts), "-o", str(tasks)]
        )
    )
    (task,) = annotate(tasks, export)
    export.write_text(json.dumps([task, task]), encoding="utf-8")
    result = runner.invoke(eval_app, ["import-labelstudio", str(export), "-o", str(tmp_path / "g")])
    assert result.exit_code == 2 and "a second task with id 'seed'" in result.output
    assert [p.name for p in (tmp_path / "g").iterdir()] == ["seed.json"]
