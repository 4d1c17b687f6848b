"""The revocation of an award received: its proposal and decision; a revoked award stays in the
history, marked.

Revision ID: f4b6d8e0a2c3
Revises: e2a4c6e8f0b1
Create Date: 2026-12-02 03:15:00

"""
from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = 'f4b6d8e0a2c3'
down_revision = 'e2a4c6e8f0b1'
branch_labels = None
depends_on = None


def upgrade():
    # A plain column with a constant default (no table rebuild on SQLite).
    op.add_column('award_records', sa.Column('revoked', sa.Boolean(), server_default=sa.false(), nullable=False))
    op.create_table(
        'revocations',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('award_record_id', sa.Integer(), nullable=False),
        sa.Column('unit_id', sa.Integer(), nullable=False),
        sa.Column('status', sa.Enum('proposed', 'decided', 'dismissed', name='revocationstatus', native_enum=False,
                                    length=20), nullable=False),
        sa.Column('reason', sa.Text(), nullable=False),
        sa.Column('legal_basis', sa.Text(), nullable=False),
        sa.Column('proposed_by_id', sa.Integer(), nullable=True),
        sa.Column('decision_number', sa.String(length=64), nullable=False),
        sa.Column('decision_date', sa.Date(), nullable=True),
        sa.Column('signer', sa.String(length=200), nullable=False),
        sa.Column('decided_by_id', sa.Integer(), nullable=True),
        sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('dismissal', sa.Text(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['award_record_id'], ['award_records.id'],
                                name=op.f('fk_revocations_award_record_id_award_records')),
        sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_revocations_decided_by_id_users')),
        sa.ForeignKeyConstraint(['proposed_by_id'], ['users.id'], name=op.f('fk_revocations_proposed_by_id_users')),
        sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_revocations_unit_id_units')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_revocations')),
    )
    with op.batch_alter_table('revocations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_revocations_award_record_id'), ['award_record_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_revocations_unit_id'), ['unit_id'], unique=False)


def downgrade():
    with op.batch_alter_table('revocations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_revocations_unit_id'))
        batch_op.drop_index(batch_op.f('ix_revocations_award_record_id'))
    op.drop_table('revocations')
    op.drop_column('award_records', 'revoked')
