"""Streaming file encryption: round trips at chunk boundaries, random access,
and detection of every way a stored file can be damaged or rearranged."""

from __future__ import annotations

import io
import os
import random
from pathlib import Path

import pytest

from pakar import vault
from pakar.vault.files import CHUNK, HEADER_BYTES, SEALED_CHUNK, TAG_BYTES, copy_decrypted

SIZES = [0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 2 * CHUNK, 3 * 1024 * 1024 + 17]


def pattern(size: int, seed: int = 7) -> bytes:
    return random.Random(seed).randbytes(size)


def write_encrypted(path: Path, key: bytes, data: bytes, *, piece_sizes=(1, 1000, 70000, 4096)) -> None:
    """Feed the writer in uneven pieces, as an upload arrives."""
    writer = vault.EncryptedWriter(path, key)
    offset, turn = 0, 0
    while offset < len(data):
        step = piece_sizes[turn % len(piece_sizes)]
        writer.write(data[offset : offset + step])
        offset += step
        turn += 1
    writer.close()


def read_all(path: Path, key: bytes) -> bytes:
    with vault.EncryptedReader(path, key) as reader:
        return reader.read()


@pytest.fixture
def key():
    return vault.new_key()


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s}B")
def test_a_file_of_any_size_reads_back_exactly(tmp_path, key, size):
    data = pattern(size)
    path = tmp_path / "f.enc"
    write_encrypted(path, key, data)

    assert read_all(path, key) == data
    with vault.EncryptedReader(path, key) as reader:
        assert reader.size == size
    assert vault.encrypted_size_to_plain(path.stat().st_size) == size
    chunks = max(1, -(-size // CHUNK))
    assert path.stat().st_size == HEADER_BYTES + size + chunks * TAG_BYTES


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s}B")
def test_copy_decrypted_streams_the_whole_plaintext(tmp_path, key, size):
    data = pattern(size, seed=size)
    path = tmp_path / "f.enc"
    write_encrypted(path, key, data)
    out = io.BytesIO()
    assert copy_decrypted(path, key, out) == size
    assert out.getvalue() == data


def test_the_plaintext_never_reaches_the_disk(tmp_path, key):
    marker = b"BUKTI-KUITANSI-PUNGLI-" * 5000
    path = tmp_path / "f.enc"
    write_encrypted(path, key, marker)
    stored = path.read_bytes()
    assert b"BUKTI-KUITANSI" not in stored
    assert oct(path.stat().st_mode & 0o777) == oct(0o600)


def test_the_writer_refuses_to_overwrite_an_existing_file(tmp_path, key):
    path = tmp_path / "f.enc"
    write_encrypted(path, key, b"first")
    with pytest.raises(FileExistsError):
        vault.EncryptedWriter(path, key)
    assert read_all(path, key) == b"first"


def test_an_aborted_write_leaves_no_file(tmp_path, key):
    path = tmp_path / "f.enc"
    writer = vault.EncryptedWriter(path, key)
    writer.write(pattern(CHUNK * 2))
    writer.abort()
    assert not path.exists()


def test_reads_at_arbitrary_offsets_match_the_plaintext(tmp_path, key):
    data = pattern(5 * CHUNK + 1234)
    path = tmp_path / "f.enc"
    write_encrypted(path, key, data)
    rng = random.Random(42)
    boundaries = [0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 2 * CHUNK - 3, len(data) - 1, len(data)]
    offsets = boundaries + [rng.randrange(len(data)) for _ in range(60)]
    with vault.EncryptedReader(path, key) as reader:
        for offset in offsets:
            length = rng.choice([0, 1, 17, CHUNK, CHUNK + 5, 3 * CHUNK])
            assert reader.seek(offset) == offset
            assert reader.read(length) == data[offset : offset + length], (offset, length)
            assert reader.tell() == min(len(data), offset + length)


def test_seek_from_the_current_position_and_from_the_end(tmp_path, key):
    data = pattern(3 * CHUNK + 10)
    path = tmp_path / "f.enc"
    write_encrypted(path, key, data)
    with vault.EncryptedReader(path, key) as reader:
        reader.seek(-100, io.SEEK_END)
        assert reader.read() == data[-100:]
        reader.seek(CHUNK - 5)
        reader.read(3)
        reader.seek(4, io.SEEK_CUR)
        assert reader.tell() == CHUNK + 2
        assert reader.read(10) == data[CHUNK + 2 : CHUNK + 12]
        reader.seek(len(data) + 50)
        assert reader.read(10) == b""


def test_a_buffered_reader_over_the_plaintext_works_like_a_file(tmp_path, key):
    data = b"".join(f"line {n}\n".encode() for n in range(30000))
    path = tmp_path / "f.enc"
    write_encrypted(path, key, data)
    with vault.EncryptedReader(path, key) as raw, io.BufferedReader(raw) as buffered:
        lines = buffered.readlines()
    assert b"".join(lines) == data


def test_the_wrong_key_is_detected(tmp_path, key):
    path = tmp_path / "f.enc"
    write_encrypted(path, key, pattern(1000))
    with pytest.raises(vault.DecryptionError):
        read_all(path, vault.new_key())


def test_the_wrong_key_is_detected_even_for_an_empty_file(tmp_path, key):
    path = tmp_path / "f.enc"
    write_encrypted(path, key, b"")
    with pytest.raises(vault.DecryptionError):
        read_all(path, vault.new_key())


# --- damage ---------------------------------------------------------------------


def stored(tmp_path: Path, key: bytes, size: int) -> tuple[Path, bytes]:
    path = tmp_path / "f.enc"
    write_encrypted(path, key, pattern(size))
    return path, path.read_bytes()


def chunks_of(blob: bytes) -> tuple[bytes, list[bytes]]:
    body = blob[HEADER_BYTES:]
    return blob[:HEADER_BYTES], [body[i : i + SEALED_CHUNK] for i in range(0, len(body), SEALED_CHUNK)]


def assert_refused(path: Path, key: bytes, damaged: bytes) -> None:
    path.write_bytes(damaged)
    with pytest.raises(vault.DecryptionError):
        read_all(path, key)


@pytest.mark.parametrize("size", [0, 1, CHUNK, CHUNK + 1, 3 * CHUNK + 500], ids=lambda s: f"{s}B")
@pytest.mark.parametrize("cut", [1, TAG_BYTES, TAG_BYTES + 1, 1000])
def test_a_truncated_file_is_detected(tmp_path, key, size, cut):
    path, blob = stored(tmp_path, key, size)
    if cut >= len(blob) - HEADER_BYTES and size:
        cut = len(blob) - HEADER_BYTES - 1
    assert_refused(path, key, blob[: len(blob) - cut])


@pytest.mark.parametrize("size", [CHUNK, 2 * CHUNK, 3 * CHUNK + 500], ids=lambda s: f"{s}B")
def test_a_file_cut_exactly_at_a_chunk_boundary_is_detected(tmp_path, key, size):
    path, blob = stored(tmp_path, key, size)
    header, chunks = chunks_of(blob)
    if len(chunks) == 1:
        assert_refused(path, key, header)
    else:
        assert_refused(path, key, header + b"".join(chunks[:-1]))


def test_a_file_cut_to_its_header_or_less_is_detected(tmp_path, key):
    path, blob = stored(tmp_path, key, 10)
    for length in (0, 3, HEADER_BYTES, HEADER_BYTES + 5):
        assert_refused(path, key, blob[:length])


@pytest.mark.parametrize("dropped", [0, 1, 2])
def test_a_dropped_chunk_is_detected(tmp_path, key, dropped):
    path, blob = stored(tmp_path, key, 3 * CHUNK + 500)
    header, chunks = chunks_of(blob)
    del chunks[dropped]
    assert_refused(path, key, header + b"".join(chunks))


@pytest.mark.parametrize("order", [(1, 0, 2, 3), (0, 2, 1, 3), (0, 1, 3, 2), (3, 1, 2, 0)])
def test_reordered_chunks_are_detected(tmp_path, key, order):
    path, blob = stored(tmp_path, key, 4 * CHUNK)
    header, chunks = chunks_of(blob)
    assert len(chunks) == 4
    assert_refused(path, key, header + b"".join(chunks[i] for i in order))


def test_a_chunk_appended_from_another_file_is_detected(tmp_path, key):
    path, blob = stored(tmp_path, key, 2 * CHUNK)
    other = tmp_path / "other.enc"
    write_encrypted(other, key, pattern(2 * CHUNK, seed=99))
    _, other_chunks = chunks_of(other.read_bytes())
    assert_refused(path, key, blob + other_chunks[0])


def test_a_chunk_swapped_in_from_another_file_with_the_same_key_is_detected(tmp_path, key):
    path, blob = stored(tmp_path, key, 2 * CHUNK + 1)
    other = tmp_path / "other.enc"
    write_encrypted(other, key, pattern(2 * CHUNK + 1, seed=99))
    header, chunks = chunks_of(blob)
    _, other_chunks = chunks_of(other.read_bytes())
    chunks[1] = other_chunks[1]
    assert_refused(path, key, header + b"".join(chunks))


@pytest.mark.parametrize(
    "position",
    ["magic", "nonce prefix", "first chunk body", "first chunk tag", "middle chunk", "last chunk", "last byte"],
)
def test_a_flipped_bit_is_detected(tmp_path, key, position):
    path, blob = stored(tmp_path, key, 2 * CHUNK + 777)
    index = {
        "magic": 1,
        "nonce prefix": 10,
        "first chunk body": HEADER_BYTES + 5,
        "first chunk tag": HEADER_BYTES + SEALED_CHUNK - 1,
        "middle chunk": HEADER_BYTES + SEALED_CHUNK + 40000,
        "last chunk": HEADER_BYTES + 2 * SEALED_CHUNK + 3,
        "last byte": len(blob) - 1,
    }[position]
    damaged = bytearray(blob)
    damaged[index] ^= 0x10
    assert_refused(path, key, bytes(damaged))


def test_a_flipped_bit_is_detected_when_reading_only_the_damaged_region(tmp_path, key):
    """Random access must authenticate the chunk it serves, not only whole-file reads."""
    path, blob = stored(tmp_path, key, 3 * CHUNK)
    damaged = bytearray(blob)
    damaged[HEADER_BYTES + SEALED_CHUNK + 100] ^= 0x01
    path.write_bytes(bytes(damaged))
    with vault.EncryptedReader(path, key) as reader:
        reader.seek(10)
        assert reader.read(10) == pattern(3 * CHUNK)[10:20]  # chunk 0 is intact
        reader.seek(CHUNK + 5)
        with pytest.raises(vault.DecryptionError):
            reader.read(10)


def test_a_file_that_is_not_a_pakar_file_is_refused(tmp_path, key):
    path = tmp_path / "plain.pdf"
    path.write_bytes(b"%PDF-1.4\n" + os.urandom(200))
    with pytest.raises(vault.DecryptionError):
        read_all(path, key)
