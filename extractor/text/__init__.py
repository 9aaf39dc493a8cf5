"""Text: what comes in and where things are in it.

Input checks (bad input costs no LLM call), Unicode normalization shared with the
scorer, articles and sentences with offsets into the whole input, the one text
finder (grounding), and dates. Nothing here knows a language's words.
"""
