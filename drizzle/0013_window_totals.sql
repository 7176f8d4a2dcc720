CREATE TABLE "window_totals" (
	"scope" text NOT NULL,
	"subject_id" uuid NOT NULL,
	"item" text DEFAULT '' NOT NULL,
	"day" date NOT NULL,
	"shard" smallint DEFAULT 0 NOT NULL,
	"amount" numeric NOT NULL,
	"count" integer NOT NULL,
	CONSTRAINT "window_totals_scope_subject_id_item_day_shard_pk" PRIMARY KEY("scope","subject_id","item","day","shard"),
	CONSTRAINT "window_totals_scope" CHECK ("window_totals"."scope" IN ('concession', 'producer', 'consignee'))
);
--> statement-breakpoint
-- Adds (amount, count) to one subject's day. The row of the first shard that no other
-- transaction holds is locked and added to (or made), so that concurrent writers counting the
-- same subject and day do not queue behind one another until they commit; readers sum the
-- shards. A row this transaction holds already is its own to add to again. Runs as the owner
-- (SECURITY DEFINER): the application may read the totals, never write them.
CREATE FUNCTION orotrace_add_window_total(p_scope text, p_subject uuid, p_item text, p_day date,
                                          p_amount numeric, p_count integer)
RETURNS void LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
DECLARE
  s smallint;
BEGIN
  FOR s IN 0..15 LOOP
    PERFORM 1 FROM window_totals
      WHERE scope = p_scope AND subject_id = p_subject AND item = p_item AND day = p_day AND shard = s
      FOR UPDATE SKIP LOCKED;
    IF FOUND THEN
      UPDATE window_totals SET amount = amount + p_amount, count = count + p_count
       WHERE scope = p_scope AND subject_id = p_subject AND item = p_item AND day = p_day AND shard = s;
      RETURN;
    END IF;
    -- No committed row of this shard: make it. If another transaction is making it too, the
    -- insert waits for that one and then does nothing, and the next shard is tried.
    IF NOT EXISTS (SELECT 1 FROM window_totals
                    WHERE scope = p_scope AND subject_id = p_subject AND item = p_item AND day = p_day
                      AND shard = s) THEN
      INSERT INTO window_totals (scope, subject_id, item, day, shard, amount, count)
      VALUES (p_scope, p_subject, p_item, p_day, s, p_amount, p_count)
      ON CONFLICT DO NOTHING;
      IF FOUND THEN
        RETURN;
      END IF;
    END IF;
  END LOOP;
  -- Every shard is held by another transaction: wait for one.
  INSERT INTO window_totals AS t (scope, subject_id, item, day, shard, amount, count)
  VALUES (p_scope, p_subject, p_item, p_day, (pg_backend_pid() % 16)::smallint, p_amount, p_count)
  ON CONFLICT (scope, subject_id, item, day, shard)
  DO UPDATE SET amount = t.amount + EXCLUDED.amount, count = t.count + EXCLUDED.count;
END
$$;
--> statement-breakpoint
-- What root lots add to (sign 1) or take from (sign -1) the totals: their concession's extraction
-- day and their producer's registration day (UTC), one addition per subject and day however many
-- lots a statement writes (a bulk import adds to each day once, not once per lot), in a fixed
-- order so that two writers lock rows in the same order.
CREATE FUNCTION orotrace_count_lots(ids uuid[], sign integer) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
DECLARE
  g record;
BEGIN
  FOR g IN
    SELECT 'concession' AS scope, l.concession_id AS subject_id, l.extracted_on AS day,
           sum(l.fine_weight_g) AS amount, count(*)::int AS n
      FROM lots l
     WHERE l.id = ANY(ids) AND l.concession_id IS NOT NULL AND l.extracted_on IS NOT NULL
     GROUP BY l.concession_id, l.extracted_on
    UNION ALL
    SELECT 'producer', l.producer_id, (l.created_at AT TIME ZONE 'UTC')::date,
           sum(l.fine_weight_g), count(*)::int
      FROM lots l
     WHERE l.id = ANY(ids) AND l.producer_id IS NOT NULL
     GROUP BY l.producer_id, (l.created_at AT TIME ZONE 'UTC')::date
     ORDER BY 1, 2, 3
  LOOP
    PERFORM orotrace_add_window_total(g.scope, g.subject_id, '', g.day, sign * g.amount, sign * g.n);
  END LOOP;
END
$$;
--> statement-breakpoint
-- A lot is a root when written (its edges, which reference it, come after).
CREATE FUNCTION orotrace_lot_window_totals() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
BEGIN
  PERFORM orotrace_count_lots(ARRAY(SELECT a.id FROM added a), 1);
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER lots_window_totals AFTER INSERT ON lots
  REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION orotrace_lot_window_totals();
--> statement-breakpoint
-- A lot given its first parents (a split's part, a merge, a refined lot) stops being a root: its
-- gold was counted in its roots. Per statement, so that a child whose edges arrive together
-- leaves once; a child that had edges before this statement left already.
CREATE FUNCTION orotrace_edge_window_totals() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
BEGIN
  PERFORM orotrace_count_lots(ARRAY(
    SELECT DISTINCT a.child_id FROM added a
     WHERE NOT EXISTS (SELECT 1 FROM lot_edges e
                        WHERE e.child_id = a.child_id
                          AND NOT EXISTS (SELECT 1 FROM added n
                                           WHERE n.parent_id = e.parent_id AND n.child_id = e.child_id))), -1);
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER lot_edges_window_totals AFTER INSERT ON lot_edges
  REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION orotrace_edge_window_totals();
--> statement-breakpoint
-- A movement counts for its consignee from its declaration (UTC day) unless seized, one addition
-- per consignee, input and day for a statement's movements; a seizure takes it out (and an
-- undone one, were there such, would put it back).
CREATE FUNCTION orotrace_movements_window_totals() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
DECLARE
  g record;
BEGIN
  FOR g IN
    SELECT a.consignee_id, a.input, (a.declared_at AT TIME ZONE 'UTC')::date AS day,
           sum(a.quantity) AS amount, count(*)::int AS n
      FROM added a
     WHERE a.status <> 'seized'
     GROUP BY 1, 2, 3
     ORDER BY 1, 2, 3
  LOOP
    PERFORM orotrace_add_window_total('consignee', g.consignee_id, g.input, g.day, g.amount, g.n);
  END LOOP;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER movements_window_totals AFTER INSERT ON movements
  REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION orotrace_movements_window_totals();
--> statement-breakpoint
CREATE FUNCTION orotrace_movement_seized_window_totals() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
BEGIN
  IF (OLD.status = 'seized') IS DISTINCT FROM (NEW.status = 'seized') THEN
    PERFORM orotrace_add_window_total('consignee', NEW.consignee_id, NEW.input,
                                      (NEW.declared_at AT TIME ZONE 'UTC')::date,
                                      CASE WHEN NEW.status = 'seized' THEN -NEW.quantity ELSE NEW.quantity END,
                                      CASE WHEN NEW.status = 'seized' THEN -1 ELSE 1 END);
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER movements_seized_window_totals AFTER UPDATE OF status ON movements
  FOR EACH ROW EXECUTE FUNCTION orotrace_movement_seized_window_totals();
--> statement-breakpoint
-- The totals as the rows they count give them, computed from scratch (one shard per day). The
-- verification compares them (the same query) with the table; after writes made with the
-- triggers bypassed (session_replication_role = replica), an administrator runs
-- SELECT orotrace_rebuild_window_totals().
CREATE VIEW window_totals_recomputed AS
  SELECT 'concession'::text AS scope, l.concession_id AS subject_id, ''::text AS item, l.extracted_on AS day,
         sum(l.fine_weight_g) AS amount, count(*)::int AS count
    FROM lots l
   WHERE l.concession_id IS NOT NULL AND l.extracted_on IS NOT NULL
     AND NOT EXISTS (SELECT 1 FROM lot_edges e WHERE e.child_id = l.id)
   GROUP BY l.concession_id, l.extracted_on
  UNION ALL
  SELECT 'producer', l.producer_id, '', (l.created_at AT TIME ZONE 'UTC')::date,
         sum(l.fine_weight_g), count(*)::int
    FROM lots l
   WHERE l.producer_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM lot_edges e WHERE e.child_id = l.id)
   GROUP BY l.producer_id, (l.created_at AT TIME ZONE 'UTC')::date
  UNION ALL
  SELECT 'consignee', m.consignee_id, m.input, (m.declared_at AT TIME ZONE 'UTC')::date,
         sum(m.quantity), count(*)::int
    FROM movements m
   WHERE m.status <> 'seized'
   GROUP BY m.consignee_id, m.input, (m.declared_at AT TIME ZONE 'UTC')::date;
--> statement-breakpoint
CREATE FUNCTION orotrace_rebuild_window_totals() RETURNS void
LANGUAGE sql SECURITY DEFINER SET search_path = public AS $$
  DELETE FROM window_totals;
  INSERT INTO window_totals (scope, subject_id, item, day, shard, amount, count)
  SELECT scope, subject_id, item, day, 0, amount, count FROM window_totals_recomputed;
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION orotrace_rebuild_window_totals() FROM PUBLIC;
--> statement-breakpoint
CREATE TRIGGER window_totals_no_truncate BEFORE TRUNCATE ON window_totals
  FOR EACH STATEMENT EXECUTE FUNCTION orotrace_refuse_change('totals are emptied by orotrace_rebuild_window_totals()');
--> statement-breakpoint
-- The application reads the totals; the triggers (as the owner) write them.
REVOKE INSERT ON window_totals FROM orotrace_writer;
--> statement-breakpoint
GRANT SELECT ON window_totals, window_totals_recomputed TO orotrace_writer;
--> statement-breakpoint
SELECT orotrace_rebuild_window_totals();
