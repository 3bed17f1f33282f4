-- Live capacity without counting: each offer keeps the number of seats its referrals hold
-- (accepteret, startet: helhed.ReferralState.HoldsSeat) and the length of its waiting list,
-- maintained by a trigger in the same transaction as every change of a referral's state —
-- including a referral deleted with its citizen. The catalogue, the suggestions on a screening
-- and the referral form read two columns instead of counting thousands of index entries per
-- offer, and the accept transaction reads them under the offer's row lock as before.
-- store TestSeatCountsFollowTheDomain checks that the states here are the domain's.

ALTER TABLE offers
    ADD COLUMN seats_taken int NOT NULL DEFAULT 0 CHECK (seats_taken >= 0),
    ADD COLUMN waiting     int NOT NULL DEFAULT 0 CHECK (waiting >= 0);

UPDATE offers o SET seats_taken = h.held, waiting = h.waiting
FROM (SELECT offer_id, count(*) FILTER (WHERE state IN ('accepteret', 'startet')) AS held,
             count(*) FILTER (WHERE state = 'venteliste') AS waiting
      FROM referrals GROUP BY offer_id) h
WHERE h.offer_id = o.id;

CREATE FUNCTION referral_seat_counts() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.state IN ('accepteret', 'startet', 'venteliste') THEN
        UPDATE offers SET seats_taken = seats_taken - (OLD.state <> 'venteliste')::int,
                          waiting = waiting - (OLD.state = 'venteliste')::int
        WHERE id = OLD.offer_id;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.state IN ('accepteret', 'startet', 'venteliste') THEN
        UPDATE offers SET seats_taken = seats_taken + (NEW.state <> 'venteliste')::int,
                          waiting = waiting + (NEW.state = 'venteliste')::int
        WHERE id = NEW.offer_id;
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER referrals_seat_counts
    AFTER INSERT OR DELETE OR UPDATE OF state, offer_id ON referrals
    FOR EACH ROW EXECUTE FUNCTION referral_seat_counts();
