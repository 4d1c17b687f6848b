"""The council's meetings: attendance, the agenda's items with their secret-ballot counts and
recusals; and the council's vote as a rule of every award (its first version).

Revision ID: e2a4c6e8f0b1
Revises: d0f2b4c6e8a9
Create Date: 2026-12-02 03:00:00

"""
import json
from datetime import date, datetime, timezone

from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = 'e2a4c6e8f0b1'
down_revision = 'd0f2b4c6e8a9'
branch_labels = None
depends_on = None

# As the tracker knew them when the rule came in (tracker.rules.ballot, tracker.rules.eligibility).
REGIME_START = {"2017": date(2017, 7, 31), "2024": date(2024, 1, 1), "2025": date(2025, 7, 1)}
BALLOT_REQUIRED = ("CSTDCS", "CSTD_TINH", "CSTD_TQ")
BASIS = {
    "2017": "Luật Thi đua, Khen thưởng 2003 (sửa đổi, bổ sung 2013); Nghị định 91/2017/NĐ-CP",
    "2024": "Luật Thi đua, Khen thưởng số 06/2022/QH15; Nghị định 98/2023/NĐ-CP",
    "2025": "Luật Thi đua, Khen thưởng số 06/2022/QH15; Nghị định 152/2025/NĐ-CP",
}
STRICT_BASIS = "Khoản 8 Điều 45 Nghị định 91/2017/NĐ-CP (bỏ phiếu kín, từ 90% tổng số thành viên)"


def upgrade():
    op.create_table(
        'council_meetings',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('unit_id', sa.Integer(), nullable=False),
        sa.Column('meeting_date', sa.Date(), nullable=False),
        sa.Column('place', sa.String(length=300), nullable=False),
        sa.Column('number', sa.String(length=64), nullable=False),
        sa.Column('quorum_numerator', sa.Integer(), nullable=False),
        sa.Column('quorum_denominator', sa.Integer(), nullable=False),
        sa.Column('attendance_recorded', sa.Boolean(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_council_meetings_created_by_id_users')),
        sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_council_meetings_unit_id_units')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_council_meetings')),
    )
    with op.batch_alter_table('council_meetings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_council_meetings_unit_id'), ['unit_id'], unique=False)
    op.create_table(
        'council_meeting_attendance',
        sa.Column('meeting_id', sa.Integer(), nullable=False),
        sa.Column('member_id', sa.Integer(), nullable=False),
        sa.Column('present', sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(['meeting_id'], ['council_meetings.id'],
                                name=op.f('fk_council_meeting_attendance_meeting_id_council_meetings')),
        sa.ForeignKeyConstraint(['member_id'], ['council_members.id'],
                                name=op.f('fk_council_meeting_attendance_member_id_council_members')),
        sa.PrimaryKeyConstraint('meeting_id', 'member_id', name=op.f('pk_council_meeting_attendance')),
    )
    op.create_table(
        'council_meeting_items',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('meeting_id', sa.Integer(), nullable=False),
        sa.Column('nomination_id', sa.Integer(), nullable=False),
        sa.Column('award_type_id', sa.Integer(), nullable=False),
        sa.Column('agree', sa.Integer(), nullable=True),
        sa.Column('disagree', sa.Integer(), nullable=True),
        sa.Column('spoiled', sa.Integer(), nullable=True),
        sa.Column('members', sa.Integer(), nullable=True),
        sa.Column('threshold_percent', sa.Integer(), nullable=True),
        sa.Column('threshold_inclusive', sa.Boolean(), nullable=True),
        sa.Column('passed', sa.Boolean(), nullable=True),
        sa.ForeignKeyConstraint(['award_type_id'], ['award_types.id'],
                                name=op.f('fk_council_meeting_items_award_type_id_award_types')),
        sa.ForeignKeyConstraint(['meeting_id'], ['council_meetings.id'],
                                name=op.f('fk_council_meeting_items_meeting_id_council_meetings')),
        sa.ForeignKeyConstraint(['nomination_id'], ['nominations.id'],
                                name=op.f('fk_council_meeting_items_nomination_id_nominations')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_council_meeting_items')),
        sa.UniqueConstraint('meeting_id', 'nomination_id', name=op.f('uq_council_meeting_items_meeting_id_nomination_id')),
    )
    with op.batch_alter_table('council_meeting_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_council_meeting_items_meeting_id'), ['meeting_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_council_meeting_items_nomination_id'), ['nomination_id'], unique=False)
    op.create_table(
        'council_meeting_recusals',
        sa.Column('item_id', sa.Integer(), nullable=False),
        sa.Column('member_id', sa.Integer(), nullable=False),
        sa.Column('reason', sa.Enum('candidate', 'relative', 'collective', name='recusalreason', native_enum=False,
                                    length=20), nullable=False),
        sa.ForeignKeyConstraint(['item_id'], ['council_meeting_items.id'],
                                name=op.f('fk_council_meeting_recusals_item_id_council_meeting_items')),
        sa.ForeignKeyConstraint(['member_id'], ['council_members.id'],
                                name=op.f('fk_council_meeting_recusals_member_id_council_members')),
        sa.PrimaryKeyConstraint('item_id', 'member_id', name=op.f('pk_council_meeting_recusals')),
    )
    # Every award already stored gains the council's vote as a rule, in force from its regime's
    # first day: more than half of the members, the ballot required for the CSTĐ titles.
    connection = op.get_bind()
    awards = connection.execute(sa.text("SELECT id, code, regime FROM award_types")).all()
    have = {row[0] for row in connection.execute(
        sa.text("SELECT award_type_id FROM award_rules WHERE requirement = 'council_vote'"))}
    rules = sa.table('award_rules', sa.column('award_type_id', sa.Integer), sa.column('requirement', sa.String),
                     sa.column('params_json', sa.Text), sa.column('legal_basis', sa.Text),
                     sa.column('confidence', sa.String), sa.column('valid_from', sa.Date),
                     sa.column('note', sa.Text), sa.column('created_at', sa.DateTime(timezone=True)))
    stricter = {("2017", "CSTD_TINH"), ("2017", "CSTD_TQ")}  # ≥ 90 %: khoản 8 Điều 45 NĐ 91/2017
    rows = [{"award_type_id": award_id, "requirement": "council_vote",
             "params_json": json.dumps({"approval_percent": 90 if (regime, code) in stricter else 50,
                                        "approval_inclusive": int((regime, code) in stricter),
                                        "ballot_required": int(code in BALLOT_REQUIRED)}),
             "legal_basis": (STRICT_BASIS if (regime, code) in stricter else BASIS.get(regime, "")),
             "confidence": "V" if (regime, code) in stricter else "U",
             "valid_from": REGIME_START.get(regime, date(2017, 7, 31)), "note": "",
             "created_at": datetime.now(timezone.utc)}
            for award_id, code, regime in awards if award_id not in have]
    if rows:
        op.bulk_insert(rules, rows)


def downgrade():
    op.execute("DELETE FROM award_rules WHERE requirement = 'council_vote'")
    op.drop_table('council_meeting_recusals')
    with op.batch_alter_table('council_meeting_items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_council_meeting_items_nomination_id'))
        batch_op.drop_index(batch_op.f('ix_council_meeting_items_meeting_id'))
    op.drop_table('council_meeting_items')
    op.drop_table('council_meeting_attendance')
    with op.batch_alter_table('council_meetings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_council_meetings_unit_id'))
    op.drop_table('council_meetings')
