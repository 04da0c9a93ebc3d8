"""Server mode: the same mock over HTTP (docs/server.md)."""
