"""Use of force and body-worn video on stop and search: the force's monthly extracts (SOURCES.md)."""
