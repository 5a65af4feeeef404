-- Issue 17: the scheduler claims jobs in two index-ordered reads, the queued ones by due time and
-- those whose lease ran out by lease time. The index of 0025 on (state, due_at) left the order's
-- tie-break (id) to a sort of every due job, which with 100,000 queued made each claim slow.
DROP INDEX jobs_claimable;
CREATE INDEX jobs_queued ON jobs (state, due_at, id);
CREATE INDEX jobs_leases ON jobs (state, lease_until, id);
