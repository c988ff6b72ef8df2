"""Initial schema: cases, witnesses (restricted identities apart), sources, excerpts, claims.

Revision ID: 0001
Revises:
Create Date: 2026-11-28 13:04:10.573390
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "cases",
        sa.Column("pk", sa.Integer(), nullable=False),
        sa.Column("ref", sa.String(length=64), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("organisation", sa.Text(), nullable=True),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("language", sa.String(length=35), nullable=False),
        sa.PrimaryKeyConstraint("pk", name=op.f("pk_cases")),
        sa.UniqueConstraint("ref", name=op.f("uq_cases_ref")),
    )
    op.create_table(
        "documents",
        sa.Column("pk", sa.Integer(), nullable=False),
        sa.Column("case_pk", sa.Integer(), nullable=False),
        sa.Column("ref", sa.String(length=64), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("authors", sa.JSON(), nullable=False),
        sa.Column("outlet", sa.Text(), nullable=True),
        sa.Column("publisher", sa.Text(), nullable=True),
        sa.Column("date", sa.String(length=64), nullable=True),
        sa.Column("url", sa.Text(), nullable=True),
        sa.Column("accessed", sa.String(length=64), nullable=True),
        sa.Column("volume", sa.Text(), nullable=True),
        sa.Column("symbol", sa.Text(), nullable=True),
        sa.Column("underlying_source", sa.String(length=64), nullable=True),
        sa.ForeignKeyConstraint(["case_pk"], ["cases.pk"], name=op.f("fk_documents_case_pk_cases"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("pk", name=op.f("pk_documents")),
        sa.UniqueConstraint("case_pk", "ref", name=op.f("uq_documents_case_pk")),
    )
    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_documents_case_pk"), ["case_pk"], unique=False)

    op.create_table(
        "propositions",
        sa.Column("pk", sa.Integer(), nullable=False),
        sa.Column("case_pk", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=128), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("statement", sa.Text(), nullable=False),
        sa.Column("attributes", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_pk"], ["cases.pk"], name=op.f("fk_propositions_case_pk_cases"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("pk", name=op.f("pk_propositions")),
        sa.UniqueConstraint("case_pk", "key", name=op.f("uq_propositions_case_pk")),
    )
    with op.batch_alter_table("propositions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_propositions_case_pk"), ["case_pk"], unique=False)

    op.create_table(
        "recommendations",
        sa.Column("pk", sa.Integer(), nullable=False),
        sa.Column("case_pk", sa.Integer(), nullable=False),
        sa.Column("ref", sa.String(length=64), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("addressee", sa.Text(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_pk"], ["cases.pk"], name=op.f("fk_recommendations_case_pk_cases"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("pk", name=op.f("pk_recommendations")),
        sa.UniqueConstraint("case_pk", "ref", name=op.f("uq_recommendations_case_pk")),
    )
    with op.batch_alter_table("recommendations", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_recommendations_case_pk"), ["case_pk"], unique=False)

    op.create_table(
        "witnesses",
        sa.Column("pk", sa.Integer(), nullable=False),
        sa.Column("case_pk", sa.Integer(), nullable=False),
        sa.Column("ref", sa.String(length=16), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("gender", sa.String(length=16), nullable=True),
        sa.Column("age", sa.Integer(), nullable=True),
        sa.Column("age_low", sa.Integer(), nullable=True),
        sa.Column("age_high", sa.Integer(), nullable=True),
        sa.Column("origin", sa.String(length=100), nullable=True),
        sa.Column("nationality", sa.String(length=2), nullable=False),
        sa.Column("role", sa.Text(), nullable=True),
        sa.Column("independence_group", sa.String(length=64), nullable=True),
        sa.Column("independence_note", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["case_pk"], ["cases.pk"], name=op.f("fk_witnesses_case_pk_cases"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("pk", name=op.f("pk_witnesses")),
        sa.UniqueConstraint("case_pk", "ref", name=op.f("uq_witnesses_case_pk")),
    )
    with op.batch_alter_table("witnesses", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_witnesses_case_pk"), ["case_pk"], unique=False)
        batch_op.create_index(batch_op.f("ix_witnesses_origin"), ["origin"], unique=False)

    op.create_table(
        "interviews",
        sa.Column("pk", sa.Integer(), nullable=False),
        sa.Column("case_pk", sa.Integer(), nullable=False),
        sa.Column("ref", sa.String(length=64), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("witness_pk", sa.Integer(), nullable=False),
        sa.Column("date", sa.String(length=64), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("town", sa.Text(), nullable=True),
        sa.Column("interviewer", sa.Text(), nullable=True),
        sa.Column("language", sa.String(length=35), nullable=True),
        sa.Column("consent", sa.String(length=16), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_pk"], ["cases.pk"], name=op.f("fk_interviews_case_pk_cases"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["witness_pk"],
            ["witnesses.pk"],
            name=op.f("fk_interviews_witness_pk_witnesses"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("pk", name=op.f("pk_interviews")),
        sa.UniqueConstraint("case_pk", "ref", name=op.f("uq_interviews_case_pk")),
    )
    with op.batch_alter_table("interviews", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_interviews_case_pk"), ["case_pk"], unique=False)
        batch_op.create_index(batch_op.f("ix_interviews_witness_pk"), ["witness_pk"], unique=False)

    op.create_table(
        "witness_identities",
        sa.Column("witness_pk", sa.Integer(), nullable=False),
        sa.Column("name", sa.Text(), nullable=True),
        sa.Column("name_hangul", sa.Text(), nullable=True),
        sa.Column("aliases", sa.JSON(), nullable=False),
        sa.Column("contacts", sa.JSON(), nullable=False),
        sa.Column("birth_date", sa.Text(), nullable=True),
        sa.Column("current_location", sa.Text(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("invented", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["witness_pk"],
            ["witnesses.pk"],
            name=op.f("fk_witness_identities_witness_pk_witnesses"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("witness_pk", name=op.f("pk_witness_identities")),
    )
    op.create_table(
        "excerpts",
        sa.Column("pk", sa.Integer(), nullable=False),
        sa.Column("case_pk", sa.Integer(), nullable=False),
        sa.Column("ref", sa.String(length=64), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("interview_pk", sa.Integer(), nullable=True),
        sa.Column("document_pk", sa.Integer(), nullable=True),
        sa.Column("mode", sa.String(length=16), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("quote", sa.Boolean(), nullable=False),
        sa.Column("pages", sa.Text(), nullable=True),
        sa.Column("note", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["case_pk"], ["cases.pk"], name=op.f("fk_excerpts_case_pk_cases"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(
            ["document_pk"],
            ["documents.pk"],
            name=op.f("fk_excerpts_document_pk_documents"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["interview_pk"],
            ["interviews.pk"],
            name=op.f("fk_excerpts_interview_pk_interviews"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("pk", name=op.f("pk_excerpts")),
        sa.UniqueConstraint("case_pk", "ref", name=op.f("uq_excerpts_case_pk")),
    )
    with op.batch_alter_table("excerpts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_excerpts_case_pk"), ["case_pk"], unique=False)
        batch_op.create_index(batch_op.f("ix_excerpts_document_pk"), ["document_pk"], unique=False)
        batch_op.create_index(batch_op.f("ix_excerpts_interview_pk"), ["interview_pk"], unique=False)

    op.create_table(
        "claims",
        sa.Column("pk", sa.Integer(), nullable=False),
        sa.Column("case_pk", sa.Integer(), nullable=False),
        sa.Column("ref", sa.String(length=64), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("excerpt_pk", sa.Integer(), nullable=False),
        sa.Column("proposition_pk", sa.Integer(), nullable=False),
        sa.Column("stance", sa.String(length=16), nullable=False),
        sa.Column("attributes", sa.JSON(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["case_pk"], ["cases.pk"], name=op.f("fk_claims_case_pk_cases"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(
            ["excerpt_pk"], ["excerpts.pk"], name=op.f("fk_claims_excerpt_pk_excerpts"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["proposition_pk"],
            ["propositions.pk"],
            name=op.f("fk_claims_proposition_pk_propositions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("pk", name=op.f("pk_claims")),
        sa.UniqueConstraint("case_pk", "ref", name=op.f("uq_claims_case_pk")),
    )
    with op.batch_alter_table("claims", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_claims_case_pk"), ["case_pk"], unique=False)
        batch_op.create_index(batch_op.f("ix_claims_excerpt_pk"), ["excerpt_pk"], unique=False)
        batch_op.create_index(batch_op.f("ix_claims_proposition_pk"), ["proposition_pk"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("claims", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_claims_proposition_pk"))
        batch_op.drop_index(batch_op.f("ix_claims_excerpt_pk"))
        batch_op.drop_index(batch_op.f("ix_claims_case_pk"))

    op.drop_table("claims")
    with op.batch_alter_table("excerpts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_excerpts_interview_pk"))
        batch_op.drop_index(batch_op.f("ix_excerpts_document_pk"))
        batch_op.drop_index(batch_op.f("ix_excerpts_case_pk"))

    op.drop_table("excerpts")
    op.drop_table("witness_identities")
    with op.batch_alter_table("interviews", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_interviews_witness_pk"))
        batch_op.drop_index(batch_op.f("ix_interviews_case_pk"))

    op.drop_table("interviews")
    with op.batch_alter_table("witnesses", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_witnesses_origin"))
        batch_op.drop_index(batch_op.f("ix_witnesses_case_pk"))

    op.drop_table("witnesses")
    with op.batch_alter_table("recommendations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_recommendations_case_pk"))

    op.drop_table("recommendations")
    with op.batch_alter_table("propositions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_propositions_case_pk"))

    op.drop_table("propositions")
    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_documents_case_pk"))

    op.drop_table("documents")
    op.drop_table("cases")
