"""Two replicas as two real processes on one real Redis: 50 members (25 in each process, one
thread per member) finish their conversations at the same instant; all 50 are counted once.
The in-process test (test_team_service.py) shares one interpreter; here nothing is shared but
the Redis server."""
from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import time
import uuid
from pathlib import Path

import pytest

from bot.service.advisor import Advisor
from bot.store.base import Scope
from bot.store.redis import RedisStore
from redis_server import redis_url  # noqa: F401  (fixture)

ROOT = Path(__file__).resolve().parent.parent
CLICK = Scope("slack", "W1", "C1")
pytestmark = pytest.mark.slow

REPLICA = textwrap.dedent('''
    import json, random, sys, threading, time
    sys.path.insert(0, {root!r})
    from bot import engine
    from bot.engine.replies import QuestionReply
    from bot.knowledge.loader import load_knowledge
    from bot.service.advisor import Advisor
    from bot.service.team import member_scope
    from bot.store.base import Scope
    from bot.store.redis import RedisStore

    url, prefix, team_id, replica, start_at = sys.argv[1:6]
    knowledge = load_knowledge({root!r} + "/knowledge")
    advisor = Advisor(lambda: knowledge, RedisStore(url, prefix=prefix))
    click = Scope("slack", "W1", "C1")
    team = advisor.team_status(click, team_id).team
    users = [f"M{{replica}}-{{i}}" for i in range(25)]
    pending, profiles = {{}}, {{}}
    for n, user in enumerate(users):
        rng = random.Random(user)
        profiles[user] = {{q.id: rng.choice(q.options).id for q in knowledge.questions}}
        out = advisor.join_team(click, team_id, user).conversation
        while True:
            qid = out.reply.question_id
            event = engine.Answer(qid, profiles[user][qid])
            if len(out.state.answers) == len(knowledge.questions) - 1:
                pending[user] = (out, event)
                break
            out = advisor.act(member_scope(team, user), user, event, out.ref())
    notes = {{}}

    def finish(user):
        out, event = pending[user]
        time.sleep(max(0.0, float(start_at) - time.time()))
        done = advisor.act(member_scope(team, user), user, event, out.ref())
        notes[user] = [done.status, done.team_note]

    threads = [threading.Thread(target=finish, args=(u,)) for u in users]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    print(json.dumps({{"notes": notes, "profiles": profiles}}))
''')


def test_fifty_members_on_two_replica_processes_sharing_redis(tmp_path, redis_url) -> None:  # noqa: F811
    from bot.knowledge.loader import load_knowledge

    knowledge = load_knowledge(ROOT / "knowledge")
    prefix = f"procs-{uuid.uuid4().hex[:8]}:"
    advisor = Advisor(lambda: knowledge, RedisStore(redis_url, prefix=prefix))
    team = advisor.start_team(Scope("slack", "W1", "C1"), "U0").team
    script = tmp_path / "replica.py"
    script.write_text(REPLICA.format(root=str(ROOT)))
    start_at = time.time() + 6  # both processes loaded and 25 members at their last question by then
    procs = [subprocess.Popen([sys.executable, str(script), redis_url, prefix, team.id, str(r), str(start_at)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for r in (0, 1)]
    outputs = []
    for p in procs:
        out, err = p.communicate(timeout=120)
        assert p.returncode == 0, err[-2000:]
        outputs.append(json.loads(out))
    notes = {u: n for o in outputs for u, n in o["notes"].items()}
    profiles = {u: p for o in outputs for u, p in o["profiles"].items()}
    assert len(notes) == 50 and all(n == ["ok", ""] for n in notes.values())
    final = advisor.team_status(CLICK, team.id).team
    assert sorted(m.user for m in final.members) == sorted(profiles)  # all counted
    assert len(final.members) == 50 and final.version == 51  # none twice
    for m in final.members:
        assert dict(m.answers) == profiles[m.user]
