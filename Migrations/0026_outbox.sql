-- Issue 17 item 4: reminders delivered outside Chuqing through the court's own SMS and WeChat
-- gateways (docs/gateway-protocol.md).
--
-- A reminder for a user with a mobile number gets one outbox row per configured channel, in the
-- transaction that adds the inbox item, and a delivery job. The row's idempotency_key goes with
-- every attempt, so a gateway that already took a message (the answer was lost, or the process
-- died before recording it) answers with the first message's id instead of sending it again.
ALTER TABLE users ADD COLUMN mobile TEXT;

CREATE TABLE outbox_messages (
    id TEXT PRIMARY KEY,
    inbox_item_id TEXT NOT NULL REFERENCES inbox_items (id),
    user_id TEXT NOT NULL REFERENCES users (id),
    channel TEXT NOT NULL CHECK (channel IN ('sms', 'wechat')),
    recipient TEXT NOT NULL,
    text TEXT NOT NULL,
    idempotency_key TEXT NOT NULL UNIQUE,
    -- pending until the gateway took it (sent) or refused it for good (rejected)
    state TEXT NOT NULL CHECK (state IN ('pending', 'sent', 'rejected')),
    gateway_message_id TEXT,
    reason TEXT,
    created_at TIMESTAMP WITH TIME ZONE NOT NULL,
    finished_at TIMESTAMP WITH TIME ZONE
);
CREATE INDEX outbox_messages_state ON outbox_messages (state, created_at);
CREATE INDEX outbox_messages_inbox_item ON outbox_messages (inbox_item_id);
