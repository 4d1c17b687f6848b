"""Candidates: exemplary individuals and collectives, kept across campaigns with their yearly history and the awards they received."""
