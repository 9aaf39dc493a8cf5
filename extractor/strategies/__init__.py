"""Strategies: how an article's records are decided when a model is asked.

What the model fills (`drafts`), how its choices are constrained to what the text
holds (`constrain`), the short questions the cue stages leave open (`questions`),
and model drafts turned into grounded records (`assemble`).
"""
