"""How an adapter's exception reads in the log.

An adapter that fails before it was ready is a start-up failure (bot.startup.StartupError:
exit 2, the message names the variable to fix); one that fails after is a runtime failure
(exit 1).
"""
from __future__ import annotations

from bot.settings import SettingsError
from bot.startup import StartupError


def slack_startup_error(exc: Exception, was_ready: bool) -> Exception:
    from slack_sdk.errors import SlackApiError

    from bot.adapters.slack.preflight import TOKEN_ERRORS, error_code

    if isinstance(exc, SettingsError):
        return StartupError(str(exc))
    if isinstance(exc, SlackApiError):
        error = error_code(exc)
        if error in TOKEN_ERRORS:
            variable = "SLACK_APP_TOKEN" if "apps.connections" in str(exc) else "SLACK_BOT_TOKEN"
            return StartupError(f"{variable} was rejected by Slack ({error})")
    return adapter_error("Slack", exc, was_ready)


def discord_startup_error(exc: Exception, was_ready: bool) -> Exception:
    import discord

    if isinstance(exc, SettingsError):
        return StartupError(str(exc))
    if isinstance(exc, discord.LoginFailure):
        return StartupError("DISCORD_TOKEN was rejected by Discord (LoginFailure: improper token)")
    if isinstance(exc, discord.PrivilegedIntentsRequired):
        return StartupError("Discord refused a privileged intent the bot asked for; see docs/discord.md")
    return adapter_error("Discord", exc, was_ready)


def adapter_error(platform: str, exc: Exception, was_ready: bool) -> Exception:
    if not was_ready:
        return StartupError(f"the {platform} adapter failed to start ({type(exc).__name__}: {exc})")
    return RuntimeError(f"the {platform} adapter stopped ({type(exc).__name__}: {exc})")
