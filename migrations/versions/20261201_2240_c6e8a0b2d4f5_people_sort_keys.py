"""People in Vietnamese alphabetical order: users' and candidates' name sort keys (tracker.collation).

Revision ID: c6e8a0b2d4f5
Revises: b4d6f8a0c2e3
Create Date: 2026-12-01 22:40:00

"""
from alembic import op
import sqlalchemy as sa

from tracker.collation import sort_key

# revision identifiers, used by Alembic.
revision = 'c6e8a0b2d4f5'
down_revision = 'b4d6f8a0c2e3'
branch_labels = None
depends_on = None

KEY = sa.String(400).with_variant(sa.String(400, collation="C"), "postgresql")
BATCH = 5000


def _fill(table_name: str) -> None:
    """Each row's key from its full_name, a batch at a time (a country's candidates are many)."""
    connection = op.get_bind()
    table = sa.table(table_name, sa.column('id', sa.Integer), sa.column('full_name', sa.String),
                     sa.column('sort_key', KEY))
    update = table.update().where(table.c.id == sa.bindparam('row_id')).values(sort_key=sa.bindparam('key'))
    last = 0
    while True:
        rows = connection.execute(sa.select(table.c.id, table.c.full_name).where(table.c.id > last)
                                  .order_by(table.c.id).limit(BATCH)).all()
        if not rows:
            break
        connection.execute(update, [{'row_id': row.id, 'key': sort_key(row.full_name)} for row in rows])
        last = rows[-1].id


def upgrade():
    for name in ('users', 'candidates'):
        with op.batch_alter_table(name, schema=None) as batch_op:
            batch_op.add_column(sa.Column('sort_key', KEY, server_default='', nullable=False))
            batch_op.create_index(batch_op.f(f'ix_{name}_sort_key'), ['sort_key'], unique=False)
        _fill(name)


def downgrade():
    for name in ('candidates', 'users'):
        with op.batch_alter_table(name, schema=None) as batch_op:
            batch_op.drop_index(batch_op.f(f'ix_{name}_sort_key'))
            batch_op.drop_column('sort_key')
