-- 009: on a server, the connected role is the person (a role of the same name as a
-- registered login), and the server itself keeps each person to their unit's subtree:
-- row-level security on cases, their parties and their events, so that a grid worker
-- who connects with psql sees no more than through mediate. An admin of the whole
-- deployment (no unit) sees everything; a role that is no registered person, or one
-- that is disabled, sees no case. The tables' owner (who ran init) and a superuser are
-- not bound by these policies: they administer the database, as root does a file.

-- The functions read the tables whole (SECURITY DEFINER); inside them current_user is
-- their owner, so the policies pass the connected role in as `who`.

-- The units whose cases the role `who` may see: its person's unit and all below.
CREATE FUNCTION mediate_visible_units(who TEXT) RETURNS SETOF BIGINT
    LANGUAGE sql STABLE SECURITY DEFINER AS $$
    WITH RECURSIVE sub(id) AS (
        SELECT unit_id FROM person
        WHERE login = who AND disabled_at IS NULL AND unit_id IS NOT NULL
        UNION
        SELECT u.id FROM unit u JOIN sub ON u.parent_id = sub.id
    )
    SELECT id FROM sub
$$;

-- Whether the role `who` is an admin of the whole deployment.
CREATE FUNCTION mediate_sees_all(who TEXT) RETURNS BOOLEAN
    LANGUAGE sql STABLE SECURITY DEFINER AS $$
    SELECT EXISTS (
        SELECT 1 FROM person
        WHERE login = who AND role = 'admin' AND unit_id IS NULL AND disabled_at IS NULL)
$$;

-- Whether the role `who` may see the case: held now, or filed, in its subtree.
CREATE FUNCTION mediate_sees_case(case_id BIGINT, who TEXT) RETURNS BOOLEAN
    LANGUAGE sql STABLE SECURITY DEFINER AS $$
    SELECT mediate_sees_all(who) OR EXISTS (
        SELECT 1 FROM dispute d
        WHERE d.id = case_id
          AND (d.unit_id IN (SELECT mediate_visible_units(who))
               OR d.origin_unit_id IN (SELECT mediate_visible_units(who))))
$$;

-- What every writer must see whole, whatever it may read: the head of the one chain,
-- and the last serial of a year (case numbers are the database's, not the subtree's).
CREATE FUNCTION mediate_chain_head() RETURNS TABLE (id BIGINT, hash BYTEA)
    LANGUAGE sql STABLE SECURITY DEFINER AS $$
    SELECT e.id, e.hash FROM event e ORDER BY e.id DESC LIMIT 1
$$;
CREATE FUNCTION mediate_last_serial(of_year BIGINT) RETURNS BIGINT
    LANGUAGE sql STABLE SECURITY DEFINER AS $$
    SELECT coalesce(max(serial), 0) FROM dispute WHERE year = of_year
$$;
-- The last case id of the whole database (the bulk path numbers its cases itself).
CREATE FUNCTION mediate_last_case_id() RETURNS BIGINT
    LANGUAGE sql STABLE SECURITY DEFINER AS $$
    SELECT coalesce(max(id), 0) FROM dispute
$$;

-- The functions read the tables of this schema only, whoever calls them.
DO $$
BEGIN
    EXECUTE format('ALTER FUNCTION mediate_visible_units(TEXT) SET search_path = %I, pg_temp', current_schema());
    EXECUTE format('ALTER FUNCTION mediate_sees_all(TEXT) SET search_path = %I, pg_temp', current_schema());
    EXECUTE format('ALTER FUNCTION mediate_sees_case(BIGINT, TEXT) SET search_path = %I, pg_temp', current_schema());
    EXECUTE format('ALTER FUNCTION mediate_chain_head() SET search_path = %I, pg_temp', current_schema());
    EXECUTE format('ALTER FUNCTION mediate_last_serial(BIGINT) SET search_path = %I, pg_temp', current_schema());
    EXECUTE format('ALTER FUNCTION mediate_last_case_id() SET search_path = %I, pg_temp', current_schema());
    -- New ids (SQLite's rowid) are the largest of the whole table plus one.
    EXECUTE format('ALTER FUNCTION mediate_rowid() SET search_path = %I, pg_temp', current_schema());
END
$$;
ALTER FUNCTION mediate_rowid() SECURITY DEFINER;

ALTER TABLE dispute ENABLE ROW LEVEL SECURITY;
CREATE POLICY dispute_subtree ON dispute
    USING (mediate_sees_all(current_user)
           OR unit_id IN (SELECT mediate_visible_units(current_user))
           OR origin_unit_id IN (SELECT mediate_visible_units(current_user)));
ALTER TABLE party ENABLE ROW LEVEL SECURITY;
CREATE POLICY party_subtree ON party USING (mediate_sees_case(case_id, current_user));
ALTER TABLE event ENABLE ROW LEVEL SECURITY;
CREATE POLICY event_subtree ON event USING (case_id IS NULL OR mediate_sees_case(case_id, current_user));

-- Whether the role `who` administers the database: a superuser, or a member of the role
-- that owns mediate's tables (who ran init). Row-level security does not bind them.
CREATE FUNCTION mediate_administers(who TEXT) RETURNS BOOLEAN
    LANGUAGE sql STABLE SECURITY DEFINER AS $$
    SELECT coalesce((SELECT rolsuper FROM pg_roles WHERE rolname = who), false)
        OR coalesce((SELECT pg_has_role(who::name, c.relowner, 'MEMBER') FROM pg_class c
                     WHERE c.oid = to_regclass('event')), false)
$$;

-- What the server guarantees of every event a registered person's role writes, through
-- mediate or plain SQL (a role with INSERT on `event` could otherwise write anything;
-- the owner and a superuser, who may drop the trigger anyway, restore a whole chain):
--   * it is the chain's next: its id is the head's (read whole, whatever the writer may
--     see) plus one, so nobody can leave a gap that no later event can close;
--   * unless the writer administers the database or is an admin of the whole
--     deployment, its actor is the connected role itself, a registered person who is
--     not disabled (nobody appends in someone else's name), and an event without a case
--     is only an admin's, or the record of the writer's own access (`access.*`).
-- What the server does not check, and only `verify` finds afterwards: the event's hash
-- and content (mediate computes the chain, the server cannot), and a case row, or its
-- parties, changed by a role that may see the case: mediate's own writes are such
-- updates, so the server cannot tell one from the other. verify replays every case
-- from its events and names the case that differs; the event itself stays, append-only.
CREATE FUNCTION mediate_event_guard() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER AS $$
DECLARE
    head BIGINT;
BEGIN
    IF mediate_administers(session_user) THEN
        RETURN NEW;
    END IF;
    SELECT coalesce(max(e.id), 0) INTO head FROM event e;
    IF NEW.id IS DISTINCT FROM head + 1 THEN
        RAISE EXCEPTION 'an event must be the next of the chain (id %)', head + 1 USING ERRCODE = '42501';
    END IF;
    IF mediate_sees_all(session_user) THEN
        RETURN NEW;
    END IF;
    IF NEW.actor IS DISTINCT FROM session_user::text OR NOT EXISTS (
        SELECT 1 FROM person WHERE login = session_user::text AND disabled_at IS NULL) THEN
        RAISE EXCEPTION 'an event''s actor must be the connected role' USING ERRCODE = '42501';
    END IF;
    IF NEW.case_id IS NULL AND NEW.action NOT LIKE 'access.%' AND NOT EXISTS (
        SELECT 1 FROM person WHERE login = session_user::text AND role = 'admin') THEN
        RAISE EXCEPTION 'an event without a case is an admin''s' USING ERRCODE = '42501';
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER event_guard BEFORE INSERT ON event FOR EACH ROW EXECUTE FUNCTION mediate_event_guard();
DO $$
BEGIN
    EXECUTE format('ALTER FUNCTION mediate_administers(TEXT) SET search_path = %I, pg_temp', current_schema());
    EXECUTE format('ALTER FUNCTION mediate_event_guard() SET search_path = %I, pg_temp', current_schema());
END
$$;

-- The ledger's rows (file names and row keys) as their cases: a role sees, and adds,
-- only those of cases it may see; nobody but the owner changes one (mediate never does).
ALTER TABLE ledger_row ENABLE ROW LEVEL SECURITY;
CREATE POLICY ledger_row_subtree ON ledger_row USING (mediate_sees_case(case_id, current_user));

-- The organisation, people and policy: every registered role reads them; an admin's
-- role may write them (its grants), and these policies keep an admin below the top
-- to what mediate lets it do, whatever SQL it sends. An admin of the whole deployment
-- writes them all. An admin of a unit adds and changes persons only inside its
-- subtree (never one without a unit: that is an admin of the whole deployment), and
-- units only inside it (a new unit's parent in it). The policy tables (levels,
-- severities, categories, sources, settings) only an admin of a unit at the ladder's top
-- rung, as mediate's `policy set`.
CREATE FUNCTION mediate_sets_policy(who TEXT) RETURNS BOOLEAN
    LANGUAGE sql STABLE SECURITY DEFINER AS $$
    SELECT EXISTS (
        SELECT 1 FROM person p LEFT JOIN unit u ON u.id = p.unit_id
        WHERE p.login = who AND p.role = 'admin' AND p.disabled_at IS NULL
          AND (p.unit_id IS NULL OR u.level = (SELECT max(rank) FROM level)))
$$;
DO $$
DECLARE
    t TEXT;
BEGIN
    EXECUTE format('ALTER FUNCTION mediate_sets_policy(TEXT) SET search_path = %I, pg_temp', current_schema());
    FOREACH t IN ARRAY ARRAY['level', 'severity', 'category', 'source', 'setting'] LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('CREATE POLICY %I ON %I FOR SELECT USING (true)', t || '_read', t);
        EXECUTE format('CREATE POLICY %I ON %I FOR INSERT WITH CHECK (mediate_sets_policy(current_user))', t || '_add', t);
        EXECUTE format('CREATE POLICY %I ON %I FOR UPDATE USING (mediate_sets_policy(current_user))', t || '_change', t);
        EXECUTE format('CREATE POLICY %I ON %I FOR DELETE USING (mediate_sets_policy(current_user))', t || '_remove', t);
    END LOOP;
END
$$;
ALTER TABLE person ENABLE ROW LEVEL SECURITY;
CREATE POLICY person_read ON person FOR SELECT USING (true);
CREATE POLICY person_add ON person FOR INSERT
    WITH CHECK (mediate_sees_all(current_user) OR unit_id IN (SELECT mediate_visible_units(current_user)));
CREATE POLICY person_change ON person FOR UPDATE
    USING (mediate_sees_all(current_user) OR unit_id IN (SELECT mediate_visible_units(current_user)))
    WITH CHECK (mediate_sees_all(current_user) OR unit_id IN (SELECT mediate_visible_units(current_user)));
ALTER TABLE unit ENABLE ROW LEVEL SECURITY;
CREATE POLICY unit_read ON unit FOR SELECT USING (true);
CREATE POLICY unit_add ON unit FOR INSERT
    WITH CHECK (mediate_sees_all(current_user) OR parent_id IN (SELECT mediate_visible_units(current_user)));
CREATE POLICY unit_change ON unit FOR UPDATE
    USING (mediate_sees_all(current_user) OR id IN (SELECT mediate_visible_units(current_user)));

-- The functions above that read the tables whole (SECURITY DEFINER) are no one's to
-- call but mediate's roles: PostgreSQL lets every role (PUBLIC) execute a new function,
-- so that is taken back here, and `person add --create-role` grants them to the role it
-- makes. A trigger's function needs no such grant to run.
REVOKE EXECUTE ON FUNCTION mediate_visible_units(TEXT), mediate_sees_all(TEXT), mediate_sees_case(BIGINT, TEXT),
    mediate_chain_head(), mediate_last_serial(BIGINT), mediate_last_case_id(), mediate_rowid(),
    mediate_administers(TEXT), mediate_event_guard(), mediate_sets_policy(TEXT) FROM PUBLIC;
