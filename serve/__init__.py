"""`oversight serve`: the graph as linked, server-rendered pages on loopback (docs/serve.md).

Starlette and uvicorn are imported only here and by the serve command, so that the rest of
the command line starts without them.
"""
