"""The web workbench: a FastAPI application rendering server-side pages over ``corroborate.services``.

It imports services (and the domain's types) only, like the command line. Every page checks the signed-in
user's role through the same services; restricted identities never enter a page sent to anyone who may not
see them.
"""

from .app import create_app

__all__ = ["create_app"]
