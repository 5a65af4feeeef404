-- Failed logins, kept in the database so that the throttle holds across restarts and across the
-- server processes that share one PostgreSQL (issue 14 item 4). A key is either
-- 'pair:<address> <username>' (growing delays for one user name from one address) or
-- 'unknown:<address>' (guesses at user names that do not exist, from one address).
CREATE TABLE login_throttle (
    key TEXT PRIMARY KEY,
    failures INTEGER NOT NULL,
    window_started_at TIMESTAMP WITH TIME ZONE NOT NULL,
    last_failed_at TIMESTAMP WITH TIME ZONE NOT NULL,
    blocked_until TIMESTAMP WITH TIME ZONE
);

CREATE INDEX login_throttle_last_failed ON login_throttle (last_failed_at);
