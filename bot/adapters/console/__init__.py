"""The console adapter: an interactive terminal conversation and a JSON-lines protocol."""
