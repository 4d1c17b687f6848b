"""Eligibility and quota rules of the Law on Emulation and Commendation: pure functions, no Flask."""
