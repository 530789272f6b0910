"""Why the read layer cannot answer, each with the words the site shows for it (store/texts.py)."""
from __future__ import annotations


class DatabaseMissing(FileNotFoundError):
    """There is no database file at the configured path."""
    text_key = "db_missing"


class SchemaError(RuntimeError):
    """The file is not a database this software can read (another schema version, or not ours)."""
    text_key = "db_incompatible"


class UntrustedHistory(SchemaError):
    """The served releases manifest does not check (its shape, its order or its hash chain):
    its history was changed, and no release of it is served."""
    text_key = "history_untrusted"
