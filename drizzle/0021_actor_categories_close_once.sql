-- A miner's category history (actor_categories) gets the guard the other dated histories have
-- (concession_geometries, 0019): 0019 refused its deletes and TRUNCATE but let the application's
-- role rewrite any column of a past entry — turn a dredge into alluvial, an artisanal cap into a
-- small producer's, or move the dates — and so change what the rules find held on an extraction
-- date, with no event saying so. An entry's actor, category, method, start and record time never
-- change; only its end (valid_to) may be set, and once set only brought forward: a category that
-- was recorded with an end still to come is cut short when a later one supersedes it
-- (domain/reference/miner-categories.ts), never extended, reopened or moved back.
CREATE FUNCTION orotrace_actor_category_close_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.id <> OLD.id OR NEW.actor_id <> OLD.actor_id OR NEW.category <> OLD.category
     OR NEW.mining_method IS DISTINCT FROM OLD.mining_method OR NEW.valid_from <> OLD.valid_from
     OR NEW.created_at <> OLD.created_at
     OR NEW.valid_to IS NULL OR (OLD.valid_to IS NOT NULL AND NEW.valid_to >= OLD.valid_to) THEN
    RAISE EXCEPTION 'a category is history: only its end may be set, or brought forward' USING ERRCODE = '42501';
  END IF;
  RETURN NEW;
END
$$;
--> statement-breakpoint
CREATE TRIGGER actor_categories_close_only BEFORE UPDATE ON actor_categories
  FOR EACH ROW EXECUTE FUNCTION orotrace_actor_category_close_only();
--> statement-breakpoint
-- And the application's role may update that column alone (0019 granted UPDATE on the table).
REVOKE UPDATE ON actor_categories FROM orotrace_writer;
--> statement-breakpoint
GRANT UPDATE (valid_to) ON actor_categories TO orotrace_writer;
