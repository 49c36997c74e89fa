"""Mail about events: invitations with one-click answers, reminders, nudges, change and
cancellation notices, a member's own registration, sending one mail again, and the members'
digests, one topic per module; rendering.event_mail is what every event mail shares.

Every mail is rendered in its recipient's mail language with the times in their own time zone, and
written to the outbox (mirpal.outbox) in the transaction of the action that caused it, under an
idempotency key that names recipient, event, kind and version; the database holds the key unique,
so no action, retry or repeated beat run mails anyone twice. Keys of one event all start with
f"event:{pk}:" (kinds.event_mail_prefix), which is how the secretariat's counts find them.
Invitations are written a little later: the click records an InvitationRun, whom it invites, and
a worker writes their mails in chunks (mirpal.mailruns), so that twenty thousand members never
hold up the request.

events.services calls into this package (notices, registration, invitations); the rendering and
enqueueing modules here never import events.services, only views.py does, from above.
"""
