"""docker-compose.yml, Dockerfile and .env.example, checked statically in the normal test run.
(The real build-and-run check is scripts/container-check, run by hand with Podman.)"""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

from bot.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
DOCKERFILE = (ROOT / "Dockerfile").read_text()
SERVICES = COMPOSE["services"]
BOTS = ["bot", "bot-a", "bot-b"]


def dockerfile(instruction: str) -> list[str]:
    """Arguments of every `instruction` line, continuation lines joined."""
    text = re.sub(r"\\\n", " ", DOCKERFILE)
    return [line.split(None, 1)[1].strip() for line in text.splitlines()
            if line.strip().upper().startswith(instruction.upper() + " ")]


def env_of(service: dict) -> dict[str, str]:
    env = service.get("environment") or {}
    if isinstance(env, list):
        env = dict(item.split("=", 1) for item in env)
    return {k: str(v) for k, v in env.items()}


def test_bot_service_basics():
    bot = SERVICES["bot"]
    assert "profiles" not in bot, "the plain `docker compose up` must start the bot"
    assert bot["env_file"] in (".env", [".env"])
    assert bot["restart"] == "unless-stopped"
    assert bot.get("build") in (".", {"context": "."})
    env = env_of(bot)
    assert env["ADVISOR_HTTP_HOST"] == "0.0.0.0"
    assert env["ADVISOR_DATA_DIR"] == "/data"


def test_named_volume_for_data_and_read_only_knowledge():
    volumes = SERVICES["bot"]["volumes"]
    data = [v for v in volumes if v.split(":")[1] == "/data"]
    assert data and not data[0].startswith((".", "/")), "SQLite data lives in a named volume"
    assert data[0].split(":")[0] in COMPOSE["volumes"]
    assert "./knowledge:/app/knowledge:ro" in volumes
    for name in ("bot-a", "bot-b"):
        assert "./knowledge:/app/knowledge:ro" in SERVICES[name]["volumes"]


@pytest.mark.parametrize("name", BOTS + ["redis"])
def test_ports_only_on_loopback(name):
    for port in SERVICES[name].get("ports", []):
        assert str(port).startswith("127.0.0.1:"), f"{name} publishes {port} beyond loopback"


def test_published_port_is_the_dockerfile_port():
    exposed = {p.split("/")[0] for line in dockerfile("EXPOSE") for p in line.split()}
    assert exposed == {"8080"}
    for name in BOTS:
        (port,) = SERVICES[name]["ports"]
        assert port.rsplit(":", 1)[1] == "8080"
        assert env_of(SERVICES[name])["ADVISOR_HTTP_PORT"] == "8080"
    assert "127.0.0.1:8080:8080" in SERVICES["bot"]["ports"]
    hosts = [SERVICES[n]["ports"][0].rsplit(":", 1)[0] for n in BOTS]
    assert len(set(hosts)) == len(hosts), "each replica needs its own host port"


@pytest.mark.parametrize("name", BOTS)
def test_healthchecks_ask_healthz_like_the_dockerfile(name):
    check = SERVICES[name]["healthcheck"]
    assert check["test"][0] == "CMD"
    command = check["test"][1:]
    (docker_check,) = dockerfile("HEALTHCHECK")
    assert json.loads(docker_check.split("CMD", 1)[1]) == command, "compose and Dockerfile check the same way"
    assert command == ["python", "-m", "bot.ops.healthcheck", "/healthz"]
    assert "curl" not in docker_check and "wget" not in docker_check, "slim images have neither"
    assert {"interval", "timeout", "retries"} <= check.keys()


def test_healthcheck_module_asks_healthz_on_the_configured_port(monkeypatch):
    from bot.ops import healthcheck

    seen = []

    class Response:
        status = 200

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

    monkeypatch.setenv("ADVISOR_HTTP_PORT", "8080")
    monkeypatch.setattr(healthcheck.urllib.request, "urlopen", lambda url, timeout: seen.append(url) or Response())
    assert healthcheck.main(["/healthz"]) == 0
    assert seen == ["http://127.0.0.1:8080/healthz"]
    assert "urllib" in Path(healthcheck.__file__).read_text()


def test_redis_profile_and_scaled_replicas():
    redis = SERVICES["redis"]
    assert redis["profiles"] == ["scaled"]
    assert redis["image"].startswith("redis:")
    assert "healthcheck" in redis
    for name in ("bot-a", "bot-b"):
        service = SERVICES[name]
        env = env_of(service)
        assert service["profiles"] == ["scaled"]
        assert env["ADVISOR_STORE"] == "redis://redis:6379/0"
        assert env["SLACK_MODE"] == "http"
        assert env["ADVISOR_HTTP_HOST"] == "0.0.0.0"
        assert service["env_file"] in (".env", [".env"])
        assert service["restart"] == "unless-stopped"
        assert "redis" in service["depends_on"]
        assert service.get("image") == SERVICES["bot"]["image"], "replicas run the same image"
    assert env_of(SERVICES["bot-b"])["DISCORD_TOKEN"] == "", "one Discord gateway connection only"


def test_dockerfile_base_user_and_layers():
    assert dockerfile("FROM") == ["python:3.11-slim AS deps", "python:3.11-slim"], "one base for both stages"
    users = dockerfile("USER")
    assert users and users[-1] not in ("root", "0"), "runs as a non-root user"
    assert users[-1] == "10001:10001", "numeric uid:gid, so runAsNonRoot can verify it (hadolint DL3066)"
    assert "--uid 10001" in DOCKERFILE and "--gid 10001" in DOCKERFILE and "chown 10001:10001 /data" in DOCKERFILE
    copies = dockerfile("COPY")
    runs = dockerfile("RUN")
    assert copies[0] == "pyproject.toml uv.lock ./", "dependencies layer before the source"
    # from the lock only: exactly uv.lock (hash-checked), and no build from a lock that has fallen
    # behind pyproject.toml (--locked)
    assert any("uv sync --locked --no-dev --no-install-project" in r for r in runs)
    install = next(i for i, line in enumerate(DOCKERFILE.splitlines()) if line.startswith("COPY --from=deps /opt/venv"))
    source = next(i for i, line in enumerate(DOCKERFILE.splitlines()) if line.startswith("COPY bot"))
    assert install < source
    assert any("knowledge" in c and "/knowledge" in c or c.startswith("knowledge") for c in copies)
    assert "ADVISOR_DATA_DIR=/data" in DOCKERFILE and '"/data"' in DOCKERFILE
    assert "ADVISOR_HTTP_HOST=0.0.0.0" in DOCKERFILE
    assert "ADVISOR_KNOWLEDGE=/app/knowledge" in DOCKERFILE
    assert runs


def test_no_secrets_in_the_image():
    for variable in ("SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "SLACK_SIGNING_SECRET", "DISCORD_TOKEN"):
        assert variable not in DOCKERFILE
    assert not re.search(r"xox[bap]-|xapp-", DOCKERFILE)
    assert not re.search(r"^\s*COPY\s+\.\s", DOCKERFILE, re.M), "COPY . would pull in whatever lies around"
    ignored = (ROOT / ".dockerignore").read_text().split()
    assert ".env" in ignored and ".git" in ignored and ".venv" in ignored and "data" in ignored


def test_env_example_lists_every_variable_with_a_comment():
    lines = (ROOT / ".env.example").read_text().splitlines()
    names = []
    for i, line in enumerate(lines):
        m = re.match(r"^([A-Z][A-Z0-9_]*)=", line)
        if m:
            names.append(m.group(1))
            assert lines[i - 1].startswith("#"), f"{m.group(1)} needs a comment above it"
    settings_source = (ROOT / "bot" / "settings.py").read_text()
    read = set(re.findall(r'get\("([A-Z][A-Z0-9_]+)"', settings_source))
    assert read and read <= set(names), f"missing from .env.example: {sorted(read - set(names))}"
    assert len(names) == len(set(names))
    # and every value in it is accepted as is
    values = dict(line.split("=", 1) for line in lines if re.match(r"^[A-Z][A-Z0-9_]*=", line))
    Settings.from_env(values)


def test_readme_documents_every_variable():
    readme = (ROOT / "README.md").read_text()
    names = re.findall(r"^([A-Z][A-Z0-9_]*)=", (ROOT / ".env.example").read_text(), re.M)
    missing = [n for n in names if f"`{n}`" not in readme]
    assert not missing, f"README configuration table lacks {missing}"


def test_readme_opens_with_the_two_commands():
    readme = (ROOT / "README.md").read_text()
    head = readme.split("```", 2)
    assert head[0].strip() == "# Framework Advisor", "nothing but the title before the two commands"
    commands = [line.split("#")[0].strip() for line in head[1].splitlines()[1:] if line.strip()]
    assert commands == ["./scripts/run", "./scripts/test"]
    for script in commands:
        path = ROOT / script
        assert path.is_file() and path.stat().st_mode & 0o111, f"{script} must be executable"


def test_readme_local_links_exist():
    readme = (ROOT / "README.md").read_text()
    targets = {t.split("#")[0] for t in re.findall(r"\]\(([^)#][^)]*)\)", readme) if "://" not in t}
    missing = sorted(t for t in targets if t and not (ROOT / t).exists())
    pending = {"docs/slack.md", "slack-manifest.yaml"}  # written with the Slack adapter
    if missing and set(missing) <= pending:
        pytest.skip(f"not committed yet: {missing}")
    assert not missing, f"README links to missing files: {missing}"
