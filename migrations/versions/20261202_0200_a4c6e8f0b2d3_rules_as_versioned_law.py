"""The award rules as versioned law (one row per requirement per version, in force from a day),
and the judgement kept with each decision.

Revision ID: a4c6e8f0b2d3
Revises: f2b4d6a8c0e1
Create Date: 2026-12-02 02:00:00

The first version of every award type's requirements is written here from what the award type
stores (its thresholds), in force from its regime's first day, so a database upgraded with data
judges exactly as before.
"""
import json

from alembic import op
import sqlalchemy as sa

from tracker.catalogue.regimes import REGIMES
from tracker.rules.eligibility import DEFAULT_PARAMS, default_basis, default_confidence
from tracker.rules.requirements import requirements_of

# revision identifiers, used by Alembic.
revision = 'a4c6e8f0b2d3'
down_revision = 'f2b4d6a8c0e1'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'award_rules',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('award_type_id', sa.Integer(), nullable=False),
        sa.Column('requirement', sa.String(length=64), nullable=False),
        sa.Column('params_json', sa.Text(), nullable=False),
        sa.Column('legal_basis', sa.Text(), nullable=False),
        sa.Column('confidence', sa.String(length=8), nullable=False),
        sa.Column('valid_from', sa.Date(), nullable=False),
        sa.Column('note', sa.Text(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['award_type_id'], ['award_types.id'], name=op.f('fk_award_rules_award_type_id_award_types')),
        sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_award_rules_created_by_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_award_rules')),
    )
    with op.batch_alter_table('award_rules', schema=None) as batch_op:
        batch_op.create_index('ix_award_rules_award_requirement_from', ['award_type_id', 'requirement', 'valid_from'],
                              unique=False)
    with op.batch_alter_table('decisions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('judgement_json', sa.Text(), server_default='', nullable=False))

    connection = op.get_bind()
    starts = {code: start for code, start, _end, _basis in REGIMES}
    awards = sa.table('award_types', sa.column('id', sa.Integer), sa.column('regime', sa.String),
                      sa.column('code', sa.String), sa.column('confidence', sa.String),
                      sa.column('rules_json', sa.Text))
    rules = sa.table('award_rules', sa.column('award_type_id', sa.Integer), sa.column('requirement', sa.String),
                     sa.column('params_json', sa.Text), sa.column('legal_basis', sa.Text),
                     sa.column('confidence', sa.String), sa.column('valid_from', sa.Date),
                     sa.column('note', sa.Text), sa.column('created_at', sa.DateTime(timezone=True)))
    now = sa.func.now()
    rows = []
    for award_id, regime, code, confidence, rules_json in connection.execute(
            sa.select(awards.c.id, awards.c.regime, awards.c.code, awards.c.confidence, awards.c.rules_json)):
        try:
            stored = json.loads(rules_json or '{}')
        except ValueError:
            stored = {}
        params = {**DEFAULT_PARAMS.get(code, {}),
                  **{k: v for k, v in (stored if isinstance(stored, dict) else {}).items()
                     if k in DEFAULT_PARAMS.get(code, {})}}
        for requirement in requirements_of(code):
            rows.append({'award_type_id': award_id, 'requirement': requirement.key,
                         'params_json': json.dumps({k: params[k] for k in requirement.params if k in params},
                                                   ensure_ascii=False),
                         'legal_basis': default_basis(requirement.key, regime),
                         'confidence': default_confidence(code, requirement.key, regime, confidence),
                         'valid_from': starts.get(regime, min(starts.values())), 'note': ''})
    for row in rows:
        connection.execute(rules.insert().values(**row, created_at=now))


def downgrade():
    with op.batch_alter_table('decisions', schema=None) as batch_op:
        batch_op.drop_column('judgement_json')
    with op.batch_alter_table('award_rules', schema=None) as batch_op:
        batch_op.drop_index('ix_award_rules_award_requirement_from')
    op.drop_table('award_rules')
