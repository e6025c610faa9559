"""The shipped knowledge loads into the engine's dataclasses and says what the article says."""
from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import pytest

from bot.engine.model import Framework, Knowledge, Rule
from bot.engine.verdicts import winner
from bot.knowledge import load_knowledge, unreachable_frameworks

ROOT = Path(__file__).resolve().parent.parent
KNOWLEDGE_DIR = ROOT / "knowledge"

REQUIRED_OPTIONS = {
    "experience": {"django", "flask", "fastapi", "pyramid", "bottle", "cherrypy", "none"},
    "style": {"fullstack", "api"},
    "control": {"batteries", "balanced", "minimal"},
    "orm": {"builtin", "sqlalchemy", "any", "none"},
    "data": {"crud", "aggregation"},
    "performance": {"critical", "normal"},
    "realtime": {"yes", "no"},
    "team": {"growing", "stable"},
    "longevity": {"critical", "nice"},
    "scope": {"prototypes", "small", "growing"},
    "admin": {"yes", "no"},
}
DIMENSIONS = ["spectrum", "style", "control", "orm", "performance", "realtime", "team", "longevity"]
FRAMEWORKS = ["django", "flask", "fastapi", "pyramid", "bottle", "cherrypy"]


@pytest.fixture(scope="module")
def kb() -> Knowledge:
    return load_knowledge(KNOWLEDGE_DIR)


def fw(kb: Knowledge, fid: str) -> Framework:
    framework = kb.framework(fid)
    assert framework is not None, fid
    return framework


def test_questions_and_required_options(kb: Knowledge) -> None:
    assert [q.id for q in kb.questions] == list(REQUIRED_OPTIONS)
    for question in kb.questions:
        ids = {o.id for o in question.options}
        assert REQUIRED_OPTIONS[question.id] <= ids, question.id
        assert all(isinstance(o.id, str) for o in question.options)  # yes/no stayed strings
        assert question.short and question.text
        assert all(isinstance(k, str) for o in question.options for k in o.keywords)


def test_frameworks_in_article_order(kb: Knowledge) -> None:
    assert [f.id for f in kb.candidates] == FRAMEWORKS
    assert [f.id for f in kb.frameworks if f.in_article] == FRAMEWORKS


def test_settings_dimensions_and_source(kb: Knowledge) -> None:
    assert [d for d, _ in kb.dimensions] == DIMENSIONS
    assert dict(kb.dimensions)["orm"] == "ORM"
    assert dict(kb.points) == {"strong": 3, "fit": 1, "soft": 2}
    assert kb.source == str(KNOWLEDGE_DIR)


def test_every_framework_is_enriched(kb: Knowledge) -> None:
    for framework in kb.candidates:
        assert len(framework.description) > 200, framework.id
        assert framework.built_in, framework.id
        # all dimensions, in questions.yaml order
        assert [d for d, _ in framework.dimensions] == DIMENSIONS, framework.id
        assert all(text.strip() for _, text in framework.dimensions)
        assert framework.links, framework.id
        assert any(link.kind == "docs" for link in framework.links), framework.id
        for link in framework.links:
            parts = urlsplit(link.url)
            assert parts.scheme == "https" and parts.hostname, link.url
            assert link.kind in {"docs", "tutorial", "extension", "reference"}


def test_django_facts(kb: Knowledge) -> None:
    django = fw(kb, "django")
    assert django.dimension("orm") == "Own ORM; fine for most cases, awkward for heavy aggregation"
    built = " ".join(django.built_in).lower()
    for part in ("orm", "migrations", "templates", "forms", "auth", "admin", "caching"):
        assert part in built
    urls = {link.url for link in django.links}
    assert "https://docs.djangoproject.com/" in urls
    assert "https://www.djangoproject.com/foundation/" in urls
    assert "https://djangostars.com/blog/merging-django-orm-with-sqlalchemy-for-easier-data-analysis/" in urls
    assert any(link.kind == "tutorial" for link in django.links)


def test_flask_links(kb: Knowledge) -> None:
    flask = fw(kb, "flask")
    by_title = {link.title: link for link in flask.links}
    urls = {link.url for link in flask.links}
    for extension, url in {
        "Flask-SQLAlchemy": "https://flask-sqlalchemy.palletsprojects.com/",
        "Flask-Caching": "https://flask-caching.readthedocs.io/en/latest/",
        "Flask-Admin": "https://github.com/flask-admin/flask-admin",
        "Flask-Login": "https://flask-login.readthedocs.io/en/latest/",
        "Flask-Security": "https://flask-security-too.readthedocs.io/en/stable/",
    }.items():
        assert by_title[extension].url == url
        assert by_title[extension].kind == "extension"
    assert "https://blog.miguelgrinberg.com/post/the-flask-mega-tutorial-part-i-hello-world" in urls
    assert any("Mega-Tutorial" in t for t in by_title)
    assert "https://flask.palletsprojects.com/en/stable/tutorial/" in urls
    assert any(link.kind == "docs" and "flask.palletsprojects.com" in link.url for link in flask.links)


def test_fastapi_links(kb: Knowledge) -> None:
    fastapi = fw(kb, "fastapi")
    urls = {link.url for link in fastapi.links}
    assert any("swagger" in link.title.lower() and "swagger" in link.url for link in fastapi.links)
    assert any(u.startswith("https://www.techempower.com/benchmarks/") for u in urls)
    assert "https://fastapi.tiangolo.com/benchmarks/" in urls
    assert "https://fastapi.tiangolo.com/" in urls


@pytest.mark.parametrize(
    ("fid", "urls"),
    [
        ("pyramid", ["https://trypyramid.com/", "https://docs.pylonsproject.org/projects/pyramid/en/1.10-branch/quick_tour.html"]),
        ("bottle", ["https://bottlepy.org/docs/dev/", "https://bottlepy.org/docs/dev/faq.html#about-bottle",
                    "https://bottlepy.org/docs/dev/tutorial.html"]),
        ("cherrypy", ["https://cherrypy.dev/", "https://docs.cherrypy.dev/en/latest/",
                      "https://docs.cherrypy.dev/en/latest/advanced.html#database-support"]),
    ],
)
def test_smaller_frameworks_links(kb: Knowledge, fid: str, urls: list[str]) -> None:
    have = {link.url for link in fw(kb, fid).links}
    for url in urls:
        assert url in have


# The article's decision table, point by point: each must be present as rule text.
DECISION_TABLE = {
    "django": {
        "consider": ["similar CRUD applications", "batteries included", "server-side rendering",
                     "onboard new developers quickly", "backed by sponsors and the community"],
        "think_twice": ["Highest performance is a critical requirement", "lots of data aggregation",
                        "freedom in picking the components"],
    },
    "flask": {
        "consider": ["more control over the components", "lots of data aggregation",
                     "onboard new developers quickly", "well maintained by a dedicated team"],
        "think_twice": ["opinionated frameworks that suggest the entire set of components"],
    },
    "fastapi": {
        "consider": ["highest performance out of all the popular Python frameworks", "React or Vue"],
        "think_twice": ["monolithic web applications with server-side rendering", "maintained long-term"],
    },
    "pyramid": {
        "consider": ["better balance between opinionated full frameworks and minimalistic microframeworks"],
        "think_twice": ["quickly hire developers who have experience"],
    },
    "bottle": {
        "consider": ["multiple quick application prototypes"],
        "think_twice": ["strongly defined in scope and is expected to grow in complexity"],
    },
    "cherrypy": {
        "consider": ["considerable prior experience"],
        "think_twice": ["All other scenarios"],
    },
}


@pytest.mark.parametrize("fid", FRAMEWORKS)
def test_decision_table_points_are_rules(kb: Knowledge, fid: str) -> None:
    framework = fw(kb, fid)
    for kind, phrases in DECISION_TABLE[fid].items():
        texts = [r.text for r in framework.rules if r.kind == kind]
        for phrase in phrases:
            assert any(phrase in text for text in texts), (fid, kind, phrase)


def test_rules_are_built_from_when_and_unless(kb: Knowledge) -> None:
    django_rules = fw(kb, "django").rules
    assert Rule("consider", "You create a lot of similar CRUD applications for various clients",
                "data", frozenset({"crud"}), False, "fit", "table", "many similar CRUD apps") in django_rules
    (other,) = [r for r in fw(kb, "cherrypy").rules if r.kind == "think_twice"]
    assert other.question == "experience" and other.options == frozenset({"cherrypy"})
    assert other.negate and other.applies(None) and other.applies("none") and not other.applies("cherrypy")
    admin = [r for r in fw(kb, "fastapi").rules if r.question == "admin"]
    assert admin and admin[0].options == frozenset({"yes"}) and admin[0].kind == "caveat"
    batteries = next(r for r in django_rules if r.question == "control")
    assert batteries.strength == "strong" and kb.weight(batteries) == 3
    sqlalchemy = next(r for r in django_rules if r.question == "orm" and "sqlalchemy" in r.options)
    assert sqlalchemy.hard and kb.weight(sqlalchemy) == 0 and sqlalchemy.source.startswith("article: ")
    assert kb.decides == "experience"
    for framework in kb.frameworks:
        for rule in framework.rules:
            assert rule.strength in {"consider": ("strong", "fit"), "think_twice": ("soft", "hard"),
                                     "caveat": ("",)}[rule.kind]
            assert rule.source == "table" or rule.source.startswith(("article: ", "facts: "))
            if framework.in_article and rule.kind != "caveat":
                assert rule.short and len(rule.short) <= 50, (framework.id, rule.text)  # a few words for reasons
            if rule.question is not None:
                question = kb.question(rule.question)
                assert question is not None
                assert rule.options <= {o.id for o in question.options}


def test_every_framework_can_win(kb: Knowledge) -> None:
    assert unreachable_frameworks(kb) == []
    # and the winners are the article's for its own headline scenarios
    assert winner(kb, {"experience": "cherrypy"}) == "cherrypy"
    assert winner(kb, {"scope": "prototypes"}) == "bottle"
    assert winner(kb, {"control": "balanced"}) == "pyramid"
    assert winner(kb, {"style": "api", "performance": "critical", "realtime": "yes"}) == "fastapi"
    assert winner(kb, {"control": "minimal", "data": "aggregation", "orm": "sqlalchemy"}) == "flask"
    assert winner(kb, {"control": "batteries", "style": "fullstack", "data": "crud", "admin": "yes"}) == "django"


def test_unreachable_frameworks_uses_the_given_winner(kb: Knowledge) -> None:
    assert unreachable_frameworks(kb, lambda k, a: "django", tries=50) == FRAMEWORKS[1:]


def test_knowledge_is_frozen_and_hashable(kb: Knowledge) -> None:
    # frozen dataclasses all the way down: safe to share between threads and sessions
    for framework in kb.frameworks:
        hash(framework)
    for question in kb.questions:
        hash(question)
