from .base import Scope, Session, SessionStore

__all__ = ["Scope", "Session", "SessionStore"]
