"""oversight: public reporting on a failing public service, as a graph investigators can question.

The repository's graph/, loaders/, queries/ and visualise/ folders install as `oversight.graph`,
`oversight.loaders`, `oversight.queries` and `oversight.visualise` (see pyproject.toml).
"""

__version__ = "0.2.0"
