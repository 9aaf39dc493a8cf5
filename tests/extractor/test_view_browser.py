"""The record page as people use it, in headless chromium: list, cycling, keys, narrow.

Each test draws a page from hand-made records (a meeting inside a claim inside a long
text) and drives it like a reader: click the side list, click twice on one place,
Tab and arrow keys, a 420 px window, two notebook outputs on one page.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from extractor.models import Actor, Article, Claim, Meeting
from extractor.view import render_fragment, render_page

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
pytestmark = pytest.mark.browser

FILLER = "Nothing of note happened in the harbour that morning.\n" * 40
SENTENCE = "Haddad said he will meet Borg in Valletta next week."
TEXT = f"Talks in Valletta\n{FILLER}{SENTENCE}\nBorg said nothing.\n"


def _span(part: str, start: int = 0) -> tuple[int, int]:
    at = TEXT.index(part, start)
    return (at, at + len(part))


def article() -> Article:
    """Borg's meeting lies inside Haddad's claim; both actors are mentioned inside both."""
    claim_at = TEXT.index(SENTENCE)
    meeting = "he will meet Borg in Valletta next week"
    return Article(
        title="Talks in Valletta",
        language="en",
        span=(0, len(TEXT)),
        actors=[
            Actor(
                id="haddad",
                name="Haddad",
                name_en="Haddad",
                kind="person",
                mentions=[_span("Haddad")],
            ),
            Actor(
                id="borg",
                name="Borg",
                name_en="Borg",
                kind="person",
                mentions=[
                    _span("Borg", claim_at),
                    _span("Borg", TEXT.index("Borg said")),
                ],
            ),
        ],
        claims=[
            Claim(
                speakers=["haddad"],
                statement="He will meet Borg.",
                evidence=SENTENCE,
                quote="indirect",
                span=_span(SENTENCE),
            ),
            Claim(
                speakers=["borg"],
                statement="Nothing.",
                evidence="Borg said nothing.",
                quote="indirect",
                span=_span("Borg said nothing."),
            ),
        ],
        meetings=[
            Meeting(
                participants=["haddad", "borg"],
                status="planned",
                evidence=meeting,
                location="Valletta",
                span=_span(meeting),
            ),
        ],
    )


@pytest.fixture(scope="module")
def browser():
    playwright = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed (apt-get install -y chromium)")
    with playwright.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        yield b
        b.close()


def open_page(browser, content: str, width: int = 1280):
    page = browser.new_page(viewport={"width": width, "height": 700})
    problems: list[str] = []
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.set_content(content)
    return page, problems


def in_view(page, selector: str) -> bool:
    return page.evaluate(
        """(sel) => { const r = document.querySelector(sel).getBoundingClientRect();
                      return r.top >= 0 && r.bottom <= window.innerHeight; }""",
        selector,
    )


def test_a_list_item_jumps_to_its_record_and_selects_it(browser):
    page, problems = open_page(browser, render_page(TEXT, [article()], title="talks.txt"))
    assert page.title() == "Talks in Valletta"  # the headline, not the file name
    assert not in_view(page, '.text [data-rec="0-c-0"]')  # below the fold at first
    page.click('.item[data-key="0-c-0"]')
    assert in_view(page, '.text [data-rec="0-c-0"]')
    assert "sel" in page.get_attribute('.text [data-rec="0-c-0"]', "class")
    assert page.get_attribute('.item[data-key="0-c-0"]', "aria-pressed") == "true"
    fields = page.inner_text("#fields")
    assert "speakers" in fields and "Haddad" in fields
    # an actor lights up its claims and meetings
    page.click('.item[data-key="0-a-borg"]')
    linked = page.eval_on_selector_all(".text .rec.linked", "els => els.map(e => e.dataset.rec)")
    assert {"0-c-1", "0-m-0"} <= set(linked) and "0-c-0" not in linked
    assert problems == []


def test_the_field_panel_stays_on_screen_beside_a_long_list(browser):
    crowd = article()
    harbours = [i for i in range(len(TEXT)) if TEXT.startswith("harbour", i)]
    extra = [
        Actor(
            id=f"h{k}",
            name="harbour",
            name_en=f"Harbour {k}",
            kind="organization",
            mentions=[(at, at + 7)],
        )
        for k, at in enumerate(harbours)
    ]
    crowd = crowd.model_copy(update={"actors": [*crowd.actors, *extra]})
    page, problems = open_page(browser, render_page(TEXT, [crowd]))
    assert len(extra) >= 30
    page.click('.item[data-key="0-c-1"]')  # the last claim, far down the list
    assert "Borg" in page.inner_text("#fields")
    assert in_view(page, "#fields") and in_view(page, '.item[data-key="0-c-1"]')
    assert problems == []


def test_clicking_again_on_one_place_cycles_through_the_records_nested_there(browser):
    page, problems = open_page(browser, render_page(TEXT, [article()]))
    meeting = page.locator('.text [data-rec="0-m-0"]').first
    picked = []
    for _ in range(3):
        meeting.click(position={"x": 4, "y": 8})  # on "he", inside the meeting and the claim
        picked.append(page.eval_on_selector(".text .rec.sel", "e => e.dataset.rec"))
    assert picked == ["0-m-0", "0-c-0", "0-m-0"]
    borg = page.locator('.text [data-rec="0-a-borg"]').first
    picked = []
    for _ in range(3):
        borg.click()
        picked.append(page.eval_on_selector(".text .rec.sel", "e => e.dataset.rec"))
    assert picked == ["0-a-borg", "0-m-0", "0-c-0"]
    assert "3" in page.inner_text(".hint")  # "record 3 of 3 here"
    assert problems == []


def test_hover_shows_a_card_with_the_fields_not_the_browser_tooltip(browser):
    page, problems = open_page(browser, render_page(TEXT, [article()]))
    assert page.locator(".text [title]").count() == 0
    assert page.is_hidden(".pop")
    page.locator('.text [data-rec="0-a-borg"]').first.hover()
    card = page.inner_text(".pop")
    assert page.is_visible(".pop") and "name_en" in card and "Borg" in card
    assert "more record(s) here" in card
    page.mouse.move(1, 1)
    assert page.is_hidden(".pop")
    assert problems == []


def test_keyboard_tab_arrows_and_enter_with_a_visible_focus_ring(browser):
    page, problems = open_page(browser, render_page(TEXT, [article()]))
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "filter"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.dataset.key") == "0-a-haddad"
    page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.dataset.key") == "0-a-borg"
    page.keyboard.press("Enter")
    assert page.get_attribute('.item[data-key="0-a-borg"]', "aria-pressed") == "true"
    ring = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert ring == "solid"
    # in the text: Tab reaches the selected record, arrows walk the records, Enter cycles
    page.keyboard.press("Tab")
    for _ in range(20):
        if page.evaluate("!!document.activeElement.closest('.text')"):
            break
        page.keyboard.press("Tab")
    first = page.evaluate("document.activeElement.dataset.rec")
    page.keyboard.press("ArrowRight")
    second = page.evaluate("document.activeElement.dataset.rec")
    assert second and second != first
    assert page.eval_on_selector(".text .rec.sel", "e => e.dataset.rec") == second
    shadow = page.evaluate("getComputedStyle(document.activeElement).boxShadow")
    assert shadow != "none"
    assert problems == []


def test_the_filter_keeps_only_matching_records(browser):
    page, problems = open_page(browser, render_page(TEXT, [article()]))
    page.fill(".filter", "borg")
    shown = page.eval_on_selector_all(
        ".item", "els => els.filter(e => e.offsetParent).map(e => e.dataset.key)"
    )
    assert "0-a-borg" in shown and "0-a-haddad" not in shown and "0-c-1" in shown
    assert problems == []


def test_at_420_px_the_list_sits_above_a_text_column_of_300_px_or_more(browser):
    page, problems = open_page(browser, render_page(TEXT, [article()]), width=420)
    assert page.evaluate("document.documentElement.scrollWidth") <= 420
    text = page.evaluate(
        "(() => { const r = document.querySelector('.text')"
        ".getBoundingClientRect(); return [r.width, r.top]; })()"
    )
    side = page.evaluate("document.querySelector('.side').getBoundingClientRect().bottom")
    assert text[0] >= 300 and side <= text[1]
    assert problems == []


def test_two_notebook_outputs_on_one_page_keep_to_themselves(browser):
    one, two = render_fragment(TEXT, [article()]), render_fragment(TEXT, [article()])
    page, problems = open_page(browser, f"<html><body>{one}{two}</body></html>")
    roots = page.eval_on_selector_all(".xv", "els => els.map(e => e.id)")
    assert len(set(roots)) == 2
    page.locator(f'#{roots[1]} .item[data-key="0-c-0"]').click()
    assert page.locator(f"#{roots[1]} .text .rec.sel").count() >= 1
    assert page.locator(f"#{roots[0]} .rec.sel").count() == 0
    assert "Haddad" in page.inner_text(f"#{roots[1]} .fields")
    assert "Haddad" not in page.inner_text(f"#{roots[0]} .fields")
    assert problems == []
