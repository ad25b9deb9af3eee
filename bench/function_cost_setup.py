"""Prepares bench/function-cost.sh's run against a moto_server: the bucket, table and topic the function uses (the
upload bucket versioned, as template.yaml makes it), every file uploaded once per pass under its own key, and one S3
event per upload (with the real eTag, version id and size, as S3 would send it) written to OUT_DIR/events/.

    function_cost_setup.py ENDPOINT OUT_DIR PASSES FILE...

Prints the number of events written.
"""
import json
import os
import sys
import urllib.parse

import boto3

REGION = "us-east-1"


def main():
    endpoint, out_dir, passes, files = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4:]
    session = boto3.session.Session(aws_access_key_id="test", aws_secret_access_key="test", region_name=REGION)
    s3 = session.client("s3", endpoint_url=endpoint)
    s3.create_bucket(Bucket="uploads")
    s3.put_bucket_versioning(Bucket="uploads", VersioningConfiguration={"Status": "Enabled"})
    s3.create_bucket(Bucket="processed")
    session.client("dynamodb", endpoint_url=endpoint).create_table(
        TableName="processed-images", BillingMode="PAY_PER_REQUEST",
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}])
    session.client("sns", endpoint_url=endpoint).create_topic(Name="image-processed")

    events = os.path.join(out_dir, "events")
    os.makedirs(events, exist_ok=True)
    sequencer = 0x0A1B2C3D4E5F000000
    count = 0
    for p in range(1, passes + 1):
        for i, path in enumerate(files):
            key = "pass%d/%s" % (p, os.path.basename(path))
            with open(path, "rb") as f:
                body = f.read()
            put = s3.put_object(Bucket="uploads", Key=key, Body=body, ContentType="image/jpeg")
            sequencer += 1
            record = {
                "eventVersion": "2.1", "eventSource": "aws:s3", "awsRegion": REGION,
                "eventTime": "2026-12-04T00:00:00.000Z", "eventName": "ObjectCreated:Put",
                "s3": {
                    "s3SchemaVersion": "1.0", "configurationId": "uploads",
                    "bucket": {"name": "uploads", "arn": "arn:aws:s3:::uploads"},
                    "object": {
                        "key": urllib.parse.quote_plus(key, safe="/"), "size": len(body),
                        "eTag": put["ETag"].strip('"'), "versionId": put["VersionId"],
                        "sequencer": "%018X" % sequencer,
                    },
                },
            }
            with open(os.path.join(events, "%03d-%03d.json" % (p, i)), "w") as f:
                json.dump({"Records": [record]}, f)
            count += 1
    print(count)


if __name__ == "__main__":
    main()
