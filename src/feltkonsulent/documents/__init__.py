"""The placement agreement: built as data from domain objects (pure), rendered to PDF
(`feltkonsulent.documents.pdf`, reportlab), with a QR code naming the placement and version."""

from feltkonsulent.documents.agreement import build_agreement, build_internal_note, content_digest
from feltkonsulent.documents.model import AgreementData, Issuer, NoteData
from feltkonsulent.documents.qr import parse_qr_payload, qr_payload

__all__ = ["AgreementData", "Issuer", "NoteData", "build_agreement", "build_internal_note",
           "content_digest", "parse_qr_payload", "qr_payload"]
