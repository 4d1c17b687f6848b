"""Page versions per scope (a plan's pages at a unit, a user's own pages, the shared tree, a plan's
honour roll) instead of one data version for the whole country (tracker.pagecache.versions).

Revision ID: c4e1a9b7d2f3
Revises: 5b1c0d7e9a42
Create Date: 2026-12-01 17:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c4e1a9b7d2f3'
down_revision = '5b1c0d7e9a42'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('page_versions',
    sa.Column('scope', sa.String(length=80), nullable=False),
    sa.Column('value', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('scope', name=op.f('pk_page_versions'))
    )
    op.drop_table('data_version')


def downgrade():
    op.create_table('data_version',
    sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('value', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_data_version'))
    )
    op.execute("INSERT INTO data_version (id, value) VALUES (1, 0)")
    op.drop_table('page_versions')
