"""The LLM layer: the one client over the SDKs, its disk cache, prompts and the embedded model.

`client` is the only module that imports `openai` and `instructor`; everything else
speaks to it through plain types, so a backend change touches one file.
"""
