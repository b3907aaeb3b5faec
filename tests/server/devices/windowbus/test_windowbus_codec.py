"""Framing: encode, decode incrementally, survive noise and damage, time out."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from server.devices.windowbus.codec import (
    FRAME_TIMEOUT,
    MAX_DATA,
    Frame,
    FrameDecoder,
    FrameError,
    checksum,
    encode_frame,
    parse_frame,
)

addresses = st.integers(1, 247)
functions = st.integers(0, 255)
payloads = st.binary(max_size=MAX_DATA)
frames = st.builds(encode_frame, addresses, functions, payloads)
# Noise that can never hold an FF 68 start, so it cannot hide or fake a frame.
quiet_noise = st.binary(max_size=12).filter(lambda b: 0x68 not in b)


def reference_decode(stream: bytes) -> list[bytes]:
    """Obviously-correct whole-stream decoder: try every position in turn."""
    found: list[bytes] = []
    i = 0
    while i < len(stream):
        if stream[i : i + 2] == b"\xff\x68" and i + 4 < len(stream):
            length = stream[i + 2]
            size = length + 7
            candidate = stream[i : i + size]
            if (
                2 <= length <= 18
                and len(candidate) == size
                and candidate[3] == length
                and candidate[4] == 0x68
                and 1 <= candidate[5] <= 247
                and candidate[-1] == 0x16
                and candidate[-2] == checksum(candidate[5:-2])
            ):
                found.append(candidate)
                i += size
                continue
        i += 1
    return found


def decode_all(chunks: list[bytes], decoder: FrameDecoder | None = None) -> list[bytes]:
    decoder = decoder or FrameDecoder()
    out = [f.raw for chunk in chunks for f in decoder.feed(chunk, 0.0)]
    out += [f.raw for f in decoder.feed(b"", 1.0)]  # let any stuck partial frame time out
    return out


def chunked(data: bytes, cuts: list[int]) -> list[bytes]:
    points = sorted({c % (len(data) + 1) for c in cuts})
    return [data[a:b] for a, b in zip([0, *points], [*points, len(data)], strict=True)]


def test_encode_matches_the_spec_layout() -> None:
    # KEY "call next" from address 1: FF 68 03 03 68 01 01 0C CS 16, CS = 01+01+0C
    assert encode_frame(1, 0x01, b"\x0c") == bytes.fromhex("ff 68 03 03 68 01 01 0c 0e 16")
    assert encode_frame(7, 0x03) == bytes.fromhex("ff 68 02 02 68 07 03 0a 16")


@pytest.mark.parametrize(("address", "data"), [(0, b""), (248, b""), (1, bytes(MAX_DATA + 1))])
def test_encode_refuses_what_the_wire_cannot_carry(address: int, data: bytes) -> None:
    with pytest.raises(ValueError):
        encode_frame(address, 1, data)


@given(addresses, functions, payloads)
def test_round_trip(address: int, function: int, data: bytes) -> None:
    raw = encode_frame(address, function, data)
    assert parse_frame(raw) == Frame(address, function, data, raw)


@given(frames)
def test_every_split_position(raw: bytes) -> None:
    for cut in range(len(raw) + 1):
        decoder = FrameDecoder()
        got = decoder.feed(raw[:cut], 0.0) + decoder.feed(raw[cut:], 0.01)
        assert [f.raw for f in got] == [raw]
        assert decoder.pending == 0


@given(st.lists(st.tuples(quiet_noise, frames), max_size=6), quiet_noise, st.lists(st.integers()))
def test_noise_between_frames_any_chunking(
    parts: list[tuple[bytes, bytes]], tail: bytes, cuts: list[int]
) -> None:
    stream = b"".join(noise + frame for noise, frame in parts) + tail
    decoder = FrameDecoder()
    assert decode_all(chunked(stream, cuts), decoder) == [frame for _, frame in parts]
    q = decoder.quality
    assert q.bytes_dropped == sum(len(n) for n, _ in parts) + len(tail)
    assert q.bytes_received == q.frame_bytes + q.bytes_dropped


@settings(max_examples=300)
@given(st.lists(st.one_of(frames, st.binary(max_size=30)), max_size=8), st.lists(st.integers()))
def test_any_bytes_any_chunking_agree_with_reference(parts: list[bytes], cuts: list[int]) -> None:
    # Arbitrary bytes, including fragments of headers, must never confuse resync:
    # the incremental decoder finds exactly what a position-by-position scan finds.
    stream = b"".join(parts)
    decoder = FrameDecoder()
    assert decode_all(chunked(stream, cuts), decoder) == reference_decode(stream)
    q = decoder.quality
    assert q.bytes_received == q.frame_bytes + q.bytes_dropped + decoder.pending


@given(frames, st.data())
def test_a_flipped_bit_is_never_accepted(raw: bytes, data: st.DataObject) -> None:
    bit = data.draw(st.integers(0, len(raw) * 8 - 1))
    damaged = bytearray(raw)
    damaged[bit // 8] ^= 1 << (bit % 8)
    decoder = FrameDecoder()
    got = decode_all([bytes(damaged)], decoder)
    assert bytes(damaged) not in got and raw not in got
    if bytes(damaged).find(b"\xff\x68", 1) < 0:  # no second start inside to resync on
        assert got == []
    # ... and the next good frame is still found.
    assert decode_all([bytes(damaged) + raw])[-1:] == [raw]


@given(st.integers(19, 254), frames)
def test_length_overflow_and_mismatch(length: int, good: bytes) -> None:
    overflow = bytes([0xFF, 0x68, length, length, 0x68, 1, 1]) + bytes(8)
    mismatch = bytes([0xFF, 0x68, 3, 4, 0x68, 1, 1, 0x0C, 0x0E, 0x16])
    decoder = FrameDecoder()
    assert decode_all([overflow + mismatch + good], decoder) == [good]
    assert decoder.quality.length_errors == 2


def test_each_kind_of_damage_is_counted() -> None:
    good = encode_frame(1, 1, b"\x0c")
    bad_end = good[:-1] + b"\x17"
    bad_sum = good[:-2] + b"\x00\x16"
    bad_header = good[:4] + b"\x69" + good[5:]
    bad_address = encode_frame(1, 1, b"\x0c").replace(b"\x68\x01\x01", b"\x68\x00\x01")
    decoder = FrameDecoder()
    got = decode_all([bad_end, bad_sum, bad_header, bad_address, good], decoder)
    assert got == [good]
    q = decoder.quality
    assert (q.end_errors, q.checksum_errors, q.header_errors, q.address_errors) == (1, 1, 1, 1)
    assert q.frames_rejected == 4 and q.frames_ok == 1


@given(st.lists(frames, min_size=1, max_size=10))
def test_back_to_back_frames_in_one_read(raws: list[bytes]) -> None:
    decoder = FrameDecoder()
    assert [f.raw for f in decoder.feed(b"".join(raws), 0.0)] == raws
    assert decoder.quality.bytes_dropped == 0


@given(frames, st.data(), st.floats(0.0, 0.3))
def test_completion_timeout(raw: bytes, data: st.DataObject, delay: float) -> None:
    cut = data.draw(st.integers(1, len(raw) - 1))
    decoder = FrameDecoder()
    assert decoder.feed(raw[:cut], 10.0) == []
    assert decoder.deadline() == pytest.approx(10.0 + FRAME_TIMEOUT)
    got = decoder.feed(raw[cut:], 10.0 + delay)
    if delay <= FRAME_TIMEOUT:
        assert [f.raw for f in got] == [raw]
    else:
        assert got == []
        assert decoder.quality.timeouts == 1
        # The line recovers with the very next frame.
        assert [f.raw for f in decoder.feed(raw, 11.0)] == [raw]


def test_timeout_fires_without_more_bytes() -> None:
    raw = encode_frame(3, 0x11, b"\x05")
    decoder = FrameDecoder()
    decoder.feed(raw[:6], 0.0)
    assert decoder.feed(b"", 0.05) == [] and decoder.pending == 6
    assert decoder.feed(b"", 0.11) == [] and decoder.pending == 0
    assert decoder.quality.timeouts == 1 and decoder.deadline() is None


def test_fake_header_in_noise_delays_but_does_not_lose_a_frame() -> None:
    raw = encode_frame(2, 1, b"\x0d")
    decoder = FrameDecoder()
    # A header claiming 18 bytes swallows the real frame while it waits...
    assert decoder.feed(bytes.fromhex("ff 68 12 12 68 05 01") + raw, 0.0) == []
    # ... until its 100 ms are up; then the real frame is found in what was kept.
    assert [f.raw for f in decoder.feed(b"", 0.2)] == [raw]


def test_parse_frame_rejects_extra_bytes() -> None:
    with pytest.raises(FrameError):
        parse_frame(encode_frame(1, 1) + b"\x00")
