"""Deterministic sample community: vendor-shaped files plus ground truth (docs/CONTRACTS.md §1).

`generate.generate(out_dir, ...)` writes a sample directory; `advance.advance(dir)` moves it one
day forward. The server (`serve.py`) answers the vendor APIs from those files.
"""
