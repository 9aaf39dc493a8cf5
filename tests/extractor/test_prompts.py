"""Specification of prompts as files: strict placeholders, literal article text, hashed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from extractor.errors import ConfigError
from extractor.llm.prompts import DEFAULT_PROMPT, Prompt, actor_listing, load_prompt, prompts_dir

TRICKY_ARTICLE = (
    "قال الوزير {{ x }} إن {% if a %}المحادثات{% endif %} ستبدأ.\n"
    "Price: $article and ${x} and $$ and $ 5 and {0} and %s and {x!r}."
)

SHOT = {
    "article": "[1] قال الوزير إن الوفد وصل.",
    "output": {
        "outlet": None,
        "dateline": None,
        "actors": [
            {"id": "minister", "name": "الوزير", "name_en": "the minister", "kind": "person"}
        ],
        "claims": [
            {"speakers": ["minister"], "statement": "الوفد وصل", "sentence": 1, "quote": "indirect"}
        ],
        "meetings": [],
    },
}


@pytest.fixture(autouse=True)
def _packaged_prompts(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("EXTRACTOR_PROMPTS", raising=False)


def _folder(
    root: Path,
    name: str = "p",
    *,
    user: str = "Article:\n$article",
    system: str = "You extract records.",
    step2: str | None = "Ids:\n$actors",
    examples: list[dict] | None = None,
) -> Path:
    folder = root / name
    folder.mkdir(parents=True)
    (folder / "system.txt").write_text(system, encoding="utf-8")
    (folder / "user.txt").write_text(user, encoding="utf-8")
    if step2 is not None:
        (folder / "step2.txt").write_text(step2, encoding="utf-8")
    if examples is not None:
        (folder / "examples.json").write_text(
            json.dumps(examples, ensure_ascii=False), encoding="utf-8"
        )
    return folder


class TestShippedPrompts:
    def test_default_is_v4(self) -> None:
        assert DEFAULT_PROMPT == "v4"
        assert load_prompt().name == "v4"

    def test_v4_has_two_shot_examples_in_both_steps(self) -> None:
        prompt = load_prompt("v4")
        assert len(prompt.examples) == 8  # two shots x (user, step one, user, step two)
        assert "$actors" in prompt.step2.template
        assert len(prompt.hash) == 16

    def test_env_var_chooses_the_prompts_folder(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        _folder(tmp_path, "mine")
        monkeypatch.setenv("EXTRACTOR_PROMPTS", str(tmp_path))
        assert prompts_dir() == tmp_path
        assert load_prompt("mine").name == "mine"

    def test_unknown_prompt_lists_the_known_ones(self) -> None:
        with pytest.raises(ConfigError) as info:
            load_prompt("v99")
        assert "v4" in str(info.value)


class TestPromptNames:
    @pytest.mark.parametrize("name", ["../../x", "/etc", "a/b", "..", "", " v4", "v4\n"])
    def test_a_path_is_not_a_prompt_name(self, name: str) -> None:
        with pytest.raises(ConfigError, match="not a name"):
            load_prompt(name)

    def test_settings_refuse_a_path_at_construction(self) -> None:
        from extractor.settings import Settings

        with pytest.raises(ConfigError, match="not a name"):
            Settings(prompt="../../x")


class TestArticleIsLiteral:
    def test_article_reaches_the_user_message_verbatim(self) -> None:
        messages = load_prompt("v4").messages(TRICKY_ARTICLE)
        assert TRICKY_ARTICLE in messages[-1]["content"]
        assert messages[-1]["content"].count("$article") == 1  # only the article's own

    def test_article_text_is_not_templated_in_a_custom_prompt(self, tmp_path: Path) -> None:
        _folder(tmp_path, user="<<$article>>")
        prompt = load_prompt("p", tmp_path)
        assert prompt.messages(TRICKY_ARTICLE)[-1]["content"] == f"<<{TRICKY_ARTICLE}>>"

    def test_article_is_the_last_message(self, tmp_path: Path) -> None:
        _folder(tmp_path, examples=[SHOT])
        messages = load_prompt("p", tmp_path).messages("X")
        assert messages[-1] == {"role": "user", "content": "Article:\nX"}
        assert messages[0] == {"role": "system", "content": "You extract records."}


class TestConfigErrors:
    def test_user_template_without_article_placeholder(self, tmp_path: Path) -> None:
        _folder(tmp_path, user="Article:\n$text")
        with pytest.raises(ConfigError, match=r"\$article"):
            load_prompt("p", tmp_path)

    def test_a_prompt_without_step_two_asks_one_question(self, tmp_path: Path) -> None:
        folder = _folder(tmp_path)
        (folder / "step2.txt").unlink()
        prompt = load_prompt("p", tmp_path)
        assert prompt.step2 is None
        with pytest.raises(ConfigError, match="no step two"):
            prompt.step2_messages([], "{}", [])

    def test_follow_up_questions_are_optional_files_that_continue_the_conversation(
        self, tmp_path: Path
    ) -> None:
        folder = _folder(tmp_path, step2=None)
        bare = load_prompt("p", tmp_path)
        assert bare.decide is None and bare.meet is None
        with pytest.raises(ConfigError, match="no meet.txt"):
            bare.meet_messages([], "{}", {})
        (folder / "meet.txt").write_text("Who meets?\n$actors\n$meetings", encoding="utf-8")
        prompt = load_prompt("p", tmp_path)
        first = prompt.messages("[1] text")
        follow = prompt.meet_messages(
            first, '{"actors": []}', {"actors": "a1 = X", "meetings": "[1]"}
        )
        assert follow[: len(first)] == first
        assert follow[len(first) :] == [
            {"role": "assistant", "content": '{"actors": []}'},
            {"role": "user", "content": "Who meets?\na1 = X\n[1]"},
        ]
        assert prompt.hash != bare.hash

    @pytest.mark.parametrize("missing", ["system.txt", "user.txt"])
    def test_missing_required_file(self, tmp_path: Path, missing: str) -> None:
        folder = _folder(tmp_path)
        (folder / missing).unlink()
        with pytest.raises(ConfigError, match=missing):
            load_prompt("p", tmp_path)

    def test_malformed_examples_are_a_config_error(self, tmp_path: Path) -> None:
        _folder(tmp_path, examples=[{"article": "x"}])
        with pytest.raises(ConfigError, match="examples.json"):
            load_prompt("p", tmp_path)


class TestHash:
    def test_same_files_same_hash(self, tmp_path: Path) -> None:
        _folder(tmp_path / "a")
        _folder(tmp_path / "b")
        assert load_prompt("p", tmp_path / "a").hash == load_prompt("p", tmp_path / "b").hash

    @pytest.mark.parametrize(
        "filename",
        ["system.txt", "user.txt", "examples.json", "step2.txt", "notes.md"],
    )
    def test_any_file_change_changes_the_hash(self, tmp_path: Path, filename: str) -> None:
        folder = _folder(tmp_path, examples=[SHOT])
        before = load_prompt("p", tmp_path).hash
        path = folder / filename
        if filename == "examples.json":
            path.write_text(json.dumps([SHOT, SHOT], ensure_ascii=False), encoding="utf-8")
        elif filename == "user.txt":
            path.write_text("Article text:\n$article", encoding="utf-8")
        elif filename == "step2.txt":
            path.write_text("Actor ids:\n$actors", encoding="utf-8")
        else:
            path.write_text(
                path.read_text(encoding="utf-8") + " changed" if path.exists() else "a new file",
                encoding="utf-8",
            )
        assert load_prompt("p", tmp_path).hash != before


class TestTwoStep:
    def _prompt(self, tmp_path: Path) -> Prompt:
        _folder(tmp_path, examples=[SHOT, SHOT])
        return load_prompt("p", tmp_path)

    def test_examples_alternate_user_and_assistant(self, tmp_path: Path) -> None:
        prompt = self._prompt(tmp_path)
        roles = [m["role"] for m in prompt.examples]
        assert roles == ["user", "assistant", "user", "assistant"] * 2

    def test_example_turns_split_the_output_by_step(self, tmp_path: Path) -> None:
        prompt = self._prompt(tmp_path)
        user1, step1, user2, step2 = prompt.examples[:4]
        assert user1["content"] == f"Article:\n{SHOT['article']}"
        assert set(json.loads(step1["content"])) == {"outlet", "dateline", "actors"}
        assert user2["content"] == "Ids:\nminister = الوزير"
        assert set(json.loads(step2["content"])) == {"claims", "meetings"}
        assert "الوزير" in step1["content"]  # JSON written without ASCII escapes

    def test_messages_put_examples_between_system_and_article(self, tmp_path: Path) -> None:
        prompt = self._prompt(tmp_path)
        messages = prompt.messages("X")
        assert messages[0]["role"] == "system"
        assert messages[1:-1] == list(prompt.examples)
        roles = [m["role"] for m in messages[1:]]
        assert all(a != b for a, b in zip(roles, roles[1:]))  # strictly alternating

    def test_step2_messages_append_assistant_then_user(self, tmp_path: Path) -> None:
        prompt = self._prompt(tmp_path)
        first = prompt.messages("X")
        snapshot = [dict(m) for m in first]
        out = prompt.step2_messages(first, '{"actors": []}', [("a1", "قطر"), ("a2", "حماس")])
        assert out[: len(first)] == first
        assert out[len(first) :] == [
            {"role": "assistant", "content": '{"actors": []}'},
            {"role": "user", "content": "Ids:\na1 = قطر\na2 = حماس"},
        ]
        assert first == snapshot  # the caller's list is not mutated

    def test_step2_with_no_actors_says_none(self, tmp_path: Path) -> None:
        prompt = self._prompt(tmp_path)
        out = prompt.step2_messages(prompt.messages("X"), "{}", [])
        assert out[-1]["content"] == "Ids:\n(none)"
        assert actor_listing([]) == "(none)"
