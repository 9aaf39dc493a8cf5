"""Specification of language detection: the script, then a Latin script's function words."""

from __future__ import annotations

import pytest

from extractor.lang.detect import detect_language

# One sentence of news in each language (written for this test, not from an article).
SENTENCES = {
    "en": "The foreign minister said on Tuesday that the talks with Iran would resume in Geneva.",
    "fr": "Le ministre des Affaires étrangères a déclaré mardi que les négociations avec "
    "l'Iran reprendraient à Genève.",
    "es": "El ministro de Exteriores dijo el martes que las negociaciones con Irán "
    "continuarán en Ginebra.",
    "de": "Der Außenminister sagte am Dienstag, dass die Verhandlungen mit dem Iran in Genf "
    "fortgesetzt werden.",
    "it": "Il ministro degli Esteri ha detto martedì che i negoziati con l'Iran continueranno "
    "a Ginevra, secondo una nota.",
    "pt": "O ministro das Relações Exteriores disse na terça-feira que as negociações com o "
    "Irã vão continuar em Genebra.",
    "nl": "De minister van Buitenlandse Zaken zei dinsdag dat de onderhandelingen met Iran in "
    "Genève worden voortgezet.",
    "tr": "Dışişleri Bakanı, İran ile müzakerelerin Cenevre'de devam edeceğini söyledi ve bu "
    "konuda çok umutlu olduğunu belirtti.",
    "id": "Menteri Luar Negeri mengatakan pada hari Selasa bahwa perundingan dengan Iran akan "
    "dilanjutkan di Jenewa.",
    "ar": "قال وزير الخارجية إن المحادثات مع إيران ستستأنف في جنيف.",
    "ru": "Министр иностранных дел заявил, что переговоры продолжатся в Женеве.",
}


@pytest.mark.parametrize(("language", "text"), sorted(SENTENCES.items()))
def test_each_language_is_told_by_its_script_or_its_function_words(
    language: str, text: str
) -> None:
    assert detect_language(text) == language


@pytest.mark.parametrize(
    "text",
    [
        "Short headline\nBody.",
        "Staffan de Mistura met Luiz Inacio Lula da Silva in Sao Paulo.",
        "Abdel Fattah el-Sisi and Sheikh Tamim bin Hamad al-Thani met in Doha.",
    ],
)
def test_english_without_its_function_words_or_with_foreign_names_stays_english(
    text: str,
) -> None:
    assert detect_language(text) == "en"


def test_text_without_letters_is_undetermined() -> None:
    assert detect_language("12345 -- 678") == "und"
