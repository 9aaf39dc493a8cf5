"""The record page: spans nested and escaped, right to left for Arabic, and in a real browser."""

from __future__ import annotations

import html
import json
import re
import shutil
import time
from pathlib import Path

import httpx
import pytest
from liveservice import running
from paths import SEED
from typer.testing import CliRunner

from extractor.cli import app as cli_app
from extractor.extract import Extractor
from extractor.models import Actor, Article, Claim, Document, Meeting
from extractor.service.config import ServiceConfig
from extractor.settings import Settings
from extractor.view import PALETTE, Mark, View, is_rtl, nest, render_page

ENGLISH = (
    "Talks in Valletta\n"
    "Karim Haddad will meet Joseph Borg in Valletta next week, officials said.\n"
    'Haddad said "the talks will focus on fishing quotas and on the harbour".\n'
    "Borg told reporters that Malta wants a deal before the summer.\n"
)


def _strip(markup: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", markup))


def _text_of(page: str) -> str:
    """The input as the page holds it: its text pieces in order (headings are not text)."""
    return "".join(_strip(p) for p in re.findall(r'<div class="seg">(.*?)</div>', page, re.S))


def test_nesting_keeps_the_text_and_splits_only_crossing_marks():
    text = "abcdefghij"
    marks = [
        Mark(0, 6, "claim", "c", "claim"),
        Mark(4, 10, "meeting", "m", "meeting"),  # crosses the claim
        Mark(1, 3, "actor", "a", "actor"),
    ]
    out = nest(text, marks)
    assert _strip(out) == text
    assert out.count("<span") == out.count("</span>")
    pieces = {
        key: "".join(re.findall(rf'data-rec="{key}"[^>]*>([^<]*)', out)) for key in ("c", "m", "a")
    }
    assert pieces["a"] == "bc"
    # the crossing meeting is split in two fragments sharing its key: "ef" + "ghij"
    assert re.findall(r'data-rec="m"', out).__len__() == 2


def test_every_string_is_escaped_and_the_records_json_cannot_end_its_script():
    evil = '"><img src=x onerror=alert(1)></script><script>alert(2)</script>'
    text = f"Ali said {evil} today.\nHe met Omar in Cairo."
    start = text.index("Ali")
    article = Article(
        title=evil,
        language="en",
        actors=[
            Actor(id="ali", name=evil, name_en="Ali", kind="person", mentions=[(start, start + 3)]),
            Actor(id="omar", name="Omar", name_en="Omar", kind="person"),
        ],
        claims=[
            Claim(
                speakers=["ali"],
                statement=evil,
                evidence=text.splitlines()[0],
                quote="direct",
                span=(0, len(text.splitlines()[0])),
            )
        ],
        meetings=[
            Meeting(participants=["ali", "omar"], status="held", evidence="He met", span=(0, 3))
        ],
    )
    page = render_page(text, [article], title=evil)
    assert "<img" not in page and "<script>alert" not in page
    assert page.count("<script") == 2  # the JSON block and the page's own script
    records = page.split('id="records">')[1].split("</script>")[0]
    assert "<" not in records and json.loads(records)["records"]["0-a-ali"]["name"] == evil


def test_arabic_runs_right_to_left_and_english_left_to_right():
    assert is_rtl("ar") and not is_rtl("en")
    assert is_rtl(None, "قطر تجري محادثات مع حماس") and not is_rtl("und", "Qatar talks")
    with Extractor(strategy="rules", use_cache=False) as ex:
        seed = SEED.read_text(encoding="utf-8")
        ar = render_page(seed, ex.extract_articles(seed))
        en = render_page(ENGLISH, ex.extract_articles(ENGLISH))
    assert 'id="text" lang="ar" dir="rtl"' in ar
    assert 'id="text" lang="en" dir="ltr"' in en
    assert _text_of(ar) == seed


def test_extract_html_writes_the_same_page(tmp_path):
    source = tmp_path / "talks.txt"
    source.write_text(ENGLISH, encoding="utf-8")
    out = tmp_path / "talks.html"
    result = CliRunner().invoke(
        cli_app, ["extract", str(source), "--strategy", "rules", "--html", str(out), "--json"]
    )
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and 'data-kind="claim"' in page
    with Extractor(strategy="rules", use_cache=False) as ex:
        articles = ex.extract_articles(ENGLISH)
    want = render_page(ENGLISH, articles, title="talks.txt")
    strip_meta = lambda p: re.sub(r'<p class="meta">.*?</p>', "", p)  # noqa: E731
    assert strip_meta(page) == strip_meta(want)


# ------------------------------------------------------------------ a real browser

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SHOTS = Path("/tmp/shots")

_RECORD_TEXTS = """
() => {
  const records = JSON.parse(document.getElementById("records").textContent).records;
  const out = {};
  for (const key of Object.keys(records)) {
    const parts = Array.from(document.querySelectorAll(`[data-rec="${CSS.escape(key)}"]`));
    out[key] = {kind: records[key].record, evidence: records[key].evidence || null,
                text: parts.map((el) => el.textContent).join(""), count: parts.length};
  }
  return out;
}
"""


@pytest.mark.browser
def test_the_viewer_in_headless_chromium(tmp_path):
    playwright = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed (apt-get install -y chromium)")
    cfg = ServiceConfig(
        extractor=Settings(strategy="rules", use_cache=False),
        database_url=f"sqlite:///{tmp_path / 'jobs.sqlite3'}",
        poll_s=0.05,
    )
    documents = [
        {"id": "seed-ar", "text": SEED.read_text(encoding="utf-8")},
        {"id": "talks-en", "text": ENGLISH},
    ]
    SHOTS.mkdir(parents=True, exist_ok=True)
    with running(cfg) as url:
        job = httpx.post(f"{url}/v1/jobs", json={"documents": documents}).json()["job_id"]
        deadline = time.monotonic() + 20
        while httpx.get(f"{url}/v1/jobs/{job}").json()["status"] != "done":
            assert time.monotonic() < deadline
            time.sleep(0.05)
        lines = {
            json.loads(x)["id"]: json.loads(x)
            for x in httpx.get(f"{url}/v1/jobs/{job}/results").text.splitlines()
        }
        with playwright.sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"]
            )
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            problems: list[str] = []
            page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: problems.append(str(e)))
            for doc, direction in (("seed-ar", "rtl"), ("talks-en", "ltr")):
                response = page.goto(f"{url}/v1/jobs/{job}/documents/{doc}/view")
                assert response is not None and response.status == 200
                assert page.get_attribute("#text", "dir") == direction
                found = page.evaluate(_RECORD_TEXTS)
                text = next(d["text"] for d in documents if d["id"] == doc)
                articles = lines[doc]["articles"]
                checked = 0
                for n, article in enumerate(articles):
                    for kind, letter in (("claims", "c"), ("meetings", "m")):
                        for i, record in enumerate(article[kind]):
                            shown = found[f"{n}-{letter}-{i}"]
                            assert shown["count"] >= 1
                            start, end = record["span"]
                            assert shown["text"] == text[start:end] == record["evidence"]
                            checked += 1
                assert checked >= 3
                assert any(v["kind"] == "actor" and v["count"] for v in found.values())
                first_claim = page.locator('[data-kind="claim"]').first
                first_claim.dispatch_event("click")
                assert "speakers" in page.inner_text("#fields")
                page.screenshot(path=str(SHOTS / f"view-{doc}.png"), full_page=True)
            browser.close()
    assert problems == []


# ------------------------------------------------------------------ the page's parts


def _two_articles() -> tuple[str, list[Article]]:
    first = "Talks in Valletta\nHaddad said the talks went well.\n"
    second = "Read also: Borg at home\nBorg said he stays.\n"
    text = first + second

    def actor(name: str, at: int) -> Actor:
        return Actor(
            id=name.lower(), name=name, name_en=name, kind="person", mentions=[(at, at + len(name))]
        )

    def claim(speaker: str, sentence: str) -> Claim:
        at = text.index(sentence)
        return Claim(
            speakers=[speaker],
            statement=sentence,
            evidence=sentence,
            quote="indirect",
            span=(at, at + len(sentence)),
        )

    one = Article(
        title="Talks in Valletta",
        language="en",
        span=(0, len(first)),
        actors=[actor("Haddad", text.index("Haddad")), actor("Omar", 0)],
        claims=[claim("haddad", "Haddad said the talks went well.")],
    )
    two = Article(
        title="Borg at home",
        language="en",
        span=(len(first), len(text)),
        actors=[actor("Borg", text.index("Borg said"))],
        claims=[claim("borg", "Borg said he stays.")],
    )
    return text, [one, two]


def test_each_article_of_several_has_its_heading_and_the_page_the_headline_as_title():
    text, articles = _two_articles()
    page = render_page(text, articles, title="digest.txt")
    assert "<title>Talks in Valletta</title>" in page
    heads = re.findall(r'<h2 class="art-head"[^>]*>(.*?)</h2>', page)
    assert [_strip(h) for h in heads] == [
        "Article 1 of 2 Talks in Valletta",
        "Article 2 of 2 Borg at home",
    ]
    assert _text_of(page) == text  # headings are not mistaken for the input
    assert "digest.txt" in page.split('class="meta"')[1].split("</p>")[0]


def test_every_actor_has_its_palette_colour_and_a_claim_its_first_speakers():
    text, articles = _two_articles()
    page = render_page(text, articles)
    assert 'class="rec actor p0" data-rec="0-a-haddad"' in page
    assert 'class="rec claim p0" data-rec="0-c-0"' in page  # Haddad's colour
    assert 'class="rec actor p0" data-rec="1-a-borg"' in page  # by index within its article
    assert '<span class="sw p1"></span>' in page  # Omar, second actor, in the list
    assert f"#xv .p1{{--c:{PALETTE[1]}}}" in page
    assert len(set(PALETTE)) == 8


def test_a_notebook_shows_an_article_or_document_through_the_same_view():
    text, articles = _two_articles()
    cell = articles[0]._repr_html_()
    assert cell.startswith('<div class="xv" id="xv-') and "<html" not in cell
    root = re.match(r'<div class="xv" id="(xv-[0-9a-f]+)"', cell).group(1)
    assert f'document.getElementById("{root}")' in cell  # the script reaches its own root only
    assert articles[0]._repr_html_() != cell  # a fresh root each time: two outputs never clash
    assert "Haddad said the talks went well." in _strip(cell)
    assert 'data-rec="0-a-haddad"' in cell  # the mention inside the evidence is drawn
    doc = Document(id="digest", articles=articles)
    whole = doc._repr_html_()
    assert _text_of(whole) == "Haddad said the talks went well. … Borg said he stays."
    assert 'data-rec="1-c-0"' in whole and "digest" in whole


def test_a_view_draws_the_whole_text_in_a_notebook():
    text, articles = _two_articles()
    cell = View(text, articles, title="digest.txt")._repr_html_()
    assert _text_of(cell) == text and 'id="xv-' in cell
