"""What comes in from customers and the company's systems: contacts, events, responses.

Also the public doors' domain side: survey links and signed invitation tokens, the email
snippet, widget eligibility, kiosk and QR links. Imports ``store``, ``journey`` and
``surveys``, never the doors.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from journeyscope.collection.contacts import (
    BulkUpsertCounts,
    UpsertOutcome,
    create_contact,
    delete_contact,
    get_contact,
    list_contacts,
    update_contact,
    upsert_contact,
    upsert_contacts,
)
from journeyscope.collection.contacts_csv import (
    ImportReport,
    contact_from_row,
    count_rows,
    csv_header,
    import_contacts_csv,
    open_csv,
)
from journeyscope.collection.eligibility import is_sampled
from journeyscope.collection.email_snippet import (
    SnippetWords,
    first_question,
    render_email_snippet,
    snippet_words,
)
from journeyscope.collection.events import get_event, ingest_events, list_events
from journeyscope.collection.hosted import contact_fields, invited_contact
from journeyscope.collection.imports import (
    copy_completed_responses,
    has_completed_since,
    import_contacts,
    import_events,
    import_responses,
)
from journeyscope.collection.links import (
    PersonalLink,
    anonymous_link,
    personal_link,
    published_survey,
)
from journeyscope.collection.models import (
    MAX_BATCH,
    Contact,
    ContactIn,
    ContactPatch,
    DeviceClass,
    Event,
    EventBatchIn,
    EventIn,
    EventType,
    ExternalId,
    Ingested,
    IngestResult,
    Locale,
    PublicResponseIn,
    ResponseIn,
    ResponseRecord,
    ResponseView,
)
from journeyscope.collection.repo import contacts_by_external_id
from journeyscope.collection.repo import get_contact as contact_row
from journeyscope.collection.responses import (
    fact_rows,
    find_response,
    get_response,
    metric_facts,
    response_record,
    submit_public,
    submit_response,
)
from journeyscope.collection.tokens import (
    InvalidToken,
    Invitation,
    new_invitation,
    read_invitation,
    read_signed_invitation,
    sign_invitation,
)
from journeyscope.collection.urls import invitation_url, kiosk_url, survey_url, unsubscribe_url
from journeyscope.collection.widget import (
    check_eligibility,
    client_definition,
    dismiss_display,
    record_display,
    submit_widget_response,
)
from journeyscope.collection.widget_models import (
    DisplayIn,
    DisplayView,
    Eligibility,
    EligibilityIn,
    WidgetResponseIn,
)
from journeyscope.lazy_exports import lazy_exports

# QR codes need segno, which only the QR doors load: imported when first read.
if TYPE_CHECKING:
    from journeyscope.collection.qr_codes import MEDIA_TYPES as QR_MEDIA_TYPES
    from journeyscope.collection.qr_codes import QrFormat, render_qr

__getattr__ = lazy_exports(
    __name__,
    {
        "QR_MEDIA_TYPES": ("journeyscope.collection.qr_codes", "MEDIA_TYPES"),
        "QrFormat": ("journeyscope.collection.qr_codes", "QrFormat"),
        "render_qr": ("journeyscope.collection.qr_codes", "render_qr"),
    },
)

__all__ = [
    "MAX_BATCH",
    "QR_MEDIA_TYPES",
    "BulkUpsertCounts",
    "Contact",
    "ContactIn",
    "ContactPatch",
    "DeviceClass",
    "DisplayIn",
    "DisplayView",
    "Eligibility",
    "EligibilityIn",
    "Event",
    "EventBatchIn",
    "EventIn",
    "EventType",
    "ExternalId",
    "ImportReport",
    "IngestResult",
    "Ingested",
    "InvalidToken",
    "Invitation",
    "Locale",
    "PersonalLink",
    "PublicResponseIn",
    "QrFormat",
    "ResponseIn",
    "ResponseRecord",
    "ResponseView",
    "SnippetWords",
    "UpsertOutcome",
    "WidgetResponseIn",
    "anonymous_link",
    "check_eligibility",
    "client_definition",
    "contact_fields",
    "contact_from_row",
    "contact_row",
    "contacts_by_external_id",
    "copy_completed_responses",
    "count_rows",
    "create_contact",
    "csv_header",
    "delete_contact",
    "dismiss_display",
    "fact_rows",
    "find_response",
    "first_question",
    "get_contact",
    "get_event",
    "get_response",
    "has_completed_since",
    "import_contacts",
    "import_contacts_csv",
    "import_events",
    "import_responses",
    "ingest_events",
    "invitation_url",
    "invited_contact",
    "is_sampled",
    "kiosk_url",
    "list_contacts",
    "list_events",
    "metric_facts",
    "new_invitation",
    "open_csv",
    "personal_link",
    "published_survey",
    "read_invitation",
    "read_signed_invitation",
    "record_display",
    "render_email_snippet",
    "render_qr",
    "response_record",
    "sign_invitation",
    "snippet_words",
    "submit_public",
    "submit_response",
    "submit_widget_response",
    "survey_url",
    "unsubscribe_url",
    "update_contact",
    "upsert_contact",
    "upsert_contacts",
]
