"""The questions of posts, meetings and documents (the shipped queries, with their parameters) answered on the
新闻联播 dev set, the same on ``kg query`` (the build's store), ``kg serve`` (its form's fields, loopback) and a real
Oxigraph server loaded with ``kg load`` (``kg query URL NAME --param …``)."""

from __future__ import annotations

import json
import urllib.parse
import urllib.request
from pathlib import Path

import pytest


ROOT = Path(__file__).resolve().parents[1]


def _json_rows(doc: dict) -> list[dict]:
    return [{k: v["value"] for k, v in b.items()} for b in doc["results"]["bindings"]]


def _has(rows: list[dict], **want) -> bool:
    """Whether a row holds every ``want`` value (a value ending in ``*`` is a prefix)."""
    def ok(row, k, v):
        got = row.get(k)
        return got is not None and (got.startswith(v[:-1]) if v.endswith("*") else got == v)
    return any(all(ok(row, k, v) for k, v in want.items()) for row in rows)


def _check_post_holders(rows):
    # 全总主席 as reported in 2023: the chairman of the federation, and nothing reported in another year
    assert _has(rows, post="主席", name="王东明", organizationName="中华全国总工会", status="current",
                reportedOn="2023-10-23", year="2023", body="总工会")
    assert all(r["post"] == "主席" and r["reportedOn"].startswith("2023") for r in rows)
    assert all("总工会" in r["organizationName"] for r in rows)


def _check_vice_chairs(rows):
    # 全国政协副主席 listed after one title in a 2024 item: each of them is a vice-chair reported that year
    names = {r["name"] for r in rows if r["organizationName"] == "中国人民政治协商会议全国委员会"}
    assert {"何厚铧", "梁振英", "石泰峰", "沈跃跃"} <= names
    assert all(r["reportedOn"].startswith("2024") for r in rows)


def _check_person_posts(rows):
    # 习近平: 总书记 of 中共中央 reported on several dates, first before last
    row = next(r for r in rows if r["role"] == "总书记" and r["organizationName"] == "中共中央")
    assert int(row["reports"]) >= 2 and row["firstReported"] < row["lastReported"]
    assert _has(rows, role="主席", organizationName="中央军事委员会", status="current")
    assert {r["person"] for r in rows} == {"习近平"}


def _check_former_posts(rows):
    # a removal (免去…职务) is a former post; the post held now stays current
    assert _has(rows, role="部长", organizationName="人力资源和社会保障部", status="current",
                firstReported="2022-12-30")
    assert _has(rows, role="委员", organizationName="国家监察委员会", status="former")


def _check_person_meetings(rows):
    # 李强 chaired the State Council's executive meeting and attended the symposium with non-party figures
    assert _has(rows, person="李强", eventName="国务院常务会议*", role="chair", roleZh="主持人", date="2026-01-09")
    assert _has(rows, person="李强", eventName="党外人士座谈会*", role="attendee")
    assert {r["person"] for r in rows} == {"李强"}


def _check_meeting_attendees(rows):
    # the symposium: 习近平 chaired and spoke, the leaders of the democratic parties spoke, others attended
    assert rows and all(r["eventName"].startswith("党外人士座谈会") for r in rows)
    assert _has(rows, role="chair", name="习近平", roleZh="主持人")
    assert _has(rows, role="speaker", name="习近平")
    speakers = {r["name"] for r in rows if r["role"] == "speaker"}
    assert {"丁仲礼", "万钢", "郝明金", "蔡达峰"} <= speakers
    attendees = {r["name"] for r in rows if r["role"] == "attendee"}
    assert "李强" in attendees and not attendees & speakers  # attendee only when no other role is known


def _check_talks(rows):
    # talks with a foreign leader: both sides are parties
    parties = {r["name"] for r in rows if r["role"] == "party"}
    assert {"习近平", "李在明"} <= parties


def _check_documents_passed(rows):
    # the NPC Standing Committee session passed laws and decisions
    docs = {r["documentName"] for r in rows if r["eventName"] == "十三届全国人大常委会第三十八次会议"}
    assert {"对外贸易法", "野生动物保护法", "预备役人员法"} <= docs
    assert _has(rows, documentName="野生动物保护法", kind="https://w3id.org/newskg/ontology#Law")


#: (query, parameters, check of its rows), each a question the dev set answers
CASES = [
    ("post_holders_in_year", {"post": "主席", "year": "2023", "body": "总工会"}, _check_post_holders),
    ("post_holders_in_year", {"post": "副主席", "year": "2024", "body": "政协"}, _check_vice_chairs),
    ("person_posts", {"person": "习近平"}, _check_person_posts),
    ("person_posts", {"person": "王晓萍"}, _check_former_posts),
    ("person_meetings", {"person": "李强"}, _check_person_meetings),
    ("meeting_attendees", {"meeting": "党外人士座谈会"}, _check_meeting_attendees),
    ("meeting_attendees", {"meeting": "会谈"}, _check_talks),
    ("documents_passed", {"session": "全国人大常委会"}, _check_documents_passed),
]
IDS = [f"{name}-{'-'.join(params.values())}" for name, params, _ in CASES]


def _post(url: str, name: str, params: dict) -> list[dict]:
    """The rows of the shipped query ``name`` asked of ``kg serve`` through its form's fields."""
    from kg.store.catalog import find

    lines = "\n".join(f"{k}={v}" for k, v in params.items())
    data = urllib.parse.urlencode({"query": find(name).text, "param": lines}).encode("utf-8")
    req = urllib.request.Request(url, data=data, headers={"Accept": "application/sparql-results+json",
                                                          "Content-Type": "application/x-www-form-urlencoded"})
    with urllib.request.urlopen(req, timeout=60) as resp:
        return _json_rows(json.loads(resp.read().decode("utf-8")))


def _kg_query(kg_cli, target, name: str, params: dict) -> list[dict]:
    """The rows of ``kg query TARGET NAME --param k=v … --format json`` (a store folder or an endpoint URL)."""
    code, out, err = kg_cli("query", target, name, *[f"--param={k}={v}" for k, v in params.items()], "--format", "json")
    assert code == 0, err
    return _json_rows(json.loads(out))


@pytest.mark.parametrize("name, params, check", CASES, ids=IDS)
def test_queries_state_kg_query(xwlb_dev_build, kg_cli, name, params, check):
    check(_kg_query(kg_cli, xwlb_dev_build / "store", name, params))


@pytest.mark.parametrize("name", sorted({c[0] for c in CASES}))
def test_queries_state_parameters_left_empty_answer_everything(xwlb_dev_build, kg_cli, name):
    everything = _kg_query(kg_cli, xwlb_dev_build / "store", name, {})
    assert everything
    for case_name, params, _ in CASES:
        if case_name == name:
            assert len(_kg_query(kg_cli, xwlb_dev_build / "store", name, params)) < len(everything)


def _key(rows: list[dict]) -> list:
    return sorted(tuple(sorted(r.items())) for r in rows)


def test_queries_state_kg_serve(xwlb_dev_build, kg_cli, sparql_server):
    from kg.store.store import open_store

    server = sparql_server(open_store(xwlb_dev_build / "store", read_only=True), timeout=30)
    for name, params, check in CASES:
        rows = _post(server.url, name, params)
        check(rows)
        assert _key(rows) == _key(_kg_query(kg_cli, xwlb_dev_build / "store", name, params)), name
        assert _key(rows) == _key(_kg_query(kg_cli, server.url, name, params)), name


@pytest.mark.server
def test_queries_state_oxigraph_server(xwlb_dev_build, kg_cli, oxigraph_server):
    code, _, err = kg_cli("load", xwlb_dev_build, "--endpoint", f"{oxigraph_server}/store", "-q")
    assert code == 0, err
    for name, params, check in CASES:  # the parameters sent as a VALUES block of terms, the prefixes declared
        rows = _kg_query(kg_cli, f"{oxigraph_server}/query", name, params)
        check(rows)
        assert _key(rows) == _key(_kg_query(kg_cli, xwlb_dev_build / "store", name, params)), name
