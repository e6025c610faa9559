"""Operations helpers for `python -m bot serve`: metrics, health/readiness, log redaction."""
