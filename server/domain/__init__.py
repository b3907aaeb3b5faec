"""The queue engine: plain Python, no I/O.

Nothing here imports FastAPI, SQL or device libraries (an import test keeps it so).
Time and ids are passed in; a broken rule raises :class:`DomainError` with a stable code.
"""
