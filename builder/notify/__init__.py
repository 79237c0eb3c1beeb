"""Delivery stage: each person's daily digest (`views.digest`, rendered by
`render.digest`) sent on their own channels through Apprise, once a day.

- `channels`: the one adapter around Apprise's knowledge of channel URLs (which parts are
  secrets, which schemes exist); `check` uses it to refuse a secret written in a record.
- `state`: what was sent when (the cache folder CI keeps), for idempotency.
- `send`: one digest on one channel, placeholders filled from the environment.
- `run`: a whole `plaindesk digest` / `plaindesk notify` run.
"""
