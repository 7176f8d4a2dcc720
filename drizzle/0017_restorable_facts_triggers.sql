-- hand-written below
-- The facts-of-record triggers (0012) compared the geometry columns with IS DISTINCT FROM, which
-- resolves PostGIS's `=` through the search path. pg_restore runs with an empty search path and
-- IS DISTINCT FROM cannot name a schema-qualified operator, so a pg_dump of the database could
-- not be restored ("operator is not unique: public.geometry = public.geometry"). The geometries
-- are now compared as their EWKB bytes (exact, SRID included), with bytea's own operator, which
-- every search path finds; the rest is unchanged.
DROP TRIGGER lots_facts_fixed ON lots;
--> statement-breakpoint
CREATE TRIGGER lots_facts_fixed BEFORE UPDATE ON lots FOR EACH ROW
  WHEN (OLD.code IS DISTINCT FROM NEW.code OR OLD.producer_id IS DISTINCT FROM NEW.producer_id
     OR OLD.concession_id IS DISTINCT FROM NEW.concession_id
     OR ST_AsEWKB(OLD.origin) IS DISTINCT FROM ST_AsEWKB(NEW.origin)
     OR OLD.extracted_on IS DISTINCT FROM NEW.extracted_on OR OLD.gross_weight_g IS DISTINCT FROM NEW.gross_weight_g
     OR OLD.fineness IS DISTINCT FROM NEW.fineness OR OLD.fine_weight_g IS DISTINCT FROM NEW.fine_weight_g
     OR OLD.form IS DISTINCT FROM NEW.form OR OLD.qr_token IS DISTINCT FROM NEW.qr_token
     OR OLD.created_at IS DISTINCT FROM NEW.created_at)
  EXECUTE FUNCTION orotrace_refuse_change('a lot''s facts of record never change');
--> statement-breakpoint
DROP TRIGGER movements_facts_fixed ON movements;
--> statement-breakpoint
CREATE TRIGGER movements_facts_fixed BEFORE UPDATE ON movements FOR EACH ROW
  WHEN (OLD.code IS DISTINCT FROM NEW.code OR OLD.input IS DISTINCT FROM NEW.input
     OR OLD.quantity IS DISTINCT FROM NEW.quantity OR OLD.unit IS DISTINCT FROM NEW.unit
     OR OLD.consignor_id IS DISTINCT FROM NEW.consignor_id OR OLD.consignee_id IS DISTINCT FROM NEW.consignee_id
     OR OLD.destination_concession_id IS DISTINCT FROM NEW.destination_concession_id
     OR ST_AsEWKB(OLD.destination_point) IS DISTINCT FROM ST_AsEWKB(NEW.destination_point)
     OR OLD.vehicle IS DISTINCT FROM NEW.vehicle OR OLD.route IS DISTINCT FROM NEW.route
     OR OLD.authorization_id IS DISTINCT FROM NEW.authorization_id OR OLD.qr_token IS DISTINCT FROM NEW.qr_token
     OR OLD.declared_at IS DISTINCT FROM NEW.declared_at OR OLD.created_at IS DISTINCT FROM NEW.created_at)
  EXECUTE FUNCTION orotrace_refuse_change('a movement''s declaration never changes');
