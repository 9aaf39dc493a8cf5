"""The eval harness: gold loading and checking, scoring (RECORDS.md §3), statistics,
runs, the HTML report, cassette replay, the seed benchmark, and `extractor eval …`.

It imports the library (`extractor`); the library never imports it. Its own
dependencies (scipy, numpy, vcrpy) come with the `evals` extra.
"""
