"""Corrections to the Streamlit server this app runs on, each applied once per server process.

Uploads across a rerun. When a new script run starts, Streamlit clears the session's queue of
messages not yet sent to the browser, keeping only the run's lifecycle messages. The answer to a
browser's request for upload addresses (`file_urls_response`) is not one of them, so if a person
drops a file in the moment between asking for a rerun (pressing Enter in a box, picking from a
list) and that run starting, the answer is thrown away: the browser waits for it forever, sends no
upload, and the page still says no file was chosen. On a busy server that moment lasts seconds
(the load run in `bench/load.py` found it). The answer belongs to no script run, so it is kept
across the clear.

Small writes without waiting. Streamlit's server makes its listening socket without naming the
protocol (`socket.socket(family)`), so the connections it accepts report protocol 0 and asyncio,
which turns off Nagle's algorithm only on sockets that say TCP, leaves it on. Each answer after
the first on a kept-alive connection then goes out in two parts, and the second waits for the
browser's delayed acknowledgement: about 40 ms on Linux for every script, font and websocket
burst after a connection's first (60 script files at a page's first open: 0.3-0.4 s). The
listening socket is made with the protocol named and TCP_NODELAY set, as asyncio intends.
"""

from __future__ import annotations

import socket
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


_NODELAY_MARK = "_gapboard_sets_nodelay"


def send_small_writes_at_once() -> None:
    """Make the server's listening socket say TCP, so asyncio turns Nagle's algorithm off per link.

    Call before the server starts (serve.py does); it changes how the socket is made, not a
    running server.
    """
    from streamlit.web.server.starlette import starlette_server

    original: Any = starlette_server._bind_socket
    if getattr(original, _NODELAY_MARK, False):
        return

    def bind_socket(address: str, port: int, backlog: int) -> socket.socket:
        made = original(address, port, backlog)
        tcp = socket.socket(made.family, made.type, socket.IPPROTO_TCP, fileno=made.detach())
        tcp.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        tcp.setblocking(False)
        tcp.set_inheritable(True)
        return tcp

    bind_socket.__wrapped__ = original  # type: ignore[attr-defined]
    setattr(bind_socket, _NODELAY_MARK, True)
    starlette_server._bind_socket = bind_socket
