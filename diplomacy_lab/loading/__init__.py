"""Loading: files, folders and tables into the articles table, with a report of everything skipped.

Modules: ``corpus`` (load_corpus, load_report), ``readers`` (one input into raw records),
``walk`` (a folder's entries: files to read, links, pipes and devices to report), ``problems``
(report lines and raw records), ``fields`` (which input field is which column), ``textio`` (bytes to text), ``dates`` (dates with a precision), ``duplicates`` (near-duplicate
articles), ``cleaning`` (page furniture), ``summary`` (corpus totals).
"""
