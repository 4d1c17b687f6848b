"""Obligations: what each unit owes of a plan's milestones, their status and a subtree's figures."""
