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
