"""newskg: news articles in, a SHACL-validated graph of actors, events and relations out."""

__version__ = "0.1.0"
