"""Specification of article and sentence segmentation (offsets always into the whole input)."""

from __future__ import annotations

import textwrap

import pytest
from paths import ROOT

from extractor.text import segment as segment_module
from extractor.text.segment import (
    Segment,
    Sentence,
    bound_sentences,
    chunk_sentences,
    split_articles,
    split_sentences,
)

SEED_CANDIDATES = [
    ROOT / "examples" / "seed-cnn-qatar-hamas.txt",
    ROOT.parent / "shared" / "examples" / "seed-cnn-qatar-hamas.txt",
]


@pytest.fixture
def seed() -> str:
    for path in SEED_CANDIDATES:
        if path.is_file():
            return path.read_text(encoding="utf-8")
    pytest.skip(f"the seed article is in none of {[str(p) for p in SEED_CANDIDATES]}")


def _whole(text: str) -> Segment:
    return Segment(0, len(text))


def _texts(text: str, segment: Segment | None = None) -> list[str]:
    return [s.text for s in split_sentences(text, segment or _whole(text))]


# A body paragraph long enough (>= 25 words) to count as an article of its own.
EN_BODY = (
    "The city council said on Monday that the new ferry port would open next spring "
    "after three years of delay, and that fares would stay at the current level for "
    "residents of the two islands it serves."
)


class TestSplitArticles:
    def test_text_without_markers_is_one_article(self) -> None:
        text = "Headline\nThe minister said the talks went well.\n"
        assert split_articles(text) == [Segment(0, len(text))]

    def test_a_tail_of_leads_cut_short_is_one_article_per_lead(self) -> None:
        body = ("The minister said the talks went well and would go on next week. " * 4).strip()
        lead = "The envoy said the border would open to trucks and buses on Monday, " * 4
        cut = lead.rstrip(", ") + " and"  # a feed cut it mid-sentence
        done = lead.rstrip(", ") + "."
        paragraphs = ["Talks go on", body, body, body, cut, done, cut]
        text = "\n".join(paragraphs) + "\n"
        segments = split_articles(text)
        assert [text[g.start : g.end] for g in segments] == [
            "\n".join(paragraphs[:4]),
            cut,
            done,
            cut,
        ]
        assert all(g.notes for g in segments[1:])

    def test_one_paragraph_cut_short_is_no_tail(self) -> None:
        body = ("The minister said the talks went well and would go on next week. " * 4).strip()
        cut = ("The envoy said the border would open to trucks and buses on Monday, " * 4) + "and"
        text = "\n".join(["Talks go on", body, body, body, cut, body]) + "\n"
        assert len(split_articles(text)) == 1

    def test_seed_has_two_articles(self, seed: str) -> None:
        segments = split_articles(seed)
        assert len(segments) == 2

    def test_seed_main_article_ends_before_the_read_also_marker(self, seed: str) -> None:
        main = split_articles(seed)[0]
        marker = seed.index("إقرأ أيضاً")
        assert main.start == 0
        assert main.end <= marker
        assert seed[main.start : main.end].rstrip().endswith("CNN Arabic")
        assert "إقرأ أيضاً" not in seed[main.start : main.end]

    def test_seed_second_article_starts_at_its_headline(self, seed: str) -> None:
        second = split_articles(seed)[1]
        headline = "الخارجية الإيرانية: المباحثات مع واشنطن غير مباشرة"
        assert second.start == seed.index(headline)
        assert second.end == len(seed.rstrip())

    def test_seed_main_article_does_not_leak_the_appended_story(self, seed: str) -> None:
        main = split_articles(seed)[0]
        assert "عراقتشي" not in seed[main.start : main.end]

    def test_teaser_block_of_headlines_is_excluded_and_noted(self) -> None:
        text = (
            "Ferry port to open next spring\n"
            "The mayor said the port was ready. Engineers agreed.\n"
            "Read also:\n"
            "Bridge repairs finish early\n"
            "Council votes on new budget\n"
            "Schools reopen after storm\n"
            f"{EN_BODY}\n"
        )
        segments = split_articles(text)
        assert len(segments) == 1
        (main,) = segments
        assert len(main.excluded) == 1
        lo, hi = main.excluded[0]
        assert text[lo:hi] == (
            "Read also:\nBridge repairs finish early\nCouncil votes on new budget\n"
            "Schools reopen after storm"
        )
        assert len(main.notes) == 1
        assert "teaser" in main.notes[0]
        assert "Bridge repairs finish early" in main.notes[0]
        sentences = _texts(text, main)
        assert not any("Bridge repairs" in s or "Read also" in s for s in sentences)
        assert sentences[-1].startswith("The city council said")

    def test_inline_arabic_read_also_line_is_excluded_with_a_note(self) -> None:
        text = (
            "الوزير يبحث مع نظيره ملف المياه\n"
            "قال الوزير إن المحادثات ستستأنف غدا.\n"
            "اقرأ أيضا| الوزير يزور العاصمة الأسبوع المقبل\n"
            "وأضاف الوزير أن الوفد سيصل صباحا.\n"
        )
        segments = split_articles(text)
        assert len(segments) == 1
        (main,) = segments
        teaser = "اقرأ أيضا| الوزير يزور العاصمة الأسبوع المقبل"
        assert [text[s:e] for s, e in main.excluded] == [teaser]
        assert len(main.notes) == 1 and teaser in main.notes[0]
        assert _texts(text, main) == [
            "الوزير يبحث مع نظيره ملف المياه",
            "قال الوزير إن المحادثات ستستأنف غدا.",
            "وأضاف الوزير أن الوفد سيصل صباحا.",
        ]

    def test_related_marker_with_headline_and_body_starts_a_second_article(self) -> None:
        text = (
            "Mayor says bridge is safe\n"
            "The mayor said the bridge was safe. Engineers agreed.\n"
            "Related:\n"
            "Ferry port to open next spring\n"
            f"{EN_BODY}\n"
        )
        main, second = split_articles(text)
        assert text[main.start : main.end] == (
            "Mayor says bridge is safe\nThe mayor said the bridge was safe. Engineers agreed."
        )
        assert second.start == text.index("Ferry port to open next spring")
        assert text[second.start : second.end].endswith("the two islands it serves.")
        assert main.excluded == [] and second.excluded == []

    def test_a_source_credit_closing_a_paragraph_is_left_out_with_a_note(self) -> None:
        text = (
            "Port talks\n"
            f"{EN_BODY} [Lena Brandt, Harbour News]\n"
            "The union agreed [Reuters]\n"
            "A bracket [sic] inside a sentence stays, and so does [a lower-case aside]\n"
        )
        (article,) = split_articles(text)
        assert [text[a:b] for a, b in article.excluded] == [
            "[Lena Brandt, Harbour News]",
            "[Reuters]",
        ]
        assert article.notes == ["2 source credit(s) in brackets not extracted"]
        assert not any("Brandt" in s.text for s in split_sentences(text, article))

    def test_read_also_then_a_headline_then_prose_that_continues_is_a_teaser(self) -> None:
        # The prose after the headline opens with "و": it is the story going on, not
        # the first paragraph of another one, so the marker and headline are a teaser.
        text = (
            "الميناء الجديد يفتح في الربيع\n"
            "قال وزير النقل إن الميناء الجديد سيفتح أبوابه في الربيع المقبل.\n"
            "اقرأ أيضا:\n"
            "البلدية تعلن خطة لتوسيع الطرق\n"
            "وأضاف الوزير أن الرسوم ستبقى على حالها لسكان الجزيرتين اللتين يخدمهما "
            "الميناء، وأن العمال سيبدأون التدريب على المعدات الجديدة خلال الشهر المقبل "
            "قبل وصول السفن الأولى.\n"
        )
        (main,) = split_articles(text)
        teaser = "اقرأ أيضا:\nالبلدية تعلن خطة لتوسيع الطرق"
        assert [text[s:e] for s, e in main.excluded] == [teaser]
        assert "البلدية تعلن خطة لتوسيع الطرق" in main.notes[0]
        assert _texts(text, main)[-1].startswith("وأضاف الوزير")

    def test_read_also_then_a_headline_then_a_story_of_its_own_is_an_article(self) -> None:
        text = (
            "الميناء الجديد يفتح في الربيع\n"
            "قال وزير النقل إن الميناء الجديد سيفتح أبوابه في الربيع المقبل.\n"
            "اقرأ أيضا:\n"
            "البلدية تعلن خطة لتوسيع الطرق\n"
            "أعلنت البلدية، الأحد، خطة لتوسيع الطرق المؤدية إلى وسط المدينة خلال العامين "
            "المقبلين، وقالت إن الأعمال ستبدأ بعد انتهاء موسم الأمطار مباشرة وتستمر حتى "
            "نهاية الصيف المقبل.\n"
        )
        main, second = split_articles(text)
        assert text[main.start : main.end].endswith("في الربيع المقبل.")
        assert second.start == text.index("البلدية تعلن خطة")

    def test_a_digest_of_headlines_and_datelines_is_one_article_per_item(self) -> None:
        items = [
            (
                "* الميناء الجديد يفتح في الربيع",
                "* عدن - «الصحيفة»: قال وزير النقل إن الميناء الجديد سيفتح أبوابه في "
                "الربيع المقبل. وأضاف أن الرسوم ستبقى على حالها.",
            ),
            (
                "* المعلمون يرحبون بتمديد العطلة",
                "* تونس - «الصحيفة»: رحبت نقابة المعلمين بقرار تمديد العطلة الصيفية أسبوعا إضافيا.",
            ),
            (
                "* الصيادون يطالبون بتعويض",
                "* صفاقس - «الصحيفة»: طالبت جمعية الصيادين السلطات بتعويض الأسر التي "
                "تعتمد على الصيد.\nوقال رئيس الجمعية إن القرار قاس.",
            ),
        ]
        text = "موجز الأخبار\n\n" + "\n\n".join(f"{h}\n{b}" for h, b in items) + "\n"
        segments = split_articles(text)
        assert [text[g.start : g.end] for g in segments] == [f"{h}\n{b}" for h, b in items]
        # the digest's name heads no item: it is left out, and said so
        assert segments[0].notes == ["digest name not extracted: موجز الأخبار"]

    def test_repeated_datelines_without_headlines_are_one_article_each(self) -> None:
        paragraphs = [
            "LISBON (Harbour Wire) — The port authority said the terminal opens in May.",
            "OPORTO (Harbour Wire) — Dock workers said they would accept the new shifts.",
            "FARO (Harbour Wire) — The mayor said the ferry fares would not change.",
        ]
        text = "Ports in brief: a digest of the week.\n" + "\n".join(paragraphs) + "\n"
        segments = split_articles(text)
        # a header with prose stays with the first item, as in a newsletter
        assert [text[g.start : g.end] for g in segments] == [
            text[: text.index(paragraphs[1])].rstrip(),
            paragraphs[1],
            paragraphs[2],
        ]

    def test_a_live_blog_is_one_article_per_time_stamped_entry(self) -> None:
        entries = [
            "3:15 p.m.\n\nThe mayor says the ferry port will open in May.\n\n___.",
            "1 p.m.:\n\nDock workers say they will accept the new shift pattern.\n\n___.",
            "10:45 a.m.\n\nThe harbour authority says dredging is finished.",
        ]
        header = "The Latest: Ferry port to open in May.\n\nLISBON — The latest on the port:\n\n"
        text = header + "\n\n".join(entries) + "\n"
        segments = split_articles(text)
        # the blog's header, with its prose, stays with the first entry
        assert [text[g.start : g.end] for g in segments] == [header + entries[0], *entries[1:]]

    def test_two_datelines_or_a_byline_alone_make_no_digest(self) -> None:
        text = (
            "أبوظبي - سكاي نيوز\n"
            "عدن - «الصحيفة»: قال وزير النقل إن الميناء الجديد سيفتح أبوابه في الربيع.\n"
            "تونس - «الصحيفة»: رحبت نقابة المعلمين بقرار تمديد العطلة الصيفية.\n"
        )
        assert len(split_articles(text)) == 1

    def test_an_interview_in_bullets_is_one_article(self) -> None:
        text = (
            "حوار مع وزير النقل\n"
            + (
                "* متى يفتح الميناء الجديد؟\n"
                "- سيفتح في الربيع المقبل إذا انتهت أعمال الحفر في موعدها.\n"
            )
            * 4
        )
        assert len(split_articles(text)) == 1

    def test_segments_are_in_reading_order_and_do_not_overlap(self, seed: str) -> None:
        segments = split_articles(seed)
        for a, b in zip(segments, segments[1:]):
            assert a.start < a.end <= b.start < b.end


# The article's own paragraphs continue one another (و…, كما, بدوره …).
AR_BODY = [
    "الميناء الجديد يفتح في الربيع",
    "أعلنت وزارة النقل أن الميناء الجديد سيفتح أبوابه في الربيع المقبل بعد تأخير دام "
    "ثلاث سنوات بسبب أعمال الحفر.",
    "وقال المتحدث باسم الوزارة إن الرسوم ستبقى على حالها لسكان الجزيرتين اللتين يخدمهما الميناء.",
    "وأضاف أن العمال سيبدأون التدريب على المعدات الجديدة خلال الشهر المقبل.",
    "كما أشار إلى أن الحكومة ستراجع الجدول الزمني كل شهر حتى موعد الافتتاح.",
    "بدوره، قال رئيس البلدية إن المدينة مستعدة لاستقبال السفن الأولى.",
]
# Leads of other stories: each opens with its verb or its subject, and most date it.
AR_LEADS = [
    "أعلن المجلس البلدي، الأحد، عن خطة لإعادة تأهيل الحدائق العامة في وسط المدينة "
    "خلال العامين المقبلين بتكلفة تتجاوز مليون دينار.",
    "رحبت نقابة المعلمين، السبت، بقرار تمديد العطلة الصيفية أسبوعا إضافيا، معتبرة "
    "أنه يمنح المدارس وقتا كافيا لإصلاح المباني المتضررة.",
    "وصفت جمعية الصيادين قرار إغلاق الخليج أمام القوارب الصغيرة بأنه قاس، وطالبت "
    "السلطات بتعويض الأسر التي تعتمد على الصيد في معيشتها.",
    "في ختام زيارته للمنطقة الشمالية، افتتح المحافظ مستشفى جديدا يضم مئتي سرير ووعد "
    "بتحسين الطرق المؤدية إلى القرى النائية قريبا.",
]


class TestTailOfLeads:
    def test_leads_after_a_connected_arabic_body_are_one_article_each(self) -> None:
        text = "\n".join(AR_BODY + AR_LEADS) + "\n"
        segments = split_articles(text)
        assert [text[g.start : g.end] for g in segments] == ["\n".join(AR_BODY), *AR_LEADS]
        assert all("lead of another story" in g.notes[0] for g in segments[1:])

    def test_two_such_paragraphs_are_the_article_ending(self) -> None:
        text = "\n".join(AR_BODY + AR_LEADS[:2]) + "\n"
        assert len(split_articles(text)) == 1

    def test_undated_paragraphs_are_the_article_ending(self) -> None:
        undated = [lead.replace("، الأحد،", "").replace("، السبت،", "") for lead in AR_LEADS]
        text = "\n".join(AR_BODY + undated) + "\n"
        assert len(split_articles(text)) == 1

    def test_a_body_that_does_not_continue_itself_is_not_cut(self) -> None:
        # An essay whose paragraphs each open afresh gives no contrast to read a tail by.
        essay = [
            *AR_BODY[:2],
            "قال المتحدث باسم الوزارة إن الرسوم ستبقى على حالها.",
            "العمال سيبدأون التدريب على المعدات الجديدة خلال الشهر المقبل.",
            "الحكومة ستراجع الجدول الزمني كل شهر حتى موعد الافتتاح.",
        ]
        text = "\n".join(essay + AR_LEADS) + "\n"
        assert len(split_articles(text)) == 1

    def test_an_english_story_ending_in_plain_paragraphs_is_one_article(self) -> None:
        paragraphs = [
            "Ferry port to open next spring",
            EN_BODY,
            "The mayor said on Monday that the city was ready for the first ships.",
            "Dock workers said on Tuesday they would accept the new shift pattern.",
            f"Officials said on Friday that {EN_BODY[0].lower()}{EN_BODY[1:]}",
            f"Engineers said on Sunday that {EN_BODY[0].lower()}{EN_BODY[1:]}",
            f"Residents said on Saturday that {EN_BODY[0].lower()}{EN_BODY[1:]}",
        ]
        text = "\n".join(paragraphs) + "\n"
        assert len(split_articles(text)) == 1


class TestSplitSentences:
    def test_offsets_slice_the_input(self, seed: str) -> None:
        for segment in split_articles(seed):
            sentences = split_sentences(seed, segment)
            assert sentences
            for s in sentences:
                assert seed[s.start : s.end] == s.text
                assert segment.start <= s.start < s.end <= segment.end

    def test_arabic_question_mark_ends_a_sentence(self) -> None:
        text = "هل ستنجح المفاوضات؟ قال الوزير إنها ستنجح."
        assert _texts(text) == ["هل ستنجح المفاوضات؟", "قال الوزير إنها ستنجح."]

    def test_arabic_semicolon_ends_a_sentence(self) -> None:
        text = "قال الوزير إن الوفد وصل؛ وأضاف أن المحادثات تبدأ غدا."
        assert _texts(text) == ["قال الوزير إن الوفد وصل؛", "وأضاف أن المحادثات تبدأ غدا."]

    def test_latin_full_stop_question_and_exclamation_end_sentences(self) -> None:
        text = "Talks began. Will they last? Nobody knows!"
        assert _texts(text) == ["Talks began.", "Will they last?", "Nobody knows!"]

    def test_closing_quote_stays_with_its_sentence(self) -> None:
        text = 'He said: "We are ready." Then he left.'
        assert _texts(text) == ['He said: "We are ready."', "Then he left."]

    def test_a_quotation_then_a_lower_case_attribution_is_one_sentence(self) -> None:
        text = '"We will build the wall!" he said. "It is done." said Ortiz, a resident.'
        assert _texts(text) == [
            '"We will build the wall!" he said.',
            '"It is done." said Ortiz, a resident.',
        ]

    def test_two_stops_inside_a_quotation_are_a_pause_not_an_end(self) -> None:
        text = "وقال: «إنه أمر مثير.. إنه أمر جيد». وأضاف أن الوفد وصل.. ثم غادر."
        assert _texts(text) == [
            "وقال: «إنه أمر مثير.. إنه أمر جيد».",
            "وأضاف أن الوفد وصل..",
            "ثم غادر.",
        ]
        # a quotation that closes at the two stops ends the sentence there
        assert _texts("وقال: «انتهى الأمر..» ثم غادر.") == ["وقال: «انتهى الأمر..»", "ثم غادر."]

    def test_a_line_of_many_pauses_in_one_quotation_is_read_once(self) -> None:
        text = "«" + "كلام.. " * 20_000 + "»"
        assert len(_texts(text)) == 1

    def test_abbreviations_do_not_end_a_sentence(self) -> None:
        text = "The U.S. envoy met Mr. Smith in Doha. He left on Friday."
        assert _texts(text) == ["The U.S. envoy met Mr. Smith in Doha.", "He left on Friday."]
        text = '"It is shut," said Del. Lena Ortiz. Sens. Ana Brandt and Karim Haddad agreed.'
        assert _texts(text) == [
            '"It is shut," said Del. Lena Ortiz.',
            "Sens. Ana Brandt and Karim Haddad agreed.",
        ]

    def test_newline_ends_a_sentence_in_ordinary_text(self) -> None:
        text = "Ferry port to open next spring\nThe mayor said so"
        assert _texts(text) == ["Ferry port to open next spring", "The mayor said so"]

    def test_hard_wrapped_lines_join_within_a_sentence(self) -> None:
        paragraphs = [
            "The harbour authority said on Tuesday that the new container terminal would "
            "open in the spring, two years later than first planned, because of delays "
            "in dredging the channel.",
            "Officials from the shipping ministry met port managers for three hours. They "
            "agreed to share the cost of the extra work and to review the schedule every "
            "month until the opening.",
            "A spokesman for the dock workers said members would accept the new shift "
            "pattern if the overtime rate stayed the same as it was under the old contract.",
        ]
        lines: list[str] = []
        for paragraph in paragraphs:
            wrapped = textwrap.wrap(paragraph, 65)
            lines += ["    " + wrapped[0], *wrapped[1:]]
        text = "\n".join(lines) + "\n"
        assert all(len(line) <= 69 for line in lines)
        sentences = split_sentences(text, _whole(text))
        joined = [" ".join(s.text.split()) for s in sentences]
        assert joined == [
            paragraphs[0],
            "Officials from the shipping ministry met port managers for three hours.",
            "They agreed to share the cost of the extra work and to review the schedule "
            "every month until the opening.",
            paragraphs[2],
        ]
        for s in sentences:
            assert text[s.start : s.end] == s.text

    def test_excluded_ranges_are_left_out(self) -> None:
        text = "One sentence here. Skip this part. Last sentence."
        lo = text.index("Skip")
        hi = text.index("Last")
        segment = Segment(0, len(text), excluded=[(lo, hi)])
        assert _texts(text, segment) == ["One sentence here.", "Last sentence."]

    def test_only_the_segment_is_split(self) -> None:
        text = "Before. Inside one. Inside two. After."
        lo, hi = text.index("Inside one"), text.index(" After")
        sentences = split_sentences(text, Segment(lo, hi))
        assert [s.text for s in sentences] == ["Inside one.", "Inside two."]
        assert sentences[0].start == lo


def _sentences(lengths: list[int]) -> list[Sentence]:
    out, pos = [], 0
    for n in lengths:
        out.append(Sentence(pos, pos + n, "x" * n))
        pos += n + 1
    return out


class TestChunkSentences:
    def test_no_sentences_no_chunks(self) -> None:
        assert chunk_sentences([], max_chars=100) == []

    def test_short_article_is_one_chunk(self) -> None:
        sentences = _sentences([10, 10, 10])
        assert chunk_sentences(sentences, max_chars=1000) == [range(0, 3)]

    @pytest.mark.parametrize("overlap", [0, 1, 2])
    def test_windows_cover_every_sentence_in_order(self, overlap: int) -> None:
        sentences = _sentences([30, 45, 20, 60, 25, 40, 35, 50, 10, 70, 15])
        chunks = chunk_sentences(sentences, max_chars=120, overlap=overlap)
        assert len(chunks) > 1
        assert chunks[0].start == 0 and chunks[-1].stop == len(sentences)
        covered = set().union(*(set(c) for c in chunks))
        assert covered == set(range(len(sentences)))
        for a, b in zip(chunks, chunks[1:]):
            assert b.start > a.start  # progress, never a loop
            assert a.stop - b.start == min(overlap, len(a) - 1)

    def test_each_window_fits_in_max_chars(self) -> None:
        sentences = _sentences([30, 45, 20, 60, 25, 40, 35, 50, 10, 70, 15])
        for chunk in chunk_sentences(sentences, max_chars=120, overlap=2):
            assert sum(len(sentences[i].text) for i in chunk) <= 120

    def test_a_sentence_longer_than_max_chars_gets_a_window_of_its_own(self) -> None:
        sentences = _sentences([20, 500, 20])
        chunks = chunk_sentences(sentences, max_chars=100, overlap=1)
        assert range(1, 2) in chunks
        covered = set().union(*(set(c) for c in chunks))
        assert covered == {0, 1, 2}
        for chunk in chunks:
            if len(chunk) > 1:
                assert sum(len(sentences[i].text) for i in chunk) <= 100


class _CountingPattern:
    """Wraps a compiled pattern and counts the characters each `search` is given."""

    def __init__(self, pattern) -> None:
        self.pattern = pattern
        self.chars = 0

    def search(self, string: str, *args):
        self.chars += len(string)
        return self.pattern.search(string, *args)


class TestCostIsLinear:
    @pytest.mark.parametrize("n", [2_000, 8_000])
    def test_repeated_abbreviations_are_scanned_a_bounded_number_of_times(
        self, monkeypatch: pytest.MonkeyPatch, n: int
    ) -> None:
        # Before: every joined sentence was searched whole again, n² characters.
        counting = _CountingPattern(segment_module._ABBREV)
        monkeypatch.setattr(segment_module, "_ABBREV", counting)
        text = "U.S. Mr. Dr. " * n
        sentences = split_sentences(text, Segment(0, len(text)))
        assert len(sentences) == 1 and sentences[0].text == text.strip()
        assert counting.chars <= 2 * len(text)

    def test_an_over_long_sentence_is_cut_at_spaces_within_the_limit(self) -> None:
        text = "word " * 40_000  # one 200 KB line, no punctuation
        sentences = split_sentences(text, Segment(0, len(text)))
        assert len(sentences) == 1
        pieces = bound_sentences(text, sentences, 5000)
        assert all(0 < len(p.text) <= 5000 for p in pieces)
        assert all(text[p.start : p.end] == p.text for p in pieces)
        assert all(p.text.startswith("word") and p.text.endswith("word") for p in pieces)
        assert " ".join(p.text for p in pieces) == text.strip()
        windows = chunk_sentences(pieces, 5000)
        assert max(sum(len(pieces[i].text) for i in w) for w in windows) <= 5000

    def test_a_long_run_without_spaces_is_cut_at_the_limit(self) -> None:
        text = "x" * 12_001
        pieces = bound_sentences(text, split_sentences(text, Segment(0, len(text))), 5000)
        assert [len(p.text) for p in pieces] == [5000, 5000, 2001]

    def test_sentences_within_the_limit_are_returned_unchanged(self, seed: str) -> None:
        sentences = split_sentences(seed, split_articles(seed)[0])
        assert bound_sentences(seed, sentences, 5000) is sentences
