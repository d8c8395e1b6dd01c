"""Documents into the graph: passages, and the known entities each passage speaks of.

    from oversight.graph.stores import open_store
    from oversight.loaders.documents import load_documents

    with open_store("oversight.lbug") as store:
        documents = load_documents(store, [Path("letters/")])

- extract.py   .txt, .md, .html, .pdf into paragraphs in order (with `p21`-style references)
- manifest.py  title, kind, publisher, date from a sidecar FILE.yaml or a folder's corpus.yaml
- linker.py    mentions of the store's people, posts, bodies, services and inspections
- candidates.py names that match no known entity
- ofsted.py    visit dates, inspectors, judgement lines and figures of an Ofsted letter
- load.py      Source, Passage, IN_SOURCE and MENTIONS rows; one idempotent transaction
- evaluate.py  precision and recall against the curated dataset's citations
- report.py    what `oversight load-documents --report` shows, as plain data
"""

from oversight.loaders.documents.extract import DocumentError
from oversight.loaders.documents.load import load_documents

__all__ = ["DocumentError", "load_documents"]
