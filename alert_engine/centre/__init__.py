"""The alert service for a whole dispatch centre (issue 11; shared/contracts/service-api.md).

`zesminuten-engine serve` runs the same engine, fold and rules as the embedded console,
shared by every workstation of a centre over HTTP: one registry, one event log, so no
responder is alerted by two workstations at once and every dispatcher sees every incident.

- `schema`: versioned tables the service creates and migrates itself (PostgreSQL).
- `pg_store`: the event log in PostgreSQL behind the engine's `EventStore` interface, with
  the hash chains, the sequence taken in the commit's transaction and a fence: every row
  carries the writer's lease epoch, and the database refuses a stale one.
- `lease`: the fenced leader lease that makes exactly one node active.
- `node`: one `serve` process: the engine, its role, following the log, timers.
- `tokens`, `bodies`, `app`, `serve`: who may call, what they may send, the HTTP API.
"""
