"""The import framework: upload → gate → parse → validate → preview → commit.

Every importer subclasses `base.Importer` and registers itself with `base.register`
in its app's `importers.py` (found by `base.autodiscover`). The pieces, in the order a
file meets them:

- `gate`      size, type and zip-structure checks before any parser runs
- `readers`   .xlsx/.xls (python-calamine), .csv/.txt (csv module), .docx tables
- `formulas`  .xlsx formula cells without a cached value, found in the sheet XML
- `decoding`  UTF-8 (with or without BOM), then GB18030
- `values`    cell values → text, Decimal (quantised), integers, dates
- `base`      columns, rows, the Importer class and its registry
- `services`  store_file, evaluate, preview, commit, run_import
- `handlers`  the background jobs behind the upload pages

This module imports nothing, so importing the package is cheap and safe at app loading.
"""
