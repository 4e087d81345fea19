-- The gaps of the help centre (report.ComputeGaps) read the searches of
-- the shop's documents (lookup events of action 'documents') and the
-- customers' feedback on their answers (action events of action
-- 'documents_feedback') of a period: a few in every hundred events. This
-- index holds only those, in time order, so that a period reads them and
-- nothing else.
CREATE INDEX events_documents ON events (at, idx)
	WHERE (type = 'lookup' AND data->>'action' = 'documents')
	   OR (type = 'action' AND data->>'action' = 'documents_feedback');
