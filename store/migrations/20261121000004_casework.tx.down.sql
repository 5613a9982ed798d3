DROP TABLE IF EXISTS outcome_measures;
DROP TABLE IF EXISTS referral_events;
DROP TABLE IF EXISTS referrals;
DROP TABLE IF EXISTS client_sessions;
DROP TABLE IF EXISTS goals;
DROP TABLE IF EXISTS client_needs;
DROP TABLE IF EXISTS clients;
