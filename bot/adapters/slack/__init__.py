"""Slack adapter (slack-bolt AsyncApp): /framework, Block Kit buttons, ephemeral answers,
public thread conversations on @mention, and a shareable recommendation.

Modules:
- `ids`: the action_id / value contract; `render`: pure reply -> Block Kit;
- `handlers`: Bolt listeners; `app.build_bolt_app`: the configured AsyncApp;
- `gate`: signature on the raw bytes, then Bolt's one parse, then the shape check (401/400 in
  one log line, never a traceback); Socket Mode applies the same shape check;
- `http.events_handler` / `http.make_web_app`: POST /slack/events on aiohttp;
- `socket.run_socket_mode`: Socket Mode; `run.run_slack` / `run.main`: the runner.

Importing this package imports nothing from slack_bolt; import the submodules.
"""
