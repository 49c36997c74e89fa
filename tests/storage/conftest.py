import pytest

from tests.seaweedfs import SeaweedFS

# The MIRPAL_S3_* settings and the storage options they fill.
OPTIONS = {
    "MIRPAL_S3_ENDPOINT_URL": "endpoint_url",
    "MIRPAL_S3_BUCKET": "bucket_name",
    "MIRPAL_S3_ACCESS_KEY_ID": "access_key",
    "MIRPAL_S3_SECRET_ACCESS_KEY": "secret_key",
    "MIRPAL_S3_REGION": "region_name",
}


@pytest.fixture(scope="session")
def seaweedfs():
    """One SeaweedFS for the whole test session (it takes a few seconds to start)."""
    with SeaweedFS() as server:
        yield server


@pytest.fixture
def bucket(seaweedfs, settings, tmp_path):
    """The bucket named in settings, as MIRPAL_S3_* would name it, emptied after the test; the
    local folders are fresh and empty. The site still uses the local folders: see `in_bucket`."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PROTECTED_MEDIA_ROOT = tmp_path / "protected"
    overrides = {option: seaweedfs.env()[name] for name, option in OPTIONS.items()}
    settings.MIRPAL_S3_STORAGES = {
        alias: {**config, "OPTIONS": {**config["OPTIONS"], **overrides}}
        for alias, config in settings.MIRPAL_S3_STORAGES.items()
    }
    yield seaweedfs
    seaweedfs.empty()


@pytest.fixture
def in_bucket(bucket, settings):
    """The site keeps its files in the bucket, as settings.py sets STORAGES when MIRPAL_S3_* are
    given. Overriding STORAGES makes Django drop the storages it made (default_storage too)."""

    def switch():
        settings.STORAGES = {**settings.STORAGES, **settings.MIRPAL_S3_STORAGES}

    switch()
    bucket.switch = switch
    return bucket
