"""The command line: one-line errors with meaningful exit codes, JSON scoring, CI gating."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from extractor.cli import app

runner = CliRunner()

TEXT = "Talks in Oslo\nThe minister said that Norway and Chile will meet in Oslo.\n"


def test_empty_file_is_one_line_error_with_exit_2(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("   \n")
    result = runner.invoke(app, ["extract", str(empty)])
    assert result.exit_code == 2
    assert "error:" in result.output and "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_non_utf8_file_names_the_byte_offset(tmp_path: Path) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"Talks\n\xff\xfe broken")
    result = runner.invoke(app, ["extract", str(bad)])
    assert result.exit_code == 2
    assert "byte 6" in result.output and "bad.txt" in result.output


def test_missing_file_and_unknown_prompt_are_clear(tmp_path: Path) -> None:
    result = runner.invoke(app, ["extract", str(tmp_path / "nope.txt")])
    assert result.exit_code == 2 and "no such file" in result.output
    ok = tmp_path / "ok.txt"
    ok.write_text(TEXT)
    result = runner.invoke(
        app,
        ["extract", str(ok), "--prompt", "no-such-prompt", "--base-url", "http://127.0.0.1:9/v1"],
    )
    assert result.exit_code == 2 and "unknown prompt" in result.output


def test_help_does_not_load_the_llm_sdks() -> None:
    """`extractor --help` must be fast: openai and instructor load at the first call only."""
    import subprocess
    import sys

    code = (
        "import sys, extractor.cli\n"
        "print(sorted(m for m in ('openai', 'instructor', 'scipy', 'numpy') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_the_eval_group_is_plugged_in_through_its_entry_point() -> None:
    import subprocess
    import sys

    out = subprocess.run(
        [sys.executable, "-c", "from extractor.cli import main; main()", "eval", "--help"],
        capture_output=True,
        text=True,
    )
    assert out.returncode == 0, out.stderr
    for command in ("run", "score", "compare", "record", "replay", "rescore", "bench", "check"):
        assert command in out.stdout


def test_the_view_prints_model_and_input_strings_as_inert_text(capsys) -> None:
    """Markup from the model is text, and escapes from it never reach the terminal."""
    from extractor.cli import _show
    from extractor.models import Actor, Article, Claim

    hostile = "[/bold] [link=http://example.invalid]click[/link] \x1b]8;;http://x\x07 \u202e"
    article = Article(
        title="[red]T[/red]",
        actors=[Actor(id="a", name="A", name_en="A", kind="person", role=hostile)],
        claims=[Claim(speakers=["a"], statement=hostile, evidence="e", quote="direct")],
    )
    _show(article)  # a bare "[/bold]" would raise a MarkupError here
    printed = capsys.readouterr().out
    assert "[/bold]" in printed and "[red]T[/red]" in printed
    assert "\x1b" not in printed and "\x07" not in printed and "\u202e" not in printed
    assert "\\x1b" in printed  # shown, as an escape


def test_version_names_the_pypi_distribution_not_the_unrelated_extractor() -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.output.startswith("extractor-news ")


TWO = (
    "Talks in Oslo\nThe minister said that Norway and Chile will meet in Oslo.\n"
    "\nRead also\nPort strike ends\n"
    + " ".join(["The dock workers returned to work on Monday, a union leader said."] * 3)
    + "\n"
)
NO_ACTORS = '{"outlet":null,"dateline":null,"actors":[]}'


def test_the_view_shows_only_what_is_there() -> None:
    from extractor.cli import _show
    from extractor.models import Actor, Article, Claim

    article = Article(
        title="T",
        language="en",
        actors=[Actor(id="a", name="A", name_en="A", kind="person")],
        claims=[Claim(speakers=["a"], statement="word " * 60, evidence="e", quote="indirect")],
    )
    from rich.console import Console

    import extractor.cli as cli

    console = Console(width=80, record=True)
    saved, cli.out = cli.out, console
    try:
        _show(article)
    finally:
        cli.out = saved
    printed = console.export_text()
    assert "None" not in printed and "()" not in printed
    assert "meetings" not in printed  # no empty table
    assert "outlet" not in printed and "dateline" not in printed  # unknown fields left out
    assert "word…" in printed  # cut at a word, with an ellipsis
    assert max(len(line) for line in printed.splitlines()) <= 80


def test_cut_keeps_whole_words_and_marks_the_cut() -> None:
    from extractor.display import cut

    assert cut("short text", 20) == "short text"
    assert cut("the talks will focus on fishing quotas", 20) == "the talks will…"
    assert len(cut("x" * 50, 10)) == 10


def test_json_is_always_a_list_with_spans_on_one_line(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text(TWO, encoding="utf-8")
    for extra in ([], ["--main"]):
        result = runner.invoke(
            app, ["extract", str(path), "--strategy", "rules", "--json", "--no-cache", *extra]
        )
        assert result.exit_code == 0, result.output
        import json

        payload = json.loads(result.stdout)
        assert isinstance(payload, list) and len(payload) == (1 if extra else 2)
        assert '"span": [' in result.stdout and "\n      0,\n" not in result.stdout


def test_progress_is_one_plain_line_per_stage_in_a_log(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text(TWO, encoding="utf-8")
    result = runner.invoke(app, ["extract", str(path), "--strategy", "rules", "--no-cache"])
    assert result.exit_code == 0
    assert "… article 1/2 · rules" in result.stderr and "… article 2/2 · rules" in result.stderr


def test_a_failed_article_is_reported_and_the_finished_one_still_printed(tmp_path: Path) -> None:
    from fakeserver import FakeServer, Status

    path = tmp_path / "a.txt"
    path.write_text(TWO, encoding="utf-8")
    with FakeServer(default=Status(400)) as server:
        server.reply(NO_ACTORS)
        result = runner.invoke(
            app,
            ["extract", str(path), "--base-url", server.base_url, "--strategy", "cues"]
            + ["--no-cache", "--json"],
        )
    assert result.exit_code == 3
    import json

    first, second = json.loads(result.stdout)
    assert first["error"] is None and first["title"] == "Talks in Oslo"
    assert second["error"]["type"] == "TransportError"
    assert "article 'Port strike ends' failed" in result.stderr


def test_backend_refusals_are_configuration_errors_in_the_backends_words(tmp_path: Path) -> None:
    from fakeserver import FakeServer, Status

    path = tmp_path / "a.txt"
    path.write_text(TEXT, encoding="utf-8")
    cases = [
        (404, {"error": {"message": "model 'llama3' not found, try pulling it first"}}),
        (401, {"error": {"message": "Incorrect API key provided: sk-abc1234567890."}}),
    ]
    for code, body in cases:
        with FakeServer(default=Status(code, body=body)) as server:
            result = runner.invoke(
                app,
                ["extract", str(path), "--base-url", server.base_url, "--strategy", "cues"]
                + ["--no-cache", "--model", "llama3"],
            )
        assert result.exit_code == 2, result.output
        assert body["error"]["message"][:30] in result.stderr
        assert "1234567890" not in result.stderr


def _files(tmp_path: Path, n: int) -> list[Path]:
    paths = []
    for i in range(n):
        path = tmp_path / f"a{i}.txt"
        path.write_text(f"Talks {i}\nThe minister said that Norway and Chile will meet in Oslo.\n")
        paths.append(path)
    return paths


def test_extract_many_refuses_a_glob_that_matches_nothing(tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["extract-many", str(tmp_path / "*.txt"), "-o", str(tmp_path / "o.jsonl")]
    )
    assert result.exit_code == 2 and "matches no files" in result.output


def test_extract_many_refuses_concurrency_below_one(tmp_path: Path) -> None:
    _files(tmp_path, 1)
    result = runner.invoke(
        app,
        [
            "extract-many",
            str(tmp_path / "*.txt"),
            "-o",
            str(tmp_path / "o.jsonl"),
            "--concurrency",
            "0",
            "--strategy",
            "rules",
        ],
    )
    assert result.exit_code == 2 and "concurrency" in result.output
    assert not (tmp_path / "o.jsonl").exists()


def test_extract_many_reads_jsonl_and_writes_csv_tables(tmp_path: Path) -> None:
    import json

    articles = tmp_path / "set.jsonl"
    line = {"id": "n1", "text": TEXT, "published": "2023-10-09", "url": "https://x.org/n1"}
    articles.write_text(json.dumps(line) + "\n", encoding="utf-8")
    out = tmp_path / "o.jsonl"
    args = ["extract-many", str(articles), "-o", str(out), "--strategy", "rules", "--no-cache"]
    result = runner.invoke(app, [*args, "--format", "csv", "--bom"])
    assert result.exit_code == 0, result.output
    record = json.loads(out.read_text().splitlines()[0])
    assert record["id"] == "n1" and record["articles"][0]["published"] == "2023-10-09"
    for table in ("actors", "claims", "meetings"):
        head = (tmp_path / f"o.{table}.csv").read_text(encoding="utf-8-sig").splitlines()[0]
        assert head.startswith("id,url,language,article,title,published,")
    assert "https://x.org/n1" in (tmp_path / "o.actors.csv").read_text(encoding="utf-8-sig")
    again = runner.invoke(app, args)
    assert again.exit_code == 0 and "1 already done" in again.output


def test_extract_many_with_another_configuration_refuses_then_restarts(tmp_path: Path) -> None:
    _files(tmp_path, 2)
    out = tmp_path / "o.jsonl"
    base = ["extract-many", str(tmp_path / "*.txt"), "-o", str(out), "--no-cache"]
    assert runner.invoke(app, [*base, "--strategy", "rules"]).exit_code == 0
    other = runner.invoke(app, [*base, "--strategy", "cues", "--base-url", "http://127.0.0.1:9/v1"])
    assert other.exit_code == 2 and "another configuration" in other.output
    assert "Traceback" not in other.output
    restarted = runner.invoke(app, [*base, "--strategy", "rules", "--published", "2023-10-09"])
    assert restarted.exit_code == 2  # the date is part of the configuration too
    restarted = runner.invoke(
        app, [*base, "--strategy", "rules", "--published", "2023-10-09", "--restart"]
    )
    assert restarted.exit_code == 0 and "2 done" in restarted.output


def test_extract_many_output_that_is_a_directory_is_exit_5(tmp_path: Path) -> None:
    _files(tmp_path, 1)
    (tmp_path / "o.jsonl").mkdir()
    result = runner.invoke(
        app,
        [
            "extract-many",
            str(tmp_path / "*.txt"),
            "-o",
            str(tmp_path / "o.jsonl"),
            "--strategy",
            "rules",
        ],
    )
    assert result.exit_code == 5 and "error:" in result.output
    assert "Traceback" not in result.output


def test_max_calls_refuses_a_long_input_before_any_request(tmp_path: Path) -> None:
    long = tmp_path / "long.txt"
    long.write_text("Talks\n" + "The minister said the talks would resume. " * 3000)
    result = runner.invoke(
        app,
        [
            "extract",
            str(long),
            "--strategy",
            "cues",
            "--base-url",
            "http://127.0.0.1:9/v1",
            "--no-cache",
            "--max-calls",
            "2",
        ],
    )
    assert result.exit_code == 3 and "max-calls" in result.output
    assert "APIConnectionError" not in result.output  # refused before any request


def test_a_directory_or_a_bad_date_is_one_line_exit_2(tmp_path: Path) -> None:
    result = runner.invoke(app, ["extract", str(tmp_path), "--strategy", "rules"])
    assert result.exit_code == 2 and "is a directory" in result.output
    ok = tmp_path / "ok.txt"
    ok.write_text(TEXT)
    result = runner.invoke(
        app, ["extract", str(ok), "--strategy", "rules", "--published", "2023-02-30"]
    )
    assert result.exit_code == 2 and "published" in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_cache_info_and_clear(tmp_path: Path) -> None:
    import json

    from extractor.llm.cache import CompletionCache

    cache = CompletionCache(tmp_path / "c")
    cache.put("k", "{}", {"prompt_tokens": 1, "completion_tokens": 1})
    cache.close()
    info = runner.invoke(app, ["cache", "info", "--cache-dir", str(tmp_path / "c")])
    assert info.exit_code == 0
    data = json.loads(info.stdout)
    assert data["entries"] == 1 and data["directory"] == str(tmp_path / "c")
    assert data["size_limit"] == 2**32 and data["bytes"] > 0
    cleared = runner.invoke(app, ["cache", "clear", "--cache-dir", str(tmp_path / "c")])
    assert cleared.exit_code == 0 and "removed 1" in cleared.output
    again = runner.invoke(app, ["cache", "info", "--cache-dir", str(tmp_path / "c")])
    assert json.loads(again.stdout)["entries"] == 0


def test_cache_clear_on_a_broken_cache_is_one_line_exit_5(tmp_path: Path) -> None:
    not_a_dir = tmp_path / "c"
    not_a_dir.write_text("x")
    result = runner.invoke(app, ["cache", "clear", "--cache-dir", str(not_a_dir)])
    assert result.exit_code == 5 and "cannot open the cache" in result.output
    assert "Traceback" not in result.output


def test_an_interrupted_batch_says_what_was_written_and_exits_130(
    tmp_path: Path, monkeypatch
) -> None:
    from extractor.batch import run as batch
    from extractor.batch.run import BatchSummary

    def interrupted(*args, **kwargs):
        return BatchSummary(total=5, done=2, interrupted=True, not_started=3)

    monkeypatch.setattr(batch, "run_batch", interrupted)
    _files(tmp_path, 5)
    result = runner.invoke(
        app,
        [
            "extract-many",
            str(tmp_path / "*.txt"),
            "-o",
            str(tmp_path / "o.jsonl"),
            "--strategy",
            "rules",
            "--no-cache",
        ],
    )
    assert result.exit_code == 130
    assert "interrupted: the 2 finished are written; 3 not started" in result.output


def test_usage_errors_are_one_line_and_h_is_help() -> None:
    import os
    import subprocess
    import sys

    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        code = "import sys; from extractor.cli import main; sys.argv[0] = 'extractor'; main()"
        return subprocess.run(
            [sys.executable, "-c", code, *args],
            capture_output=True,
            text=True,
            env={**os.environ, "COLUMNS": "200"},
        )

    bad = cli("extract", "--bogus")
    assert bad.returncode == 2
    assert bad.stderr.strip().splitlines() == [
        "extractor extract: No such option: --bogus (Possible options: --gguf) "
        "(see extractor extract -h)"
    ]
    missing = cli("extract")
    assert missing.returncode == 2 and len(missing.stderr.strip().splitlines()) == 1
    for args in (("-h",), ("extract", "-h"), ("eval", "sets", "-h"), ("eval",)):
        shown = cli(*args)
        assert shown.returncode == 0 and "Usage: extractor" in shown.stdout, args


def test_an_html_pages_date_is_the_default_published(tmp_path: Path) -> None:
    import json

    page = tmp_path / "page.html"
    page.write_text(
        '<html><head><meta property="article:published_time" content="2024-03-05T09:00Z">'
        "</head><body><h1>Port talks</h1><p>The mayor said the port would reopen on "
        "Monday after the strike.</p></body></html>",
        encoding="utf-8",
    )
    args = ["extract", str(page), "--strategy", "rules", "--no-cache", "--json"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)[0]["published"] == "2024-03-05"
    given = runner.invoke(app, [*args, "--published", "2024-03-01"])  # the caller's wins
    assert json.loads(given.stdout)[0]["published"] == "2024-03-01"


def test_first_token_timeout_bounds_a_silent_server(tmp_path: Path) -> None:
    """--first-token-timeout shortens the 900 s allowance a silent server holds the CLI for."""
    import time

    from fakeserver import FakeServer, Hang, Reply, completion

    path = tmp_path / "a.txt"
    path.write_text(TEXT, encoding="utf-8")
    seen: list[float] = []

    def answer(body: dict[str, object]) -> Hang | Reply:
        seen.append(time.monotonic())
        return Hang(3.0) if len(seen) == 1 else Reply(completion(NO_ACTORS))

    with FakeServer(default=answer) as server:
        result = runner.invoke(
            app,
            ["extract", str(path), "--base-url", server.base_url, "--strategy", "cues"]
            + ["--no-cache", "--first-token-timeout", "0.3"],
        )
    assert result.exit_code == 0, result.output
    # cut at 0.3 s and retried after a ~1-2 s backoff, not held until the server let go
    assert len(seen) >= 2 and seen[1] - seen[0] < 2.9


def test_a_senseless_first_token_timeout_is_a_usage_error(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text(TEXT, encoding="utf-8")
    for value in ("0", "-5", "nan", "inf"):
        result = runner.invoke(
            app, ["extract", str(path), "--strategy", "rules", "--first-token-timeout", value]
        )
        assert result.exit_code == 2, (value, result.output)
        assert "first-token allowance" in result.output and "Traceback" not in result.output


def test_a_far_future_publication_day_is_exit_2_before_any_work(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text(TEXT, encoding="utf-8")
    result = runner.invoke(
        app, ["extract", str(path), "--strategy", "rules", "--published", "9999-12-31"]
    )
    assert result.exit_code == 2, result.output
    assert "published must be a day from" in result.output and "Traceback" not in result.output


def test_a_stream_dropped_mid_answer_is_exit_3_with_one_line(tmp_path: Path) -> None:
    from fakeserver import Cut, FakeServer, completion

    path = tmp_path / "a.txt"
    path.write_text(TEXT, encoding="utf-8")
    with FakeServer(default=Cut(completion('{"actors":[]}'), events=2)) as server:
        result = runner.invoke(
            app,
            ["extract", str(path), "--base-url", server.base_url, "--strategy", "cues"]
            + ["--no-cache", "--json"],
        )
    assert result.exit_code == 3, result.output
    assert "dropped the connection" in result.stderr and "Traceback" not in result.output


def test_extract_many_records_a_dropped_stream_as_a_retryable_transport_error(
    tmp_path: Path,
) -> None:
    import json

    from fakeserver import Cut, FakeServer, completion

    (tmp_path / "a.txt").write_text(TEXT, encoding="utf-8")
    out = tmp_path / "o.jsonl"
    with FakeServer(default=Cut(completion('{"actors":[]}'), events=2)) as server:
        result = runner.invoke(
            app,
            ["extract-many", str(tmp_path / "a.txt"), "-o", str(out), "--strategy", "cues"]
            + ["--base-url", server.base_url, "--no-cache"],
        )
    assert result.exit_code == 3, result.output
    (record,) = [json.loads(line) for line in out.read_text().splitlines()]
    assert record["ok"] is False and record["error"]["type"] == "TransportError"
    assert record["error"]["reason"] == "dropped" and record["error"]["retryable"] is True
    assert server.base_url not in json.dumps(record)
