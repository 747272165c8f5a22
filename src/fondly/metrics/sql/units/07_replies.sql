-- unit: replies
-- One row per reply opportunity: a turn by one person (the bid) that the same
-- person did not simply continue within 24 h. The responder is the other
-- person; they replied when the next turn is theirs. Latency runs from the end
-- of the bid to the start of the reply, minus its overlap with the responder's
-- sleep window (section 1); over 24 h after that counts as no timely reply.
-- Sleep overlap: S(t) counts sleep milliseconds from the epoch to local time t,
-- for a window starting at hour s each day: whole days * 6 h + the part of
-- today's window already past. overlap = S(b) - S(a).
WITH pairs AS (
    SELECT t.other_id, t.turn_no AS bid_turn, t.session_no, t.month, t.who AS bid_who,
           CASE WHEN t.who = 'me' THEN 'them' ELSE 'me' END AS responder,
           t.first_id AS bid_id, t.end_ms AS bid_end_ms, t.end_local_ms AS a_ms,
           t.question AS bid_question, t.distress AS bid_distress,
           t.good_news AS bid_good_news, t.future_talk AS bid_future, t.plan AS bid_plan,
           t.disclosure_any AS bid_disclosure, t.sentiment AS bid_sentiment,
           r.who AS next_who, r.first_id AS reply_id, r.start_ms AS reply_start_ms,
           r.start_ms - t.end_ms AS raw_ms,
           r.is_followup AS reply_followup, r.question AS reply_question,
           r.support AS reply_support, r.enthusiasm AS reply_enthusiasm,
           r.passive_ack AS reply_passive, r.laughter AS reply_laughter,
           r.encouragement AS reply_encouragement, r.has_reply_link AS reply_link,
           r.disclosure_any AS reply_disclosure, r.sentiment AS reply_sentiment
    FROM turns t
    JOIN turns r ON r.other_id = t.other_id AND r.turn_no = t.turn_no + 1
), opportunities AS (
    SELECT p.*, s.start_h,
           CASE WHEN next_who <> bid_who THEN 1 ELSE 0 END AS replied,
           a_ms - CAST(s.start_h AS BIGINT) * 3600000 AS a_shift,
           a_ms + raw_ms - CAST(s.start_h AS BIGINT) * 3600000 AS b_shift
    FROM pairs p
    JOIN sleep s ON s.person_id = CASE WHEN p.responder = 'me' THEN {{me_id}} ELSE p.other_id END
    WHERE NOT (next_who = bid_who AND raw_ms < 86400000)
), overlap AS (
    SELECT o.*,
           CAST(FLOOR(a_shift / 86400000) AS BIGINT) AS a_days,
           CAST(FLOOR(b_shift / 86400000) AS BIGINT) AS b_days
    FROM opportunities o
), adjusted AS (
    SELECT overlap.*,
           raw_ms - ((b_days * 21600000 + least(b_shift - b_days * 86400000, 21600000))
                     - (a_days * 21600000 + least(a_shift - a_days * 86400000, 21600000)))
               AS adj_ms
    FROM overlap
)
SELECT other_id, session_no, month, responder, bid_end_ms,
       bid_question, bid_distress, bid_good_news, bid_future, bid_plan, bid_disclosure,
       replied, reply_id,
       CASE WHEN replied = 1 THEN adj_ms END AS adj_ms,
       CASE WHEN replied = 1 AND adj_ms <= 86400000 THEN 1 ELSE 0 END AS timely,
       reply_followup, reply_question, reply_support, reply_enthusiasm, reply_passive,
       reply_laughter, reply_encouragement, reply_link, reply_disclosure
FROM adjusted
