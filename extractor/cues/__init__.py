"""The cue stages: records found by code from a language pack, with no model.

Which sentences report speech and who speaks (`speech`), the article's actors and
who a pronoun or description is (`actors`), meetings (`meetings`), and the article
put together from them (`article`). Never imports the LLM layer: the rules strategy
is this package alone, and the model strategies ask only what it leaves open.
"""
