"""What comes in from customers and the company's systems: contacts, events, responses.

Also the public doors' domain side: survey links and signed invitation tokens, the email
snippet, widget eligibility, kiosk and QR links. Imports ``store``, ``journey`` and
``surveys``, never the doors.
"""

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
from journeyscope.collection.contacts_csv import ImportReport, count_rows, import_contacts_csv
from journeyscope.collection.events import get_event, ingest_events, list_events
from journeyscope.collection.models import (
    MAX_BATCH,
    Contact,
    ContactIn,
    ContactPatch,
    Event,
    EventBatchIn,
    EventIn,
    IngestResult,
    PublicResponseIn,
    ResponseIn,
    ResponseView,
)
from journeyscope.collection.responses import (
    find_response,
    get_response,
    metric_facts,
    submit_public,
    submit_response,
)
from journeyscope.collection.tokens import (
    InvalidToken,
    Invitation,
    new_invitation,
    read_invitation,
    sign_invitation,
)

__all__ = [
    "MAX_BATCH",
    "BulkUpsertCounts",
    "Contact",
    "ContactIn",
    "ContactPatch",
    "Event",
    "EventBatchIn",
    "EventIn",
    "ImportReport",
    "IngestResult",
    "InvalidToken",
    "Invitation",
    "PublicResponseIn",
    "ResponseIn",
    "ResponseView",
    "UpsertOutcome",
    "count_rows",
    "create_contact",
    "delete_contact",
    "find_response",
    "get_contact",
    "get_event",
    "get_response",
    "import_contacts_csv",
    "ingest_events",
    "list_contacts",
    "list_events",
    "metric_facts",
    "new_invitation",
    "read_invitation",
    "sign_invitation",
    "submit_public",
    "submit_response",
    "update_contact",
    "upsert_contact",
    "upsert_contacts",
]
