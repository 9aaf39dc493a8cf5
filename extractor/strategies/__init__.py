"""Strategies: how an article's records are decided, with or without a model.

One `Strategy` per way of reading an article (`rules`, `cues`, `two_step`), each
given a `calls.Context` that offers the model call (cache, call cap, re-asks).
What the model fills (`drafts`), how its choices are constrained to what the text
holds (`constrain`), the short questions the cue stages leave open (`questions`),
and model drafts turned into grounded records (`assemble`).
"""
