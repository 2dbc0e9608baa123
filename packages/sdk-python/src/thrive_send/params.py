"""TypedDicts of the request bodies (``SendEmailParams``, ...), generated from the spec, for
passing plain dicts that a type checker still checks."""

from ._params import *  # noqa: F403
