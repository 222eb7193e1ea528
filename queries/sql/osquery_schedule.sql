-- name: osquery_schedule
-- platforms: linux, darwin, windows
-- feeds: osquery_schedule
-- interval: 3600
-- description: Scheduled queries with their run counts and last run time (ASM-02: compliance queries executed on schedule).
SELECT name, interval, executions, last_executed, denylisted
FROM osquery_schedule;
