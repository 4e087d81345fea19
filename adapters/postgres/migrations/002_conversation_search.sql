-- Search conversations as a whole: their tsvector is the concatenation of
-- their events' (each stemmed in its own language), so that a query's
-- words may come from different messages, and the list can use one GIN
-- index with its order and filters.
CREATE AGGREGATE sportello_tsvector_agg(tsvector) (SFUNC = tsvector_concat, STYPE = tsvector, INITCOND = '');

ALTER TABLE conversations ADD COLUMN tsv tsvector;

UPDATE conversations c SET tsv = s.tsv
FROM (SELECT conversation_id, sportello_tsvector_agg(tsv ORDER BY at, idx) AS tsv
      FROM events WHERE tsv IS NOT NULL GROUP BY conversation_id) s
WHERE c.id = s.conversation_id;

CREATE INDEX conversations_tsv ON conversations USING gin (tsv);
