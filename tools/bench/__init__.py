"""The polku benchmark: ``make bench`` (quick) or ``make bench ARGS=--full``.

Run as ``python -m bench`` with ``tools/`` on the module path (the editable install of
polku puts it there), or as ``python tools/bench``. It measures, side by side in one run:

- ``polku build --no-pdf`` against plain MkDocs + Material on polku's own generated pages
  (baseline A) and on the same text written by hand as pages (baseline B), from scratch,
  after editing one module and with nothing changed; site and page sizes;
- ``polku check`` with and without the parse cache;
- the workbook PDFs: pages per second with one process and all cores, rebuilds;
- the live preview: from saving a module to the new page being served;
- wall time, CPU time and peak RSS of the whole process tree of each command.

It writes ``docs/benchmarks.md`` with the targets met or not, and a plot beside it.

- ``synth``: the synthetic curriculum (also used by the tests)
- ``baselines``: the plain MkDocs projects A and B
- ``measure``: timing a command; ``serve``: the live preview; ``workbooks``: the PDFs;
  ``peers``: other engines (Zensical)
- ``suite``: what one size measures; ``results``, ``report``, ``plot``: the output
"""
