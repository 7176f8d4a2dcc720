-- Facts of record never change once written: what a lot is (its code, producer, concession,
-- origin, extraction date, weights, fineness, form, QR token, registration time) and what a
-- movement declared (its code, input, quantity, consignor, consignee, destination, vehicle, route,
-- authorization, QR token and the server's declaration time). The application's role may update
-- lots and movements only for what does change (custody, status, delivery, export); an UPDATE
-- that touches a fact is refused here, whoever runs it, so that backdating a declaration or a
-- registration (to slip out of a screening window) needs the triggers bypassed, which is logged
-- (README, "Ledger"). Verification replays the events and names any such edit all the same.
CREATE TRIGGER lots_facts_fixed BEFORE UPDATE ON lots FOR EACH ROW
  WHEN (OLD.code IS DISTINCT FROM NEW.code OR OLD.producer_id IS DISTINCT FROM NEW.producer_id
     OR OLD.concession_id IS DISTINCT FROM NEW.concession_id OR OLD.origin IS DISTINCT FROM NEW.origin
     OR OLD.extracted_on IS DISTINCT FROM NEW.extracted_on OR OLD.gross_weight_g IS DISTINCT FROM NEW.gross_weight_g
     OR OLD.fineness IS DISTINCT FROM NEW.fineness OR OLD.fine_weight_g IS DISTINCT FROM NEW.fine_weight_g
     OR OLD.form IS DISTINCT FROM NEW.form OR OLD.qr_token IS DISTINCT FROM NEW.qr_token
     OR OLD.created_at IS DISTINCT FROM NEW.created_at)
  EXECUTE FUNCTION orotrace_refuse_change('a lot''s facts of record never change');
--> statement-breakpoint
CREATE TRIGGER movements_facts_fixed BEFORE UPDATE ON movements FOR EACH ROW
  WHEN (OLD.code IS DISTINCT FROM NEW.code OR OLD.input IS DISTINCT FROM NEW.input
     OR OLD.quantity IS DISTINCT FROM NEW.quantity OR OLD.unit IS DISTINCT FROM NEW.unit
     OR OLD.consignor_id IS DISTINCT FROM NEW.consignor_id OR OLD.consignee_id IS DISTINCT FROM NEW.consignee_id
     OR OLD.destination_concession_id IS DISTINCT FROM NEW.destination_concession_id
     OR OLD.destination_point IS DISTINCT FROM NEW.destination_point
     OR OLD.vehicle IS DISTINCT FROM NEW.vehicle OR OLD.route IS DISTINCT FROM NEW.route
     OR OLD.authorization_id IS DISTINCT FROM NEW.authorization_id OR OLD.qr_token IS DISTINCT FROM NEW.qr_token
     OR OLD.declared_at IS DISTINCT FROM NEW.declared_at OR OLD.created_at IS DISTINCT FROM NEW.created_at)
  EXECUTE FUNCTION orotrace_refuse_change('a movement''s declaration never changes');
