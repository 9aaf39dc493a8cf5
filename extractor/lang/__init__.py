"""Languages: each supported language is a pack of validated, hashed linguistic data.

Cue words, titles, clitic tables and word classes live in the pack's lexicon, not in
code, so a linguist extends a language by editing data and a third language is a new
pack. Imports only `extractor.text`.
"""
