"""Versioned schema of the service's PostgreSQL database, created and migrated by the service.

Each component (the event log, the registry) keeps its own numbered migrations in one
shared table, so a node started on an older database brings it up to date in one
transaction, and two nodes starting at once do not both apply a migration (the advisory
transaction lock serialises them; unlike a session lock it cannot outlive the transaction).
"""

from __future__ import annotations

from collections.abc import Sequence

import psycopg

MIGRATIONS_TABLE = """
CREATE TABLE IF NOT EXISTS schema_migrations (
    component  text NOT NULL,
    version    integer NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (component, version)
)"""
_LOCK_ID = 7_100_112  # any constant; only this service's migrations take it


def migrate(conn: psycopg.Connection, component: str, steps: Sequence[str]) -> int:
    """Apply the steps of `component` not applied yet (step i is version i+1); the version now."""
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (_LOCK_ID,))
        conn.execute(MIGRATIONS_TABLE)
        row = conn.execute("SELECT COALESCE(MAX(version), 0) FROM schema_migrations WHERE component=%s",
                           (component,)).fetchone()
        have = int(row[0]) if row else 0
        for version, sql in enumerate(steps, start=1):
            if version <= have:
                continue
            conn.execute(sql)  # type: ignore[arg-type]  # our own constant DDL, not user input
            conn.execute("INSERT INTO schema_migrations (component, version) VALUES (%s, %s)", (component, version))
        return max(have, len(steps))


EVENTS = "events"
EVENT_MIGRATIONS: tuple[str, ...] = (
    # 1: the log, its head, the lease and the fence.
    """
    CREATE TABLE events (
        seq        bigint PRIMARY KEY,
        incident   text NOT NULL,
        type       text NOT NULL,
        time       text NOT NULL,
        body       text NOT NULL,
        prev       text NOT NULL,
        hash       text NOT NULL,
        ghash      text NOT NULL,
        epoch      bigint NOT NULL,
        written_at timestamptz NOT NULL DEFAULT clock_timestamp()
    );
    CREATE INDEX events_incident ON events (incident, seq);
    CREATE TABLE store_meta (key text PRIMARY KEY, value text NOT NULL);
    CREATE TABLE requests (
        key       text PRIMARY KEY,
        hash      text,
        first_seq bigint NOT NULL,
        last_seq  bigint NOT NULL
    );
    CREATE TABLE leader_lease (
        id         integer PRIMARY KEY CHECK (id = 1),
        holder     text NOT NULL,
        epoch      bigint NOT NULL,
        expires_at timestamptz NOT NULL
    );
    INSERT INTO leader_lease VALUES (1, '', 0, '-infinity');

    -- The fence: a row is accepted only from the current epoch while its lease runs, by
    -- the database's own clock. FOR SHARE makes a takeover wait for an insert in flight,
    -- and the insert made after a takeover see the new epoch.
    CREATE FUNCTION events_fence() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE l leader_lease%ROWTYPE;
    BEGIN
        SELECT * INTO l FROM leader_lease WHERE id = 1 FOR SHARE;
        IF NEW.epoch IS DISTINCT FROM l.epoch OR l.expires_at < clock_timestamp() THEN
            RAISE EXCEPTION 'stale leader epoch % (current %, lease until %)', NEW.epoch, l.epoch, l.expires_at
                USING ERRCODE = 'ZS001';
        END IF;
        RETURN NEW;
    END $$;
    CREATE TRIGGER events_fenced BEFORE INSERT ON events FOR EACH ROW EXECUTE FUNCTION events_fence();

    -- Append-only: history is never edited in place, whoever connects.
    CREATE FUNCTION events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION 'the event log is append-only (% refused)', TG_OP USING ERRCODE = 'ZS002';
    END $$;
    CREATE TRIGGER events_no_change BEFORE UPDATE OR DELETE ON events
        FOR EACH ROW EXECUTE FUNCTION events_append_only();
    CREATE TRIGGER events_no_truncate BEFORE TRUNCATE ON events
        FOR EACH STATEMENT EXECUTE FUNCTION events_append_only();
    """,
    # 2: the writer's checks in one call, so an append is one pipelined round trip.
    """
    CREATE FUNCTION events_append_guard(want_epoch bigint, next_seq bigint) RETURNS void
    LANGUAGE plpgsql AS $$
    DECLARE l leader_lease%ROWTYPE; last bigint;
    BEGIN
        -- Lock the lease row first: a takeover waits for this commit, and a stale epoch
        -- is refused before the sequence is even looked at.
        SELECT * INTO l FROM leader_lease WHERE id = 1 FOR SHARE;
        IF want_epoch IS DISTINCT FROM l.epoch OR l.expires_at < clock_timestamp() THEN
            RAISE EXCEPTION 'stale leader epoch % (current %, lease until %)', want_epoch, l.epoch, l.expires_at
                USING ERRCODE = 'ZS001';
        END IF;
        SELECT COALESCE(MAX(seq), 0) INTO last FROM events;
        IF last + 1 <> next_seq THEN
            RAISE EXCEPTION 'the log holds events up to % that this node did not write', last
                USING ERRCODE = 'ZS003';
        END IF;
    END $$;
    """,
)
STALE_EPOCH = "ZS001"
SEQUENCE_MOVED = "ZS003"
