"""A rerun starting before the browser has its upload addresses must not throw them away."""

from __future__ import annotations

from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.runtime.forward_msg_queue import ForwardMsgQueue

from ui import runtime_fixes


def _answer(request_id: str) -> ForwardMsg:
    msg = ForwardMsg()
    msg.file_urls_response.response_id = request_id
    return msg


def _delta() -> ForwardMsg:
    msg = ForwardMsg()
    msg.metadata.delta_path[:] = [0, 0]
    msg.delta.new_element.markdown.body = "drawn by the run that is being replaced"
    return msg


def test_a_new_runs_clear_keeps_the_upload_address_answer_and_drops_the_old_runs_output() -> None:
    runtime_fixes.keep_request_answers_across_reruns()
    runtime_fixes.keep_request_answers_across_reruns()  # once per process, however often called
    queue = ForwardMsgQueue()
    queue.enqueue(_delta())
    queue.enqueue(_answer("upload-1"))
    # what Streamlit does when the next script run starts
    queue.clear(retain_lifecycle_msgs=True)
    kinds = [m.WhichOneof("type") for m in queue._queue]
    assert kinds == ["file_urls_response"]
    assert queue._queue[0].file_urls_response.response_id == "upload-1"
    # a flush still empties the queue: the answer is sent once, not again after the next run
    sent = queue.flush()
    assert [m.file_urls_response.response_id for m in sent] == ["upload-1"]
    assert len(queue) == 0
    queue.clear(retain_lifecycle_msgs=True)
    assert len(queue) == 0


def test_without_the_correction_streamlit_drops_the_answer() -> None:
    """The bug the correction is for: if a Streamlit release keeps the answer itself, this fails
    and the correction can go."""
    queue = ForwardMsgQueue()
    queue.enqueue(_answer("upload-2"))
    unpatched = getattr(ForwardMsgQueue.clear, "__wrapped__", None)
    if unpatched is None:  # the correction is not applied in this process yet
        ForwardMsgQueue.clear(queue, retain_lifecycle_msgs=True)
    else:
        unpatched(queue, retain_lifecycle_msgs=True)
    assert len(queue) == 0


def test_the_shipped_server_settings_are_the_ones_streamlit_reads() -> None:
    # Settings the measured latencies depend on (docs/scaling.md): no per-session module watch;
    # no full garbage collection after every run. Every name must be one of Streamlit's options,
    # so a misspelt or retired option fails here instead of being silently ignored.
    import tomllib
    from pathlib import Path

    from streamlit import config

    path = Path(__file__).resolve().parents[2] / ".streamlit" / "config.toml"
    shipped = {
        f"{section}.{name}": value
        for section, options in tomllib.loads(path.read_text()).items()
        for name, value in options.items()
    }
    known = config.get_config_options()
    assert [name for name in shipped if name not in known] == []
    assert shipped["server.fileWatcherType"] == "none"
    assert shipped["server.runOnSave"] is False
    assert shipped["runner.postScriptGC"] is False  # docs/scaling.md
    assert shipped["client.showErrorDetails"] == "none"


def _nodelay_of_an_accepted_connection() -> int:
    """Bind through Streamlit's own socket maker, accept one connection with asyncio, and return
    that connection's TCP_NODELAY (what asyncio left on the server's side of the link)."""
    import asyncio
    import socket

    from streamlit.web.server.starlette import starlette_server

    async def run() -> int:
        listening = starlette_server._bind_socket("127.0.0.1", 0, 8)
        accepted: asyncio.Future[int] = asyncio.get_running_loop().create_future()

        class Probe(asyncio.Protocol):
            def connection_made(self, transport: asyncio.BaseTransport) -> None:
                sock = transport.get_extra_info("socket")
                accepted.set_result(sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))
                transport.close()

        server = await asyncio.get_running_loop().create_server(Probe, sock=listening)
        port = listening.getsockname()[1]
        _, writer = await asyncio.open_connection("127.0.0.1", port)
        try:
            return await asyncio.wait_for(accepted, 10)
        finally:
            writer.close()
            server.close()
            await server.wait_closed()

    from tests.own_loop import run_on_own_loop

    return int(run_on_own_loop(run))


def test_connections_the_server_accepts_send_small_writes_at_once(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from streamlit.web.server.starlette import starlette_server

    original = getattr(starlette_server._bind_socket, "__wrapped__", starlette_server._bind_socket)
    monkeypatch.setattr(starlette_server, "_bind_socket", original)
    # The bug: Streamlit's socket does not say TCP, so asyncio leaves Nagle's algorithm on. If a
    # Streamlit release names the protocol itself, this fails and the correction can go.
    assert _nodelay_of_an_accepted_connection() == 0
    runtime_fixes.send_small_writes_at_once()
    runtime_fixes.send_small_writes_at_once()  # once per process, however often called
    assert starlette_server._bind_socket.__wrapped__ is original
    assert _nodelay_of_an_accepted_connection() != 0
