"""Where files live: evidence files and generated exports, through one interface, two backends.

    store = storage.current()          # the app's store: a local folder, or S3-compatible
    store.put_bytes("exports/ab12.xlsx", data)   # whole or nothing: never half a file visible
    store.put_file("exports/ab12.xlsx", "/tmp/part.xlsx")
    for chunk in store.chunks(key): ...
    store.size(key)                    # None when there is no such file

* **Local folder** (the default, `UPLOAD_FOLDER`): a file is written beside its final name and
  renamed into place, so a reader sees all of it or nothing.
* **S3-compatible object storage** (`STORAGE_URL=s3://bucket/prefix`, `STORAGE_ENDPOINT_URL`
  for MinIO, Ceph or a provider's service; credentials from the environment as boto3 reads them:
  AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY): an object appears only when its upload completes.

Keys are the tracker's own (random names, a folder such as "exports/"): never a user's text.
Downloads pass the permission check in the app and are streamed through it (tracker.downloads).
"""
import os
import re
import shutil
import tempfile
from typing import Iterator
from urllib.parse import urlparse

from flask import current_app

CHUNK = 256 * 1024
_KEY = re.compile(r"^[a-z0-9_-]+(/[a-z0-9_.-]+)*$")


class StorageError(RuntimeError):
    """The store could not be reached or refused an operation."""


def _checked(key: str) -> str:
    if not _KEY.match(key) or ".." in key:
        raise ValueError(f"not a storage key: {key!r}")
    return key


class LocalStorage:
    kind = "local"

    def __init__(self, folder: str):
        self.folder = folder

    def describe(self) -> str:
        return f"local folder {self.folder}"

    def path(self, key: str) -> str:
        return os.path.join(self.folder, *_checked(key).split("/"))

    def _target(self, key: str) -> str:
        final = self.path(key)
        os.makedirs(os.path.dirname(final), mode=0o750, exist_ok=True)
        return final

    def put_bytes(self, key: str, data: bytes, content_type: str = "application/octet-stream") -> None:
        final = self._target(key)
        handle, temporary = tempfile.mkstemp(dir=os.path.dirname(final), prefix=".part-")
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(data)
            os.replace(temporary, final)
        except BaseException:
            _remove(temporary)
            raise

    def put_file(self, key: str, source: str, content_type: str = "application/octet-stream") -> None:
        final = self._target(key)
        handle, temporary = tempfile.mkstemp(dir=os.path.dirname(final), prefix=".part-")
        os.close(handle)
        try:
            shutil.copyfile(source, temporary)
            os.replace(temporary, final)
        except BaseException:
            _remove(temporary)
            raise

    def size(self, key: str) -> int | None:
        try:
            return os.path.getsize(self.path(key))
        except (FileNotFoundError, NotADirectoryError):
            return None

    def chunks(self, key: str) -> Iterator[bytes]:
        with open(self.path(key), "rb") as handle:
            while chunk := handle.read(CHUNK):
                yield chunk

    def read(self, key: str) -> bytes:
        with open(self.path(key), "rb") as handle:
            return handle.read()

    def delete(self, key: str) -> None:
        _remove(self.path(key))

    def keys(self, prefix: str = "") -> Iterator[str]:
        """Every stored key under `prefix` (files being written are not keys yet)."""
        for root, _dirs, files in os.walk(self.folder):
            for name in files:
                if name.startswith(".part-") or name.endswith(".part"):
                    continue
                key = os.path.relpath(os.path.join(root, name), self.folder).replace(os.sep, "/")
                if key.startswith(prefix) and _KEY.match(key):
                    yield key

    def check(self) -> None:
        if not os.path.isdir(self.folder):
            os.makedirs(self.folder, mode=0o750, exist_ok=True)
        if not os.access(self.folder, os.W_OK):
            raise StorageError(f"{self.folder} is not writable")


class S3Storage:
    """An S3-compatible bucket through boto3 (the real client over HTTP, whatever the server)."""

    kind = "s3"

    def __init__(self, url: str, endpoint_url: str | None = None, region: str | None = None):
        parsed = urlparse(url)
        if parsed.scheme != "s3" or not parsed.netloc:
            raise ValueError("STORAGE_URL must look like s3://bucket or s3://bucket/prefix")
        self.bucket = parsed.netloc
        self.prefix = parsed.path.strip("/")
        self.endpoint_url = endpoint_url or None
        self.region = region or "us-east-1"
        self._client = None

    def describe(self) -> str:
        where = f" at {self.endpoint_url}" if self.endpoint_url else ""
        return f"S3 bucket {self.bucket}{where}"

    @property
    def client(self):
        if self._client is None:
            import boto3
            from botocore.config import Config as BotoConfig

            self._client = boto3.client(
                "s3", endpoint_url=self.endpoint_url, region_name=self.region,
                config=BotoConfig(connect_timeout=3, read_timeout=30, retries={"max_attempts": 3}))
        return self._client

    def _name(self, key: str) -> str:
        key = _checked(key)
        return f"{self.prefix}/{key}" if self.prefix else key

    def _call(self, method: str, **kwargs):
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            return getattr(self.client, method)(Bucket=self.bucket, **kwargs)
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") in {"404", "NoSuchKey", "NotFound"}:
                raise FileNotFoundError(kwargs.get("Key")) from error
            raise StorageError(str(error)) from error
        except BotoCoreError as error:
            raise StorageError(str(error)) from error

    def put_bytes(self, key: str, data: bytes, content_type: str = "application/octet-stream") -> None:
        self._call("put_object", Key=self._name(key), Body=data, ContentType=content_type)

    def put_file(self, key: str, source: str, content_type: str = "application/octet-stream") -> None:
        from boto3.exceptions import S3UploadFailedError
        from botocore.exceptions import BotoCoreError, ClientError

        try:  # multipart for large files: the object exists only once every part is in
            self.client.upload_file(source, self.bucket, self._name(key),
                                    ExtraArgs={"ContentType": content_type})
        except (S3UploadFailedError, BotoCoreError, ClientError) as error:
            raise StorageError(str(error)) from error

    def size(self, key: str) -> int | None:
        try:
            return self._call("head_object", Key=self._name(key))["ContentLength"]
        except FileNotFoundError:
            return None

    def chunks(self, key: str) -> Iterator[bytes]:
        body = self._call("get_object", Key=self._name(key))["Body"]
        try:
            yield from body.iter_chunks(CHUNK)
        finally:
            body.close()

    def read(self, key: str) -> bytes:
        body = self._call("get_object", Key=self._name(key))["Body"]
        try:
            return body.read()
        finally:
            body.close()

    def delete(self, key: str) -> None:
        self._call("delete_object", Key=self._name(key))

    def keys(self, prefix: str = "") -> Iterator[str]:
        start = f"{self.prefix}/{prefix}" if self.prefix else prefix
        paginator = self.client.get_paginator("list_objects_v2")
        for page in paginator.paginate(Bucket=self.bucket, Prefix=start):
            for item in page.get("Contents", []):
                name = item["Key"]
                yield name[len(self.prefix) + 1:] if self.prefix else name

    def check(self) -> None:
        """Whether the bucket answers, quickly (for /healthz): one try, short timeouts."""
        import boto3
        from botocore.config import Config as BotoConfig
        from botocore.exceptions import BotoCoreError, ClientError

        quick = boto3.client("s3", endpoint_url=self.endpoint_url, region_name=self.region,
                             config=BotoConfig(connect_timeout=1, read_timeout=2, retries={"max_attempts": 1}))
        try:
            quick.head_bucket(Bucket=self.bucket)
        except (BotoCoreError, ClientError) as error:
            raise StorageError(str(error)) from error

    def ensure_bucket(self) -> None:
        """Create the bucket if it is missing (a trial stack; production buckets are made by IT)."""
        try:
            self._call("head_bucket")
        except (StorageError, FileNotFoundError):
            self.client.create_bucket(Bucket=self.bucket)


def _remove(path: str) -> None:
    try:
        os.remove(path)
    except FileNotFoundError:
        pass


def from_config(config) -> LocalStorage | S3Storage:
    url = config.get("STORAGE_URL", "")
    if url:
        return S3Storage(url, config.get("STORAGE_ENDPOINT_URL"), config.get("STORAGE_REGION"))
    return LocalStorage(config["UPLOAD_FOLDER"])


def current() -> LocalStorage | S3Storage:
    """This app's store, made once per app (a boto3 client is safe to share between threads)."""
    app = current_app._get_current_object()
    store = app.extensions.get("tracker.storage")
    if store is None or getattr(store, "_settings", None) != _settings(app.config):
        store = from_config(app.config)
        store._settings = _settings(app.config)
        app.extensions["tracker.storage"] = store
    return store


def _settings(config) -> tuple:
    return (config.get("STORAGE_URL", ""), config.get("STORAGE_ENDPOINT_URL"), config.get("UPLOAD_FOLDER"))


def put_or_refuse(key: str, data: bytes, content_type: str, field: str) -> None:
    """Store an upload for a service; an unreachable store is a refusal the user reads next to
    `field` (nothing they typed is lost), not an error page."""
    from flask_babel import lazy_gettext as _l

    from tracker.errors import DomainError

    try:
        current().put_bytes(key, data, content_type)
    except StorageError:
        current_app.logger.exception("file storage unreachable writing %s", key)
        raise DomainError(_l("The file could not be saved just now (file storage does not answer): "
                             "try again in a few minutes."), field) from None


def copy_all(source, target, prefix: str = "") -> Iterator[tuple[str, bool]]:
    """Copy every file of `source` into `target` (a migration to object storage): yields each key
    and whether it was copied (False: already there with the same size)."""
    for key in source.keys(prefix):
        size = source.size(key)
        if target.size(key) == size:
            yield key, False
            continue
        if isinstance(source, LocalStorage):
            target.put_file(key, source.path(key))
        else:
            target.put_bytes(key, source.read(key))
        yield key, True
