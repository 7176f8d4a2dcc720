-- History is never rewritten: events are append-only and reference data is retired, not deleted.
-- Refused statements raise SQLSTATE 42501 (insufficient_privilege) and are visible in the server log
-- (log_min_error_statement defaults to ERROR), so an operator can see every attempt.
CREATE OR REPLACE FUNCTION orotrace_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'orotrace: % on % is not allowed (%)', TG_OP, TG_TABLE_NAME, TG_ARGV[0]
    USING ERRCODE = '42501';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER events_append_only BEFORE UPDATE OR DELETE ON events
  FOR EACH ROW EXECUTE FUNCTION orotrace_refuse_change('events are append-only');
--> statement-breakpoint
CREATE TRIGGER actors_no_delete BEFORE DELETE ON actors
  FOR EACH ROW EXECUTE FUNCTION orotrace_refuse_change('reference data is retired, not deleted');
--> statement-breakpoint
CREATE TRIGGER actor_registrations_no_delete BEFORE DELETE ON actor_registrations
  FOR EACH ROW EXECUTE FUNCTION orotrace_refuse_change('reference data is retired, not deleted');
--> statement-breakpoint
CREATE TRIGGER concessions_no_delete BEFORE DELETE ON concessions
  FOR EACH ROW EXECUTE FUNCTION orotrace_refuse_change('reference data is retired, not deleted');
--> statement-breakpoint
CREATE TRIGGER concession_operators_no_delete BEFORE DELETE ON concession_operators
  FOR EACH ROW EXECUTE FUNCTION orotrace_refuse_change('reference data is retired, not deleted');
--> statement-breakpoint
CREATE TRIGGER zones_no_delete BEFORE DELETE ON zones
  FOR EACH ROW EXECUTE FUNCTION orotrace_refuse_change('reference data is retired, not deleted');
--> statement-breakpoint
CREATE TRIGGER checkpoints_no_delete BEFORE DELETE ON checkpoints
  FOR EACH ROW EXECUTE FUNCTION orotrace_refuse_change('reference data is retired, not deleted');
