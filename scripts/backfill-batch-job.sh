#!/usr/bin/env bash
# Creates S3 Batch Operations jobs that run backfillImages (template.yaml: BackfillFunction) on every JPEG already in
# the upload bucket: S3 lists the bucket itself (manifest generator), invokes the function once per object, and writes
# a completion report. CloudFormation has no resource for a job, hence this script. docs/backfill.md explains when to
# use it rather than `java -jar <jar> backfill`.
#
# S3 accepts one suffix per manifest filter, so there is one job per suffix (.jpg .jpeg .JPG .JPEG, the suffixes that
# trigger the function on upload); each prints its id and where its report lands.
#
# Usage: scripts/backfill-batch-job.sh [--stack NAME] [--prefix P] [--created-after YYYY-MM-DD] [--force] [--notify]
#                                      [--priority N] [--suffix S]... [--dry-run]
#   --stack NAME          the stack sam deploy created (default: lambda-image-processor)
#   --prefix P            only keys starting with P
#   --created-after DATE  only objects created after DATE (ISO-8601, e.g. 2026-01-31 or 2026-01-31T12:00:00Z)
#   --force               remake every thumbnail, even those recorded with the current settings
#   --notify              one notification per processed or rejected object (default: none)
#   --priority N          job priority (default 10)
#   --suffix S            only this suffix (repeatable; default: .jpg .jpeg .JPG .JPEG, one job each)
#   --dry-run             print each job's create-job input (JSON) instead of creating it; no AWS call is made
#                         when the stack's values are given with --upload-bucket, --processed-bucket,
#                         --function-arn, --role-arn and --account-id
set -euo pipefail

stack=lambda-image-processor prefix='' created_after='' force=false notify=false priority=10 dry_run=false
suffixes=() upload_bucket='' processed_bucket='' function_arn='' role_arn='' account_id=''

# The usage text, with exit status $1: 0 on standard output (--help), 2 (the default) on standard error after a
# wrong argument
usage() {
  local status=${1:-2}
  sed -n '/^# Usage:/,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//' | if [ "$status" = 0 ]; then cat; else cat >&2; fi
  exit "$status"
}
need() { [ "$#" -ge 2 ] && [ -n "$2" ] || { echo "$1 needs a value" >&2; usage; }; }

while [ "$#" -gt 0 ]; do
  case "$1" in
    --stack) need "$@"; stack=$2; shift 2 ;;
    --prefix) need "$@"; prefix=$2; shift 2 ;;
    --created-after) need "$@"; created_after=$2; shift 2 ;;
    --force) force=true; shift ;;
    --notify) notify=true; shift ;;
    --priority) need "$@"; priority=$2; shift 2 ;;
    --suffix) need "$@"; suffixes+=("$2"); shift 2 ;;
    --dry-run) dry_run=true; shift ;;
    --upload-bucket) need "$@"; upload_bucket=$2; shift 2 ;;
    --processed-bucket) need "$@"; processed_bucket=$2; shift 2 ;;
    --function-arn) need "$@"; function_arn=$2; shift 2 ;;
    --role-arn) need "$@"; role_arn=$2; shift 2 ;;
    --account-id) need "$@"; account_id=$2; shift 2 ;;
    -h|--help) usage 0 ;;
    *) echo "unknown argument: $1" >&2; usage ;;
  esac
done
[ "${#suffixes[@]}" -gt 0 ] || suffixes=(.jpg .jpeg .JPG .JPEG)
case "$priority" in ''|*[!0-9]*) echo "--priority must be a whole number, got '$priority'" >&2; exit 2 ;; esac
if [ -n "$created_after" ]; then
  # S3 wants a timestamp; a bare date means its midnight UTC
  case "$created_after" in
    [0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]) created_after="${created_after}T00:00:00Z" ;;
    [0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]T*) ;;
    *) echo "--created-after must be an ISO-8601 date or date-time, got '$created_after'" >&2; exit 2 ;;
  esac
fi
if printf '%s' "$prefix" | LC_ALL=C grep -q '[[:cntrl:]]'; then
  echo "--prefix must not contain control characters" >&2; exit 2
fi

# The stack's outputs (template.yaml), unless given
output() {
  aws cloudformation describe-stacks --stack-name "$stack" --output text \
    --query "Stacks[0].Outputs[?OutputKey=='$1'].OutputValue"
}
[ -n "$upload_bucket" ] || upload_bucket=$(output UploadBucketName)
[ -n "$processed_bucket" ] || processed_bucket=$(output ProcessedBucketName)
[ -n "$function_arn" ] || function_arn=$(output BackfillFunctionAliasArn)
[ -n "$role_arn" ] || role_arn=$(output BatchOperationsRoleArn)
[ -n "$account_id" ] || account_id=$(aws sts get-caller-identity --query Account --output text)
for value in upload_bucket processed_bucket function_arn role_arn account_id; do
  if [ -z "${!value}" ] || [ "${!value}" = None ]; then
    echo "no $value: is '$stack' the stack sam deploy created (with BackfillFunction)?" >&2; exit 1
  fi
done
partition=$(printf '%s' "$role_arn" | cut -d: -f2)

# A JSON string: backslashes and quotes escaped (control characters were refused above)
json() { printf '"%s"' "$(printf '%s' "$1" | sed -e 's/\\/\\\\/g' -e 's/"/\\"/g')"; }

job_input() { # $1: suffix
  local filter="\"KeyNameConstraint\": {\"MatchAnySuffix\": [$(json "$1")]"
  [ -z "$prefix" ] || filter="$filter, \"MatchAnyPrefix\": [$(json "$prefix")]"
  filter="$filter}"
  [ -z "$created_after" ] || filter="$filter, \"CreatedAfter\": $(json "$created_after")"
  cat <<JSON
{
  "AccountId": $(json "$account_id"),
  "ConfirmationRequired": false,
  "Description": $(json "backfill ${prefix:-(all)} *$1${created_after:+ created after $created_after}"),
  "Priority": $priority,
  "RoleArn": $(json "$role_arn"),
  "Operation": {
    "LambdaInvoke": {
      "FunctionArn": $(json "$function_arn"),
      "InvocationSchemaVersion": "2.0",
      "UserArguments": {"force": "$force", "notify": "$notify"}
    }
  },
  "ManifestGenerator": {
    "S3JobManifestGenerator": {
      "ExpectedBucketOwner": $(json "$account_id"),
      "SourceBucket": $(json "arn:$partition:s3:::$upload_bucket"),
      "EnableManifestOutput": true,
      "ManifestOutputLocation": {
        "ExpectedManifestBucketOwner": $(json "$account_id"),
        "Bucket": $(json "arn:$partition:s3:::$processed_bucket"),
        "ManifestPrefix": "backfill-jobs/manifests",
        "ManifestEncryption": {"SSES3": {}},
        "ManifestFormat": "S3InventoryReport_CSV_20211130"
      },
      "Filter": {$filter}
    }
  },
  "Report": {
    "Bucket": $(json "arn:$partition:s3:::$processed_bucket"),
    "Format": "Report_CSV_20180820",
    "Enabled": true,
    "Prefix": "backfill-jobs/reports",
    "ReportScope": "AllTasks"
  }
}
JSON
}

for suffix in "${suffixes[@]}"; do
  input=$(job_input "$suffix")
  if [ "$dry_run" = true ]; then
    printf '%s\n' "$input"
    continue
  fi
  job_id=$(aws s3control create-job --cli-input-json "$input" --query JobId --output text)
  echo "job $job_id (*$suffix): report at s3://$processed_bucket/backfill-jobs/reports/job-$job_id/"
  echo "  follow it: aws s3control describe-job --account-id $account_id --job-id $job_id --query 'Job.[Status,ProgressSummary]'"
done
