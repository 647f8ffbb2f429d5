"""Survey service behaviour under concurrency and at scale: publish races, list queries."""

from __future__ import annotations

import threading

from factories import VISIT_SURVEY, Tenant
from journeyscope import surveys
from journeyscope.store import Database


def test_concurrent_publishes_make_one_version(db: Database, tenant: Tenant) -> None:
    # Found in review: the loser of the race for the next number hit the unique constraint.
    data = surveys.SurveyCreate.model_validate(
        {"key": "visit", "name": "Visit", "definition": VISIT_SURVEY}
    )
    surveys.create_survey(db, workspace_id=tenant.id, data=data)
    start = threading.Barrier(4)
    outcomes: list[object] = []

    def publish() -> None:
        start.wait()
        try:
            outcomes.append(surveys.publish_survey(db, workspace_id=tenant.id, key="visit"))
        except Exception as exc:
            outcomes.append(exc)

    threads = [threading.Thread(target=publish) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert all(isinstance(o, tuple) for o in outcomes), outcomes
    assert {o[0].number for o in outcomes} == {1}  # type: ignore[index]
    assert sum(o[1] for o in outcomes) == 1  # type: ignore[index]
    assert surveys.get_survey(db, workspace_id=tenant.id, key="visit").published_version == 1


def test_listing_surveys_costs_one_query_however_many_have_touchpoints(
    db: Database, tenant: Tenant
) -> None:
    # Found in review: each listed survey queried its touchpoint's keys (N+1).
    from sqlalchemy import event

    from factories import make_published_survey

    for key in ("a", "b", "c", "d"):
        make_published_survey(db, tenant, key=key)
    statements: list[str] = []
    listener = lambda *args: statements.append(args[2])  # noqa: E731
    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        page = surveys.list_surveys(db, workspace_id=tenant.id)
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    assert [s.key for s in page.items] == ["a", "b", "c", "d"]
    assert {s.touchpoint.touchpoint_key for s in page.items if s.touchpoint} == {"till"}
    assert len([s for s in statements if s.lstrip().upper().startswith("SELECT")]) == 1
