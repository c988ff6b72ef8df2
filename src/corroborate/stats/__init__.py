"""Statistics on person lists: record linkage (``corroborate.stats.linkage``) and, later, multiple systems estimation.

Imports only ``corroborate.domain``, the standard library and libraries; never reads a store or
calls a service, and never logs a name (names on person lists are restricted fields).
"""

__all__: list[str] = []
