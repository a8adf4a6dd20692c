-- The server's date (current_date, in the session's time zone): a Maintain.java --today other than this one plans
-- only, unless time travel is allowed. Needs nothing installed.
-- Parameters: none.
SELECT current_date AS today;
