"""The two file stores behind one interface: the local folder and an S3-compatible server (moto's,
through the real boto3 client over HTTP), and the command that moves files from one to the other."""
import os

import pytest

from tracker import storage


@pytest.fixture(params=["local", "s3"])
def store(request, tmp_path, shared):
    if request.param == "local":
        return storage.LocalStorage(str(tmp_path / "files"))
    return storage.S3Storage(shared["STORAGE_URL"], shared["STORAGE_ENDPOINT_URL"])


def test_a_file_is_put_read_listed_and_removed(store, tmp_path):
    assert store.size("exports/a.csv") is None
    store.put_bytes("exports/a.csv", b"x" * 10, "text/csv")
    source = tmp_path / "big.bin"
    source.write_bytes(os.urandom(600 * 1024))
    store.put_file("exports/b.bin", str(source))
    assert store.size("exports/a.csv") == 10 and store.read("exports/a.csv") == b"x" * 10
    assert b"".join(store.chunks("exports/b.bin")) == source.read_bytes()
    assert sorted(store.keys("exports/")) == ["exports/a.csv", "exports/b.bin"]
    store.delete("exports/a.csv")
    assert store.size("exports/a.csv") is None and list(store.keys("exports/")) == ["exports/b.bin"]
    with pytest.raises(FileNotFoundError):
        store.read("exports/a.csv")
    store.check()


@pytest.mark.parametrize("key", ["../config.py", "/etc/passwd", "exports/../../x", "Exports/A", ""])
def test_keys_are_the_trackers_own(store, key):
    with pytest.raises(ValueError):
        store.put_bytes(key, b"x")


def test_a_failed_local_write_leaves_nothing(tmp_path, monkeypatch):
    store = storage.LocalStorage(str(tmp_path / "files"))

    def broken(*_args):
        raise OSError("disk full")

    monkeypatch.setattr(storage.shutil, "copyfile", broken)
    source = tmp_path / "a.csv"
    source.write_bytes(b"a")
    with pytest.raises(OSError):
        store.put_file("exports/a.csv", str(source))
    assert list(store.keys()) == [] and os.listdir(tmp_path / "files" / "exports") == []


def test_an_unreachable_object_store_is_a_storage_error():
    from tests.runtime.conftest import free_port

    store = storage.S3Storage("s3://nowhere", f"http://127.0.0.1:{free_port()}")
    with pytest.raises(storage.StorageError):
        store.check()


def test_the_local_files_are_copied_into_object_storage(app, runner, shared, tmp_path, monkeypatch):
    local = storage.LocalStorage(str(tmp_path / "uploads"))
    local.put_bytes("a" * 40, b"evidence")
    local.put_bytes("exports/1-abc.xlsx", b"list")
    monkeypatch.setitem(app.config, "UPLOAD_FOLDER", local.folder)
    result = runner.invoke(args=["copy-files"])
    assert result.exit_code != 0 and "STORAGE_URL" in result.output
    for key in ("STORAGE_URL", "STORAGE_ENDPOINT_URL"):
        monkeypatch.setitem(app.config, key, shared[key])
    result = runner.invoke(args=["copy-files"])
    assert "2 files copied" in result.output, result.output
    assert storage.current().read("a" * 40) == b"evidence"
    assert "0 files copied" in runner.invoke(args=["copy-files"]).output
