"""A correction to the Streamlit server this app runs on, applied once per server process.

When a new script run starts, Streamlit clears the session's queue of messages not yet sent to
the browser, keeping only the run's lifecycle messages. The answer to a browser's request for
upload addresses (`file_urls_response`) is not one of them, so if a person drops a file in the
moment between asking for a rerun (pressing Enter in a box, picking from a list) and that run
starting, the answer is thrown away: the browser waits for it forever, sends no upload, and the
page still says no file was chosen. On a busy server that moment lasts seconds (the load run in
`bench/load.py` found it). The answer belongs to no script run, so it is kept across the clear.
"""

from __future__ import annotations

from typing import Any

from streamlit.runtime import forward_msg_queue

# messages that answer a browser's request and belong to no script run
KEPT = frozenset({"file_urls_response"})
_MARK = "_gapboard_keeps_request_answers"


def keep_request_answers_across_reruns() -> None:
    """Make a new run's queue clear keep the answers to the browser's upload-address requests."""
    queue_class: Any = forward_msg_queue.ForwardMsgQueue
    if getattr(queue_class, _MARK, False):
        return
    original = queue_class.clear

    def clear(
        self: Any,
        retain_lifecycle_msgs: bool = False,
        fragment_ids_this_run: list[str] | None = None,
    ) -> None:
        if not retain_lifecycle_msgs:  # a flush: everything was taken to be sent
            original(self, retain_lifecycle_msgs, fragment_ids_this_run)
            return
        answers = [m for m in self._queue if m.WhichOneof("type") in KEPT]
        original(self, retain_lifecycle_msgs, fragment_ids_this_run)
        self._queue.extend(m for m in answers if all(m is not kept for kept in self._queue))

    clear.__wrapped__ = original  # type: ignore[attr-defined]
    queue_class.clear = clear
    setattr(queue_class, _MARK, True)
