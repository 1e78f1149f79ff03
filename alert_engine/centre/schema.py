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
    # 3: retention (docs/retention.md). What it removed keeps its chain values, what it
    # redacted the hash of its new body, each run its hash-chained record; these three are
    # append-only. The log stays append-only for everyone else: only a transaction that holds
    # the lease as `retention` and has set its (transaction-local) run may delete a row whose
    # chain values it has just kept, or change a body whose new hash it has just recorded.
    """
    CREATE TABLE retention_runs (
        id       bigint PRIMARY KEY,
        time     text NOT NULL,
        policy   text NOT NULL,
        removed  integer NOT NULL,
        redacted integer NOT NULL,
        digest   text NOT NULL,
        prev     text NOT NULL,
        hash     text NOT NULL
    );
    CREATE TABLE events_removed (
        seq      bigint PRIMARY KEY,
        incident text NOT NULL,
        type     text NOT NULL,
        time     text NOT NULL,
        prev     text NOT NULL,
        hash     text NOT NULL,
        ghash    text,
        run      bigint NOT NULL
    );
    CREATE TABLE events_redacted (
        seq       bigint PRIMARY KEY,
        body_hash text NOT NULL,
        run       bigint NOT NULL
    );
    CREATE FUNCTION retention_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION 'the retention record is append-only (% on % refused)', TG_OP, TG_TABLE_NAME
            USING ERRCODE = 'ZS002';
    END $$;
    CREATE TRIGGER retention_runs_no_change BEFORE UPDATE OR DELETE OR TRUNCATE ON retention_runs
        FOR EACH STATEMENT EXECUTE FUNCTION retention_append_only();
    CREATE TRIGGER events_removed_no_change BEFORE UPDATE OR DELETE OR TRUNCATE ON events_removed
        FOR EACH STATEMENT EXECUTE FUNCTION retention_append_only();
    CREATE TRIGGER events_redacted_no_change BEFORE UPDATE OR DELETE OR TRUNCATE ON events_redacted
        FOR EACH STATEMENT EXECUTE FUNCTION retention_append_only();

    CREATE OR REPLACE FUNCTION events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE this_run bigint := nullif(current_setting('zesminuten.retention_run', true), '')::bigint;
    BEGIN
        IF TG_OP IN ('UPDATE', 'DELETE') AND this_run IS NOT NULL AND EXISTS (
                SELECT 1 FROM leader_lease WHERE id = 1 AND holder = 'retention'
                AND expires_at >= clock_timestamp()) THEN
            IF TG_OP = 'DELETE' AND EXISTS (
                    SELECT 1 FROM events_removed r WHERE r.seq = OLD.seq AND r.run = this_run
                    AND (r.incident, r.type, r.time, r.prev, r.hash, r.ghash)
                        IS NOT DISTINCT FROM (OLD.incident, OLD.type, OLD.time, OLD.prev, OLD.hash, OLD.ghash)) THEN
                RETURN OLD;
            END IF;
            IF TG_OP = 'UPDATE'
                    AND (NEW.seq, NEW.incident, NEW.type, NEW.time, NEW.prev, NEW.hash, NEW.ghash, NEW.epoch,
                         NEW.written_at) IS NOT DISTINCT FROM
                        (OLD.seq, OLD.incident, OLD.type, OLD.time, OLD.prev, OLD.hash, OLD.ghash, OLD.epoch,
                         OLD.written_at)
                    AND EXISTS (SELECT 1 FROM events_redacted d WHERE d.seq = NEW.seq AND d.run = this_run
                                AND d.body_hash = encode(sha256(convert_to(NEW.body, 'UTF8')), 'hex')) THEN
                RETURN NEW;
            END IF;
        END IF;
        RAISE EXCEPTION 'the event log is append-only (% refused)', TG_OP USING ERRCODE = 'ZS002';
    END $$;

    -- The next seq follows the last one ever written, also when retention removed it.
    CREATE OR REPLACE FUNCTION events_append_guard(want_epoch bigint, next_seq bigint) RETURNS void
    LANGUAGE plpgsql AS $$
    DECLARE l leader_lease%ROWTYPE; last bigint;
    BEGIN
        SELECT * INTO l FROM leader_lease WHERE id = 1 FOR SHARE;
        IF want_epoch IS DISTINCT FROM l.epoch OR l.expires_at < clock_timestamp() THEN
            RAISE EXCEPTION 'stale leader epoch % (current %, lease until %)', want_epoch, l.epoch, l.expires_at
                USING ERRCODE = 'ZS001';
        END IF;
        SELECT GREATEST((SELECT COALESCE(MAX(seq), 0) FROM events),
                        (SELECT COALESCE(MAX(seq), 0) FROM events_removed)) INTO last;
        IF last + 1 <> next_seq THEN
            RAISE EXCEPTION 'the log holds events up to % that this node did not write', last
                USING ERRCODE = 'ZS003';
        END IF;
    END $$;
    """,
)
RETENTION_HOLDER = "retention"  # the lease's holder while a retention run is in its transaction
APPEND_ONLY = "ZS002"
STALE_EPOCH = "ZS001"
SEQUENCE_MOVED = "ZS003"
