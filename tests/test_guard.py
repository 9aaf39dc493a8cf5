"""The test suite's own guard: tests stay on loopback and never start the real model."""

from __future__ import annotations

import socket

import pytest


def test_a_socket_to_a_public_address_fails_the_test() -> None:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        with pytest.raises(AssertionError, match="loopback"):
            sock.connect(("192.0.2.1", 80))  # TEST-NET-1: never reached
    finally:
        sock.close()


def test_a_lookup_of_a_public_name_fails_the_test() -> None:
    with pytest.raises(AssertionError, match="loopback"):
        socket.getaddrinfo("example.com", 443)


def test_loopback_is_allowed() -> None:
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(1)
        with socket.create_connection(server.getsockname(), timeout=2):
            pass


def test_starting_the_embedded_model_without_the_live_marker_fails() -> None:
    from extractor.llm import runtime

    with pytest.raises(AssertionError, match="live"):
        runtime.start_server()
