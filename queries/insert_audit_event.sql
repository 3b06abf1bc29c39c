-- Add one event to the audit trail (append-only: no query changes or removes one).
insert into audit_events (event_id, actor, action, target, outcome, detail)
values (nextval('audit_seq'), $actor, $action, $target, $outcome, $detail);
