"""Make the bucket the settings name (MIRPAL_S3_*), if it is not there yet; run before migrate.

    python deploy/create_bucket.py          exit 0 when the bucket exists (or no bucket is set)

django-storages never creates a bucket, and a fresh SeaweedFS answers on its S3 port before its
filer and volumes are ready, so this retries for up to MIRPAL_S3_WAIT_SECONDS (default 60). Any
S3 service works; on a provider's bucket made by hand it only confirms the keys can reach it.
"""

import os
import sys
import time


def main() -> int:
    names = (
        "MIRPAL_S3_ENDPOINT_URL",
        "MIRPAL_S3_BUCKET",
        "MIRPAL_S3_ACCESS_KEY_ID",
        "MIRPAL_S3_SECRET_ACCESS_KEY",
    )
    values = [os.environ.get(name, "") for name in names]
    if not all(values):
        print("no bucket configured (MIRPAL_S3_*): files stay on local disk")
        return 0
    endpoint, bucket, key, secret = values
    import boto3
    from botocore.config import Config

    client = boto3.client(
        "s3",
        endpoint_url=endpoint,
        aws_access_key_id=key,
        aws_secret_access_key=secret,
        region_name=os.environ.get("MIRPAL_S3_REGION", "us-east-1"),
        config=Config(
            signature_version="s3v4",
            s3={"addressing_style": "path"},
            retries={"max_attempts": 1},
            connect_timeout=2,
            read_timeout=10,
        ),
    )
    deadline = time.monotonic() + float(os.environ.get("MIRPAL_S3_WAIT_SECONDS", "60"))
    while True:
        try:
            client.head_bucket(Bucket=bucket)
            print(f"bucket {bucket} is there")
            return 0
        except Exception as error:  # 404 when missing; refused or 503 while starting
            code = getattr(error, "response", {}).get("Error", {}).get("Code")
            if code in {"403", "AccessDenied", "SignatureDoesNotMatch", "InvalidAccessKeyId"}:
                print(f"bucket {bucket}: the keys are refused ({code})", file=sys.stderr)
                return 1
            if code in {"404", "NoSuchBucket"}:
                try:
                    client.create_bucket(Bucket=bucket)
                    print(f"bucket {bucket} created")
                    return 0
                except Exception as create_error:
                    error = create_error
            if time.monotonic() > deadline:
                print(f"bucket {bucket}: {error}", file=sys.stderr)
                return 1
            time.sleep(1)


if __name__ == "__main__":
    sys.exit(main())
