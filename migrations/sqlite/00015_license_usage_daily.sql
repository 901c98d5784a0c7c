-- +goose Up
-- The daily license-usage history (docs/api.md, "Dashboards"): one row per
-- customer, license type and UTC day, taken by the usage-snapshot job from
-- customer_licenses as they stood when the job first ran that day. The
-- primary key is what makes the job safe on several nodes: every node
-- inserts the day's rows with ON CONFLICT DO NOTHING, so whichever commits
-- first writes them and the others write nothing. The pool is not kept:
-- the history is each customer's use against its own allocation.
CREATE TABLE license_usage_daily (
    customer_id TEXT    NOT NULL REFERENCES customers (id),
    type        TEXT    NOT NULL REFERENCES license_types (type),
    day         TEXT    NOT NULL CHECK (day GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),
    allocated   INTEGER NOT NULL CHECK (allocated >= 0),
    used        INTEGER NOT NULL CHECK (used >= 0),
    taken_at    TEXT    NOT NULL,
    PRIMARY KEY (customer_id, type, day)
);
-- The organization's trend sums a day's rows; pruning deletes old days.
CREATE INDEX license_usage_daily_day ON license_usage_daily (day);

-- +goose Down
DROP TABLE license_usage_daily;
