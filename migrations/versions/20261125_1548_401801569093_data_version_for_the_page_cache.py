"""Data version for the page cache: one row every commit that changes data moves on (tracker.pagecache).

Revision ID: 401801569093
Revises: eaf39a8e0878
Create Date: 2026-11-25 15:48:57.956727

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '401801569093'
down_revision = 'eaf39a8e0878'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('data_version',
    sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('value', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_data_version'))
    )
    op.execute("INSERT INTO data_version (id, value) VALUES (1, 0)")


def downgrade():
    op.drop_table('data_version')
