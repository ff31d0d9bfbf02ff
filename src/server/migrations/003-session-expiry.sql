-- 003-session-expiry: expired sessions are deleted periodically (on start, on an interval, on log-in); the index
-- keeps that delete from scanning every session.
CREATE INDEX sessions_expires ON sessions (expires_at);
