"""The public posting of a proposal's list and the objections to it.

Revision ID: a6c8e0f2b4d5
Revises: f4b6d8e0a2c3
Create Date: 2026-12-02 03:30:00

"""
from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = 'a6c8e0f2b4d5'
down_revision = 'f4b6d8e0a2c3'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column('proposals', sa.Column('posted_since', sa.Date(), nullable=True))
    op.create_table(
        'public_objections',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('proposal_id', sa.Integer(), nullable=False),
        sa.Column('nomination_id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=200), nullable=False),
        sa.Column('contact', sa.String(length=200), nullable=False),
        sa.Column('text', sa.Text(), nullable=False),
        sa.Column('status', sa.Enum('open', 'upheld', 'dismissed', name='objectionstatus', native_enum=False,
                                    length=20), nullable=False),
        sa.Column('resolution', sa.Text(), nullable=False),
        sa.Column('resolved_by_id', sa.Integer(), nullable=True),
        sa.Column('resolved_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['nomination_id'], ['nominations.id'],
                                name=op.f('fk_public_objections_nomination_id_nominations')),
        sa.ForeignKeyConstraint(['proposal_id'], ['proposals.id'],
                                name=op.f('fk_public_objections_proposal_id_proposals')),
        sa.ForeignKeyConstraint(['resolved_by_id'], ['users.id'],
                                name=op.f('fk_public_objections_resolved_by_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_public_objections')),
    )
    with op.batch_alter_table('public_objections', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_public_objections_proposal_id'), ['proposal_id'], unique=False)


def downgrade():
    with op.batch_alter_table('public_objections', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_public_objections_proposal_id'))
    op.drop_table('public_objections')
    op.drop_column('proposals', 'posted_since')
