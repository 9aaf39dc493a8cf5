"""Specification of input checks: bad input is refused before any LLM call, with a reason."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from extractor.errors import ExtractorError, InputError
from extractor.text.inputs import check_text, decode, html_to_text, looks_like_html, read_input

ARTICLE = "قال الوزير إن المحادثات ستستأنف غدا في الدوحة.\nThe envoy said talks would resume."


def _reason(text: object, **options: object) -> str:
    with pytest.raises(InputError) as info:
        check_text(text, **options)  # type: ignore[arg-type]
    assert isinstance(info.value, ExtractorError)
    return info.value.reason


class TestCheckText:
    def test_ordinary_text_passes_unchanged(self) -> None:
        assert check_text(ARTICLE) == ARTICLE

    def test_empty(self) -> None:
        assert _reason("") == "empty"

    @pytest.mark.parametrize("text", [" ", "\n\n", " \t\r\n ", "\u00a0\u2003"])
    def test_whitespace_only(self, text: str) -> None:
        assert _reason(text) == "empty"

    def test_nul_byte_is_binary(self) -> None:
        assert _reason("some text\x00more text") == "binary"

    def test_many_control_characters_are_binary(self) -> None:
        assert _reason("ab\x01\x02\x03cd" * 20) == "binary"

    def test_ordinary_control_whitespace_is_fine(self) -> None:
        text = "line one\r\nline two\tcolumn\fpage"
        assert check_text(text) == text

    def test_html_markup(self) -> None:
        markup = "<html><body><p>The envoy said talks would resume.</p></body></html>"
        assert _reason(markup) == "html"

    def test_html_error_names_the_fix(self) -> None:
        with pytest.raises(InputError, match="html_to_text"):
            check_text("<div><p>Text</p></div>")

    def test_one_stray_tag_in_prose_is_not_html(self) -> None:
        text = "The minister wrote <p> in his note, oddly."
        assert check_text(text) == text

    def test_too_long_with_chunking_off(self) -> None:
        assert _reason("a" * 101, max_chars=100, chunking=False) == "too_long"

    def test_long_text_is_allowed_when_chunking(self) -> None:
        text = "a" * 101
        assert check_text(text, max_chars=100, chunking=True) == text

    def test_at_the_limit_is_allowed_with_chunking_off(self) -> None:
        text = "a" * 100
        assert check_text(text, max_chars=100, chunking=False) == text

    def test_over_ten_times_the_limit_is_refused_even_when_chunking(self) -> None:
        assert _reason("a" * 1001, max_chars=100, chunking=True) == "too_long"

    def test_not_text(self) -> None:
        assert _reason(12345) == "type"
        assert _reason(None) == "type"

    def test_bytes_are_decoded(self) -> None:
        assert check_text(ARTICLE.encode("utf-8")) == ARTICLE

    def test_invalid_utf8_bytes(self) -> None:
        assert _reason(b"valid start \xff then junk") == "encoding"


class TestDecode:
    def test_invalid_utf8_names_the_byte_offset(self) -> None:
        data = "قطر".encode() + b" ok \xc3("
        offset = len("قطر".encode()) + 4
        with pytest.raises(InputError) as info:
            decode(data, "story.txt")
        err = info.value
        assert err.reason == "encoding"
        assert err.offset == offset
        assert f"byte {offset}" in str(err)
        assert "story.txt" in str(err)
        assert "0xc3" in str(err)

    def test_bom_is_stripped(self) -> None:
        assert decode("\ufeffقال الوزير".encode()) == "قال الوزير"

    def test_only_a_leading_bom_is_stripped(self) -> None:
        assert decode("a\ufeffb".encode()) == "a\ufeffb"

    def test_nul_byte_is_binary(self) -> None:
        with pytest.raises(InputError) as info:
            decode(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
        assert info.value.reason == "binary"

    def test_valid_utf8_round_trips(self) -> None:
        assert decode(ARTICLE.encode("utf-8")) == ARTICLE


class TestReadInput:
    def test_missing_file(self, tmp_path: Path) -> None:
        with pytest.raises(InputError) as info:
            read_input(tmp_path / "nope.txt")
        assert info.value.reason == "missing"

    def test_reads_and_strips_bom(self, tmp_path: Path) -> None:
        path = tmp_path / "a.txt"
        path.write_bytes("\ufeffhello".encode())
        assert read_input(path) == ("hello", False, None)

    def test_html_is_reduced_to_its_text_and_says_so(self, tmp_path: Path) -> None:
        path = tmp_path / "a.html"
        path.write_text("<html><body><p>Talks resume.</p><p>Next week.</p></body></html>")
        assert read_input(path) == ("Talks resume.\nNext week.", True, None)

    def test_an_html_pages_own_date_comes_with_its_text(self, tmp_path: Path) -> None:
        path = tmp_path / "a.html"
        head = '<head><meta property="article:published_time" content="2024-03-05T10:00Z"></head>'
        path.write_text(f"<html>{head}<body><p>Talks resume.</p></body></html>")
        assert read_input(path).published == "2024-03-05"

    def test_dash_reads_standard_input(self, monkeypatch: pytest.MonkeyPatch) -> None:
        import io
        import sys

        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"from stdin")))
        assert read_input("-") == ("from stdin", False, None)


class TestHtmlToText:
    MARKUP = (
        "<html><head><title>Page</title><style>p { color: red }</style>"
        "<script>var secret = 1;</script></head><body>"
        "<nav>Home | News</nav>"
        "<article><h1>Talks resume</h1>"
        "<p>The envoy said talks would   resume &amp; continue.</p>"
        "<p>قال الوزير إن الوفد وصل.</p>"
        "<script>track('x')</script></article>"
        "<footer>Copyright</footer></body></html>"
    )

    def test_keeps_paragraph_text_one_block_per_line(self) -> None:
        assert html_to_text(self.MARKUP) == (
            "Talks resume\nThe envoy said talks would resume & continue.\nقال الوزير إن الوفد وصل."
        )

    def test_drops_script_and_style(self) -> None:
        text = html_to_text(self.MARKUP)
        assert "secret" not in text and "track" not in text and "color" not in text

    def test_output_passes_the_input_check(self) -> None:
        assert looks_like_html(self.MARKUP)
        text = html_to_text(self.MARKUP)
        assert not looks_like_html(text)
        assert check_text(text) == text


PAGE = """<html><head><title>Ministers agree to resume fisheries talks | Harbour Wire</title></head>
<body><nav><a href="/">Home</a> <a href="/world">World</a></nav>
<div class="cookie-banner">We use cookies to improve your experience. Accept all cookies?</div>
<article><h1>Ministers agree to resume fisheries talks</h1>
<p>VALLETTA (Harbour Wire) -- Tunisian agriculture minister Karim Haddad will meet his
Maltese counterpart Joseph Borg in Valletta next Thursday, a senior official said.</p>
<p>Haddad said "the talks will focus on fishing quotas" and that both sides wanted a deal
before the summer season begins in the central Mediterranean.</p>
<p>The European Union has mediated between the two countries for months, officials said,
after a dispute over fishing grounds south of Lampedusa.</p></article>
<aside class="related"><h3>Related stories</h3><ul><li><a href="/x">Port strike ends</a></li>
<li><a href="/y">Storm closes harbour</a></li></ul></aside>
<footer>All rights reserved.</footer></body></html>"""


def test_html_pages_keep_the_article_not_the_menus_banners_and_related_stories() -> None:
    pytest.importorskip("trafilatura", reason="the `html` extra is not installed")
    from extractor.text.inputs import html_to_text

    text = html_to_text(PAGE)
    assert text.splitlines()[0] == "Ministers agree to resume fisheries talks"
    assert "Haddad said" in text and "Lampedusa" in text
    for noise in ("cookies", "Related stories", "Port strike", "All rights", "Home"):
        assert noise not in text, noise


def test_without_an_article_in_it_the_page_falls_back_to_its_visible_text() -> None:
    from extractor.text.inputs import html_to_text

    text = html_to_text("<html><body><div>Only a line.</div><div>And another.</div></body></html>")
    assert text == "Only a line.\nAnd another."


def test_save_text_writes_the_text_that_spans_refer_to(tmp_path) -> None:
    import json

    from typer.testing import CliRunner

    from extractor.cli import app

    page, saved = tmp_path / "page.html", tmp_path / "page.txt"
    page.write_text(PAGE, encoding="utf-8")
    result = CliRunner().invoke(
        app,
        ["extract", str(page), "--strategy", "rules", "--no-cache", "--json"]
        + ["--save-text", str(saved)],
    )
    assert result.exit_code == 0, result.output
    text = saved.read_text(encoding="utf-8")
    (article,) = json.loads(result.stdout)
    assert article["claims"]
    for claim in article["claims"]:
        start, end = claim["span"]
        assert text[start:end] == claim["evidence"]


class TestHostileFiles:
    """Found from `stat` or a bounded read: nothing hangs, nothing grows without bound."""

    def test_a_directory_is_an_input_error(self, tmp_path: Path) -> None:
        with pytest.raises(InputError, match="is a directory") as info:
            read_input(tmp_path)
        assert info.value.reason == "not_a_file"

    def test_a_fifo_is_refused_without_opening_it(self, tmp_path: Path) -> None:
        # Before: opening a FIFO with no writer blocked a batch forever.
        fifo = tmp_path / "pipe"
        os.mkfifo(fifo)
        with pytest.raises(InputError, match="FIFO") as info:
            read_input(fifo)
        assert info.value.reason == "not_a_file"

    def test_a_device_is_refused_without_reading_it(self) -> None:
        # Before: /dev/zero was read until memory ran out (3 GB).
        if not Path("/dev/zero").exists():
            pytest.skip("no /dev/zero here")
        with pytest.raises(InputError, match="device"):
            read_input("/dev/zero")

    def test_a_file_over_the_limit_is_refused_by_its_size(self, tmp_path: Path) -> None:
        path = tmp_path / "big.txt"
        with path.open("wb") as fh:  # sparse: 1 GB on paper, nothing on disk
            fh.truncate(1 << 30)
        with pytest.raises(InputError, match="over the input limit") as info:
            read_input(path)
        assert info.value.reason == "too_long"

    def test_standard_input_is_read_to_the_limit_plus_one_byte(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        import io
        import sys

        class Endless(io.RawIOBase):
            def readable(self) -> bool:
                return True

            def readinto(self, buffer) -> int:  # type: ignore[override]
                buffer[:] = b"a" * len(buffer)
                return len(buffer)

        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BufferedReader(Endless())))
        with pytest.raises(InputError, match="over the input limit"):
            read_input("-", max_bytes=1000)

    @pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
    def test_utf16_is_named_as_such(self, tmp_path: Path, encoding: str) -> None:
        path = tmp_path / "u16.txt"
        path.write_bytes("The minister said the talks would resume.".encode(encoding))
        with pytest.raises(InputError, match="UTF-16") as info:
            read_input(path)
        assert info.value.reason == "encoding"

    @pytest.mark.parametrize(
        "text", ["\u200b\u200c\u200d\ufeff", "\u200f\u202e \u2066", "\xa0\u3000"]
    )
    def test_invisible_only_text_is_empty(self, text: str) -> None:
        with pytest.raises(InputError) as info:
            check_text(text)
        assert info.value.reason == "empty"

    def test_a_lone_surrogate_is_an_encoding_error_with_its_offset(self) -> None:
        with pytest.raises(InputError, match="surrogate") as info:
            check_text("The minister said \ud800 the talks would resume.")
        assert info.value.reason == "encoding" and info.value.offset == 18


@pytest.mark.parametrize(
    ("markup", "day"),
    [
        ('<meta property="article:published_time" content="2024-03-05T10:00:00Z">', "2024-03-05"),
        ('<meta content="2024-03-06" name="pubdate">', "2024-03-06"),
        ('<meta itemprop="datePublished" content="2024-03-07">', "2024-03-07"),
        (
            '<script type="application/ld+json">{"datePublished": "2023-10-09T08:00"}</script>',
            "2023-10-09",
        ),
        ('<meta property="article:published_time" content="2023-02-30T00:00">', None),
        ('<meta property="article:modified_time" content="2024-03-05">', None),
        ("<p>Published 2024-03-05</p>", None),
    ],
)
def test_html_published_reads_what_the_page_declares_about_itself(
    markup: str, day: str | None
) -> None:
    from extractor.text.inputs import html_published

    assert html_published(f"<html><head>{markup}</head><body></body></html>") == day
