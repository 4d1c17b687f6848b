"""Units in Vietnamese alphabetical order: the name's sort key (tracker.collation), filled for every unit.

Revision ID: a3c5e7f9b1d2
Revises: 5569c8714fa5
Create Date: 2026-12-01 22:00:00

"""
from alembic import op
import sqlalchemy as sa

from tracker.collation import sort_key

# revision identifiers, used by Alembic.
revision = 'a3c5e7f9b1d2'
down_revision = '5569c8714fa5'
branch_labels = None
depends_on = None

KEY = sa.String(400).with_variant(sa.String(400, collation="C"), "postgresql")


def upgrade():
    with op.batch_alter_table('units', schema=None) as batch_op:
        batch_op.add_column(sa.Column('sort_key', KEY, server_default='', nullable=False))
        batch_op.create_index(batch_op.f('ix_units_sort_key'), ['sort_key'], unique=False)
    connection = op.get_bind()
    units = sa.table('units', sa.column('id', sa.Integer), sa.column('name', sa.String), sa.column('sort_key', KEY))
    rows = connection.execute(sa.select(units.c.id, units.c.name)).all()
    if rows:
        connection.execute(units.update().where(units.c.id == sa.bindparam('unit_id'))
                           .values(sort_key=sa.bindparam('key')),
                           [{'unit_id': row.id, 'key': sort_key(row.name)} for row in rows])


def downgrade():
    with op.batch_alter_table('units', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_units_sort_key'))
        batch_op.drop_column('sort_key')
