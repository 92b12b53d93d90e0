"""The placement agreement: built as data from domain objects (pure), rendered to PDF
(`feltkonsulent.documents.pdf`, reportlab), with a QR code naming the placement and version."""

from feltkonsulent.documents.agreement import build_agreement
from feltkonsulent.documents.model import AgreementData
from feltkonsulent.documents.qr import parse_qr_payload, qr_payload

__all__ = ["AgreementData", "build_agreement", "parse_qr_payload", "qr_payload"]
