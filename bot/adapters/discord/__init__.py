"""The Discord adapter: /framework app commands and persistent components (discord.py 2.x)."""
