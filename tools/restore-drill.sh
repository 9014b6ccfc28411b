#!/usr/bin/env bash
# Restore drill: restores the latest backup of a stack's database into a scratch instance and prints
# how to check it; deletes the scratch instance on request. It reads the live instance and its backups
# and never modifies, reboots or deletes it: the only instance it changes or deletes is a scratch copy
# it tagged itself. Needs the AWS CLI v2 and jq, with credentials for the stack's account.
#
#   tools/restore-drill.sh --stack STACK [--region REGION] [--from snapshot|pitr] [--dry-run] ...
#   tools/restore-drill.sh --stack STACK [--region REGION] --delete SCRATCH_ID
#
# README: the database, restore drill.
set -euo pipefail

usage() {
  cat <<'EOF'
Usage: tools/restore-drill.sh --stack STACK [options]
       tools/restore-drill.sh --stack STACK --delete SCRATCH_ID [--region REGION] [--dry-run]

Restores the latest backup of STACK's database into a new scratch instance, waits until it is
available, and prints its endpoint and the commands that check it.

Options:
  --stack STACK            the Pulumi stack whose database to restore (required)
  --project NAME           the Pulumi project (default: platform)
  --region REGION          the stack's region (default: $AWS_REGION or $AWS_DEFAULT_REGION)
  --from snapshot|pitr     snapshot: the latest completed snapshot recovery point in AWS Backup
                           (default); pitr: RDS point-in-time recovery to the latest restorable time
  --vault NAME             the vault to restore from (default: the stack's own, found by its
                           project and stack tags; the stack output backupVaultName)
  --instance ID            the live instance, when more than one matches the stack (checked against
                           its tags)
  --instance-class CLASS   class of the scratch instance (default: the live one's)
  --security-group-id SG   security group of the scratch instance (default: the live one's, which
                           admits the services)
  --table NAME             the table the check counts rows of (default: the count of user tables)
  --delete SCRATCH_ID      delete a scratch instance this drill created, instead of restoring
  --dry-run                find the instance and the backup, print what would run, change nothing
  -h, --help               this text

Exit status: 0 done, 1 an AWS call failed, 2 bad arguments or tools missing, 3 refused (no such
stack's database, or not a drill copy), 4 no backup to restore.
EOF
}

die() {
  local code=$1
  shift
  printf 'restore-drill: %s\n' "$*" >&2
  exit "$code"
}

stack="" project="platform" region="${AWS_REGION:-${AWS_DEFAULT_REGION:-}}" from="snapshot" vault="" instance="" instance_class="" security_group="" table="" delete="" dry_run=false
while [ $# -gt 0 ]; do
  case "$1" in
    --stack) stack="${2:-}"; shift 2 ;;
    --project) project="${2:-}"; shift 2 ;;
    --region) region="${2:-}"; shift 2 ;;
    --from) from="${2:-}"; shift 2 ;;
    --vault) vault="${2:-}"; shift 2 ;;
    --instance) instance="${2:-}"; shift 2 ;;
    --instance-class) instance_class="${2:-}"; shift 2 ;;
    --security-group-id) security_group="${2:-}"; shift 2 ;;
    --table) table="${2:-}"; shift 2 ;;
    --delete) delete="${2:-}"; shift 2 ;;
    --dry-run) dry_run=true; shift ;;
    -h | --help) usage; exit 0 ;;
    *) usage >&2; die 2 "unknown argument: $1" ;;
  esac
done

[ -n "$stack" ] || { usage >&2; die 2 "--stack is required"; }
[ -n "$region" ] || die 2 "no region: pass --region or set AWS_REGION"
case "$from" in snapshot | pitr) ;; *) die 2 "--from must be snapshot or pitr, not $from" ;; esac
if [ -n "$table" ] && ! [[ "$table" =~ ^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)?$ ]]; then
  die 2 "--table takes a table name, optionally schema-qualified (schema.table), not $table"
fi
for tool in aws jq; do
  command -v "$tool" >/dev/null 2>&1 || die 2 "$tool is not installed (the drill needs the AWS CLI v2 and jq)"
done
export AWS_PAGER=""

aws_json() {
  aws "$@" --region "$region" --output json
}

# Runs a call that creates, changes or deletes something; in a dry run only prints it.
change() {
  if $dry_run; then
    printf 'would run: aws %s --region %s\n' "$*" "$region"
  else
    aws "$@" --region "$region" --output json >/dev/null
  fi
}

# The live instance of the stack: tagged with its project and stack, and named (tag Name) after its own
# identifier. A copy restored from its backups carries the same tags under another identifier.
instances=$(aws_json rds describe-db-instances)
owned='(.TagList // []) as $t
  | ($t | map({(.Key): .Value}) | add // {}) as $tags
  | $tags.project == $project and $tags.stack == $stack'
if [ -n "$instance" ]; then
  live=$(jq -c --arg id "$instance" '.DBInstances[] | select(.DBInstanceIdentifier == $id)' <<<"$instances")
  [ -n "$live" ] || die 3 "no DB instance $instance in $region"
  if [ "$(jq --arg project "$project" --arg stack "$stack" "$owned" <<<"$live")" != "true" ]; then
    owner=$(jq -r '(.TagList // []) | map({(.Key): .Value}) | add // {} | "\(.project // "?")/\(.stack // "?")"' <<<"$live")
    die 3 "refusing: instance $instance belongs to $owner (its project/stack tags), not $project/$stack"
  fi
else
  live=$(jq -c --arg project "$project" --arg stack "$stack" "[.DBInstances[] | . as \$db | select(($owned) and ((.TagList // []) | any(.Key == \"Name\" and .Value == \$db.DBInstanceIdentifier)))]" <<<"$instances")
  count=$(jq 'length' <<<"$live")
  [ "$count" -gt 0 ] || die 3 "no database of stack $stack (project $project) in $region: is the stack deployed there, with platform:database enabled?"
  [ "$count" -eq 1 ] || die 3 "more than one instance looks like the database of $project/$stack: $(jq -r 'map(.DBInstanceIdentifier) | join(", ")' <<<"$live"); pass --instance"
  live=$(jq -c '.[0]' <<<"$live")
fi

live_id=$(jq -r '.DBInstanceIdentifier' <<<"$live")

if [ -n "$delete" ]; then
  [ "$delete" != "$live_id" ] || die 3 "refusing to delete $delete: it is the live database of $project/$stack"
  scratch=$(jq -c --arg id "$delete" '.DBInstances[] | select(.DBInstanceIdentifier == $id)' <<<"$instances")
  [ -n "$scratch" ] || die 3 "no DB instance $delete in $region"
  drill_of=$(jq -r '(.TagList // []) | map(select(.Key == "platform:restore-drill")) | .[0].Value // ""' <<<"$scratch")
  [ "$drill_of" = "$live_id" ] || die 3 "refusing to delete $delete: it is not a restore-drill copy of $live_id (its tag platform:restore-drill is ${drill_of:-missing})"
  change rds delete-db-instance --db-instance-identifier "$delete" --skip-final-snapshot --delete-automated-backups
  $dry_run || echo "Deleting $delete (the scratch copy of $live_id); its managed secret goes with it."
  exit 0
fi

live_arn=$(jq -r '.DBInstanceArn' <<<"$live")
subnet_group=$(jq -r '.DBSubnetGroup.DBSubnetGroupName' <<<"$live")
parameter_group=$(jq -r '.DBParameterGroups[0].DBParameterGroupName' <<<"$live")
[ -n "$instance_class" ] || instance_class=$(jq -r '.DBInstanceClass' <<<"$live")
[ -n "$security_group" ] || security_group=$(jq -r '.VpcSecurityGroups[0].VpcSecurityGroupId' <<<"$live")
secret_key=$(jq -r '.MasterUserSecret.KmsKeyId // .KmsKeyId' <<<"$live")
database=$(jq -r '.DBName' <<<"$live")
user=$(jq -r '.MasterUsername' <<<"$live")
port=$(jq -r '.Endpoint.Port // 5432' <<<"$live")

# <= 63 characters, a letter first, no "--", never the live identifier.
stamp=$(date -u +%Y%m%d%H%M%S)
head=${live_id:0:40}
while [[ "$head" == *- ]]; do head=${head%-}; done
scratch_id="$head-drill-$stamp"
tags=(Key=platform:restore-drill,Value="$live_id" Key=project,Value="$project" Key=stack,Value="$stack")
common=(--db-instance-class "$instance_class" --db-subnet-group-name "$subnet_group" --vpc-security-group-ids "$security_group" --db-parameter-group-name "$parameter_group" --no-multi-az --no-publicly-accessible --no-deletion-protection --tags "${tags[@]}")

if [ "$from" = "snapshot" ]; then
  if [ -z "$vault" ]; then
    # The stack's own vault in this region (its copy vault lives in another region): a newer point that
    # someone else took into another vault is not the stack's backup.
    vaults=$(aws_json resourcegroupstaggingapi get-resources --resource-type-filters backup:backup-vault --tag-filters "Key=project,Values=$project" "Key=stack,Values=$stack")
    vault_names=$(jq -r '[.ResourceTagMappingList[]?.ResourceARN | sub("^.*:backup-vault:"; "")] | join(" ")' <<<"$vaults")
    case "$vault_names" in
      "") die 3 "no backup vault of stack $stack (project $project) in $region; name one with --vault" ;;
      *" "*) die 3 "more than one backup vault of $project/$stack in $region: $vault_names; name one with --vault" ;;
      *) vault=$vault_names ;;
    esac
  fi
  points=$(aws_json backup list-recovery-points-by-resource --resource-arn "$live_arn")
  latest=$(jq -c --arg vault "$vault" '[.RecoveryPoints[]? | select(.Status == "COMPLETED" and (.RecoveryPointArn | test(":rds:[^:]*:[0-9]+:snapshot:")) and .BackupVaultName == $vault)] | sort_by(.CreationDate) | last // empty' <<<"$points")
  [ -n "$latest" ] || die 4 "no completed snapshot of $live_id in vault $vault: AWS Backup takes the first daily one at 05:00 UTC after the database exists; or use --from pitr"
  source_arn=$(jq -r '.RecoveryPointArn' <<<"$latest")
  source="recovery point $source_arn of vault $(jq -r '.BackupVaultName' <<<"$latest"), taken $(jq -r '.CreationDate' <<<"$latest")"
  echo "Restoring $live_id from the $source into $scratch_id"
  change rds restore-db-instance-from-db-snapshot --db-instance-identifier "$scratch_id" --db-snapshot-identifier "$source_arn" "${common[@]}"
else
  source="latest restorable time ($(jq -r '.LatestRestorableTime // "unknown"' <<<"$live"))"
  echo "Restoring $live_id to its $source into $scratch_id"
  change rds restore-db-instance-to-point-in-time --source-db-instance-identifier "$live_id" --target-db-instance-identifier "$scratch_id" --use-latest-restorable-time "${common[@]}"
fi

# A restored copy holds the password of the moment it was taken; RDS gives it its own managed secret.
wait_available() {
  if $dry_run; then
    printf 'would wait until %s is available\n' "$scratch_id"
    return
  fi
  local attempt
  for attempt in 1 2 3 4; do
    if aws rds wait db-instance-available --db-instance-identifier "$scratch_id" --region "$region"; then return; fi
    echo "still waiting for $scratch_id (attempt $attempt of 4)" >&2
  done
  die 1 "$scratch_id did not become available; see: aws rds describe-db-instances --db-instance-identifier $scratch_id --region $region"
}
wait_available
change rds modify-db-instance --db-instance-identifier "$scratch_id" --manage-master-user-password --master-user-secret-kms-key-id "$secret_key" --apply-immediately
wait_available

if $dry_run; then
  echo "Dry run: nothing was restored. The scratch instance would be $scratch_id in subnet group $subnet_group, security group $security_group."
  exit 0
fi

restored=$(aws_json rds describe-db-instances --db-instance-identifier "$scratch_id")
host=$(jq -r '.DBInstances[0].Endpoint.Address' <<<"$restored")
secret=$(jq -r '.DBInstances[0].MasterUserSecret.SecretArn' <<<"$restored")
query="SELECT count(*) FROM ${table:-pg_catalog.pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema')}"

cat <<EOF

Restored $live_id ($source) into $scratch_id.
  endpoint:  $host:$port
  database:  $database
  user:      $user (password in $secret)

Check it from a host that security group $security_group admits (a shell in a service task, or a
bastion you add to that group), in the VPC:

  curl -sO https://truststore.pki.rds.amazonaws.com/global/global-bundle.pem
  export PGPASSWORD="\$(aws secretsmanager get-secret-value --region $region --secret-id '$secret' --query SecretString --output text | jq -r .password)"
  pg_isready -h $host -p $port -d $database
  psql "host=$host port=$port dbname=$database user=$user sslmode=verify-full sslrootcert=global-bundle.pem" -c "$query"

Compare the count with the live database's, then delete the copy:

  tools/restore-drill.sh --stack $stack --region $region --delete $scratch_id
EOF
