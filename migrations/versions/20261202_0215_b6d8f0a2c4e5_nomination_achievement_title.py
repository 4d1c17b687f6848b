"""A nomination names the achievement it proposes for reward (Law art. 5: one achievement, one reward).

Revision ID: b6d8f0a2c4e5
Revises: a4c6e8f0b2d3
Create Date: 2026-12-02 02:15:00

"""
from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = 'b6d8f0a2c4e5'
down_revision = 'a4c6e8f0b2d3'
branch_labels = None
depends_on = None


def upgrade():
    # A plain ADD COLUMN on both databases: SQLite must not rebuild the table (its search index's
    # triggers live on it).
    op.add_column('nominations', sa.Column('achievement_title', sa.String(length=300), server_default='',
                                           nullable=False))


def downgrade():
    op.drop_column('nominations', 'achievement_title')
