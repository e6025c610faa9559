"""Loading and checking the YAML knowledge base (questions and frameworks).

The engine never reads YAML: `load_knowledge` turns a knowledge directory into the
frozen dataclasses of bot.engine.model, or raises KnowledgeError listing every problem
as `file:line: message`.
"""
from .check import check_command, default_knowledge_dir
from .loader import KnowledgeError, Problem, load_knowledge, unreachable_frameworks

__all__ = [
    "KnowledgeError",
    "Problem",
    "check_command",
    "default_knowledge_dir",
    "load_knowledge",
    "unreachable_frameworks",
]
