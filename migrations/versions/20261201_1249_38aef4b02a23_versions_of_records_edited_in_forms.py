"""Versions of every record people edit through forms (no lost update): plans, movements,
milestones, units, users, candidates, their yearly history rows and the award catalogue, as
nominations and progress reports already have. Existing rows start at version 1.

Plain ADD/DROP COLUMN rather than batch mode: SQLite (3.35+) does both in place, so no table
that others refer to (units, users, plans, candidates) is copied and dropped on the way.

Revision ID: 38aef4b02a23
Revises: 7477d9c14603
Create Date: 2026-12-01 12:49:47.233729

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '38aef4b02a23'
down_revision = '7477d9c14603'
branch_labels = None
depends_on = None

TABLES = ('units', 'users', 'plans', 'movements', 'milestones', 'candidates', 'candidate_years', 'award_types')


def upgrade():
    for table in TABLES:
        op.add_column(table, sa.Column('version', sa.Integer(), nullable=False, server_default=sa.text('1')))


def downgrade():
    for table in reversed(TABLES):
        op.drop_column(table, 'version')
