"""The in-memory OCI distribution registry behind fake_registry.py (which documents its use)."""
