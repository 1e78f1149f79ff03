"""The removal and export hooks the issue-15 stores give retention and the AVG export:
exactly what is older than the cut goes; one responder's export holds only theirs."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from alert_engine.aftercare.questionnaire import answer_data
from alert_engine.centre.aed_check_links import AedCheckLinks
from alert_engine.centre.aftercare_store import AftercareStore
from alert_engine.centre.responder_accounts import ResponderAccounts

T0 = datetime(2026, 1, 10, 12, 0, tzinfo=UTC)


def test_aftercare_rows_before_the_cut_go_and_the_rest_stays(tmp_path: Path) -> None:
    now = [T0]
    store = AftercareStore(tmp_path / "events.sqlite", lambda: now[0])
    store.answer("I1", "BHV-1", "Deil", answer_data({"wellbeing": "good", "contact_others": True}))
    now[0] = T0 + timedelta(days=1)
    store.answer("I2", "BHV-1", "Deil", answer_data({"wellbeing": "hard"}))
    store.answer("I2", "BHV-2", "Tiel", answer_data({"wellbeing": "okay", "contact_others": True}))
    # The cut at exactly the second answer's moment: only the first answer and consent are older.
    assert store.remove_before(T0 + timedelta(days=1), T0 + timedelta(days=1)) == {
        "aftercare_answers": 1, "aftercare_contact": 1}
    assert [(a["incident"], a["pseudonym"]) for a in store.answers()] == [("I2", "BHV-1"), ("I2", "BHV-2")]
    mine = store.of_pseudonym("BHV-1")
    assert [a["incident"] for a in mine["aftercare_answers"]] == ["I2"] and mine["aftercare_contact"] == []
    assert store.of_pseudonym("BHV-2")["aftercare_contact"][0]["incident"] == "I2"
    store.close()


def test_spent_links_codes_and_sessions_go_after_the_cut(tmp_path: Path) -> None:
    now = [T0]
    store = tmp_path / "events.sqlite"
    links = AedCheckLinks(store, lambda: now[0])
    links.issue("A1", "I1", "request", valid_for=timedelta(days=1))
    links.issue("A2", "I2", "request", valid_for=timedelta(days=3))
    assert links.remove_expired(T0 + timedelta(days=2)) == 1
    links.close()
    accounts = ResponderAccounts(store, lambda: now[0])
    code, _ = accounts.issue_code("R1", timedelta(hours=1))
    session = accounts.redeem(code, timedelta(days=2))
    accounts.issue_code("R2", timedelta(days=10))
    assert accounts.has_session("R1") and not accounts.has_session("R2")
    exported = accounts.account_of("R1")
    assert len(exported["sessions"]) == 1 and session.token not in str(exported) and code not in str(exported)
    now[0] = T0 + timedelta(days=5)
    # R1's code was used at T0 and their session ended at T0 + 2 d; R2's code runs to T0 + 10 d.
    assert accounts.remove_expired(T0 + timedelta(days=3)) == {"app_signin_codes": 1, "app_sessions": 1}
    assert accounts.account_of("R1")["sessions"] == [] and len(accounts.account_of("R2")["sign_in_links"]) == 1
    accounts.close()
