"""Framework Advisor: a Slack and Discord bot that helps a team choose a Python web framework."""
__version__ = "0.1.0"
