#!/usr/bin/env bash
# Deploys cronjob-watcher to a Google Cloud project with gcloud, or tears it down.
#
#   infra/deploy.sh --help                       every flag and setting
#   infra/deploy.sh --dry-run                    print the gcloud commands, run nothing
#   printf '%s' "$TOKEN" | infra/deploy.sh --slack-token-stdin
#   infra/deploy.sh --destroy [--delete-data] [--dry-run]
#
# Settings come from flags or from an env file (`--env-file FILE`, default infra/deploy.env
# when it exists; infra/deploy.env.example documents each). Flags win over the file.
#
# Idempotent: every resource is looked up first and created only when missing; IAM bindings
# use add-iam-policy-binding, which leaves an existing binding as it is; the function is
# redeployed only when the uploaded files or its settings changed (a hash kept in a label);
# the Slack token gets a new secret version only when it differs from the current one.
# Running it twice changes nothing the second time.
#
# The Slack token is read from stdin (--slack-token-stdin) or the SLACK_BOT_TOKEN environment
# variable, never from an argument (arguments land in shell history and process lists). It
# reaches gcloud on stdin (`--data-file=-`) and is never printed: the script refuses to run
# under xtrace, redacts anything shaped like a token from its messages, and unsets
# SLACK_BOT_TOKEN once read. The function reads a pinned secret version, moved on rotation.
#
# Settings the function reads are checked by the function's own configuration parser
# (build/functions/config-check.js), not by rules kept here. infra/RUNBOOK.md is the runbook.
set -euo pipefail
# xtrace prints every command after expansion, the Slack token included: refuse it outright.
if [[ $- == *x* ]]; then
  printf '%s\n' "deploy.sh: refusing to run under xtrace (bash -x, set -x or SHELLOPTS): it would print the Slack token. Run it without -x; --dry-run prints every gcloud command instead." >&2
  exit 1
fi
# For redacting Slack tokens with a parameter expansion (no subshell on every message).
shopt -s extglob

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "${SCRIPT_DIR}/.." && pwd)"
readonly SCRIPT_DIR REPO_ROOT

# ---------------------------------------------------------------------------------------------
# Sizing. Each value is a trade-off; the reasons are here so the next person can move them.
# ---------------------------------------------------------------------------------------------

# A pass reads every cluster (a few at a time), fetches the Pods of failed Jobs, commits in
# Firestore and posts to Slack with bounded retries: seconds on a small fleet, under a minute
# on twenty clusters. 300 s leaves room for slow control planes and cold starts while staying
# under the default 5-minute schedule, so passes do not queue up behind each other.
readonly DEFAULT_TIMEOUT_SECONDS=300
# The pass stops starting new work this long before the timeout, to finish its Firestore
# commits and Slack calls and answer; a request cut off by the platform is safe (transactions)
# but wastes the pass. Matches DEFAULT_PASS_BUDGET_SECONDS (240) in functions/config.ts.
readonly PASS_BUDGET_MARGIN_SECONDS=60
# Cloud Scheduler's attempt deadline for HTTP targets is at most 30 minutes.
readonly MAX_TIMEOUT_SECONDS=1800
# A floor that leaves a pass some budget after the margin.
readonly MIN_TIMEOUT_SECONDS=120
# Sizing rule (issue 14, measured with `npm run bench`, README "Benchmark"): a pass needs about
# 125 MiB for Node and the SDKs plus 6 MiB per 1,000 CronJobs of the largest clusters read at
# once (GKE_CONCURRENCY, default 4; clusters are decided and released one by one), whatever
# their number of Jobs: 512 MiB fits a fleet whose four largest clusters add up to ~40,000
# CronJobs. A pass logs its peak memory and warns above 85% of the limit. One full vCPU
# because parsing and TLS are CPU work, and a pass is short.
readonly FUNCTION_MEMORY=512Mi
readonly FUNCTION_CPU=1
# The heap limit is set, not left to Node (which may size it from the host's memory rather
# than the instance's): three quarters of FUNCTION_MEMORY, the rest for code, buffers and
# the young generation, kept at 16 MiB semispaces (Node's default grows to 64 MiB, +96 MiB RSS).
readonly FUNCTION_NODE_OPTIONS="--max-old-space-size=$((${FUNCTION_MEMORY%Mi} * 3 / 4)) --max-semi-space-size=16"
# One pass at a time is enough. Concurrent passes are safe (Firestore transactions decide who
# sends), but a second instance would only add cost and duplicate cluster reads.
readonly FUNCTION_MAX_INSTANCES=1
readonly FUNCTION_CONCURRENCY=1
# A 5xx means the pass left work undone (store unreachable, out of time). Retry soon and
# twice (after 30 s, then 60 s), then leave it to the next scheduled pass.
readonly SCHEDULER_MAX_RETRY_ATTEMPTS=2
readonly SCHEDULER_MIN_BACKOFF=30s
readonly SCHEDULER_MAX_BACKOFF=120s
readonly SCHEDULER_MAX_DOUBLINGS=2
# Newly created service accounts take a few seconds to be visible to IAM everywhere.
readonly IAM_RETRY_ATTEMPTS=5
readonly IAM_RETRY_FIRST_WAIT_SECONDS=5

# The Firestore layout the function uses (functions/adapters/firestore-incident-store.ts):
# one document per cluster in `cronjobWatcherClusters`, one record per CronJob under it in
# collection group `cronjobWatcherRecords`, whose `expireAt` (a Timestamp) is the TTL field, and
# the shards of large clusters' indexes in `cronjobWatcherIndex`. `--delete-data`
# deletes every collection with these IDs in the database.
readonly DATA_COLLECTION_GROUP=cronjobWatcherRecords
readonly TTL_FIELD=expireAt
readonly DATA_COLLECTIONS="cronjobWatcherClusters,cronjobWatcherIndex,${DATA_COLLECTION_GROUP}"

readonly APIS=(
  run.googleapis.com
  cloudfunctions.googleapis.com
  cloudbuild.googleapis.com
  artifactregistry.googleapis.com
  cloudscheduler.googleapis.com
  firestore.googleapis.com
  secretmanager.googleapis.com
  container.googleapis.com
  logging.googleapis.com
  iam.googleapis.com
)

# The build account (<name>-build): the three roles Google documents as the minimum for a
# function's build account (build logs, the image in Artifact Registry, the uploaded source in
# Cloud Storage); not Cloud Build's builder role, which covers every bucket and registry of
# the project. See infra/RUNBOOK.md, "The build account".
readonly BUILD_ROLES=(
  roles/logging.logWriter
  roles/artifactregistry.writer
  roles/storage.objectViewer
)
# What earlier versions of this script granted the build account as well: removed on deploy.
readonly LEGACY_BUILD_ROLE=roles/cloudbuild.builds.builder
# Cloud Build runs `npm ci` and then `npm run gcp-build`. Without install scripts, `npm ci`
# neither runs `prepare` (a second, identical build) nor the `node` devDependency's preinstall
# (a Node binary the build does not need). An explicit `npm run gcp-build` still runs.
readonly BUILD_ENV_VARS=NPM_CONFIG_IGNORE_SCRIPTS=true

readonly ROLE_CLUSTER_VIEWER=roles/container.clusterViewer
readonly ROLE_CONTAINER_VIEWER=roles/container.viewer
readonly ROLE_DATASTORE_USER=roles/datastore.user
readonly ROLE_SECRET_ACCESSOR=roles/secretmanager.secretAccessor

# ---------------------------------------------------------------------------------------------
# Settings: the deployment's own, and every setting the function reads, listed by the
# function's configuration parser itself (`config settings`, load_settings), so a setting
# added there is accepted here without a second list. All are reset (and unexported) before
# use, so that variables of the same name in the caller's environment are never taken for
# settings nor passed on to children; only flags and the env file set them.
# ---------------------------------------------------------------------------------------------
readonly DEPLOY_SETTINGS=(
  PROJECT REGION SCHEDULE TIME_ZONE FUNCTION_NAME FIRESTORE_LOCATION CLUSTER_ACCESS
  INGRESS_SETTINGS TIMEOUT_SECONDS BUILD_SERVICE_ACCOUNT VPC_CONNECTOR VPC_EGRESS
)
FUNCTION_SETTINGS=()
SETTINGS=()

ENV_FILE=''
MODE=deploy
DRY_RUN=0
DELETE_DATA=0
ASSUME_YES=0
FORCE_DEPLOY=0
TOKEN_FROM_STDIN=0
# --slack-actions: also deploy slackActions (Acknowledge/Snooze from Slack) and its secret.
SLACK_ACTIONS=0
SIGNING_SECRET_FROM_STDIN=0
SIGNING_SECRET=''
SIGNING_SECRET_SOURCE=''
# A caller may have exported SLACK_TOKEN (or SLACK_BOT_TOKEN): assigning keeps the export, and
# every child (gcloud, node, npm) would get the token. Unexported first; read_token reads
# SLACK_BOT_TOKEN's value, then unsets it.
export -n SLACK_TOKEN SLACK_BOT_TOKEN SIGNING_SECRET SLACK_SIGNING_SECRET
SLACK_TOKEN=''
TOKEN_SOURCE=''

usage() {
  cat <<'EOF'
Usage: infra/deploy.sh [options]
       infra/deploy.sh --destroy [--delete-data] [options]

Deploys cronjob-watcher: enables the APIs, creates the runtime, invoker and build service
accounts, grants them only what they need, creates the Firestore database and its TTL policy,
stores the Slack token in Secret Manager, deploys the Cloud Run function (gen2, nodejs24,
private, internal-only ingress) and creates or updates the Cloud Scheduler job that calls it.
The function's own configuration parser checks the settings first. Idempotent.
See infra/RUNBOOK.md.

Settings (flag, or KEY=value in the env file; flags win):
  --project ID              PROJECT             Google Cloud project to deploy into (required)
  --region REGION           REGION              Region of the function and scheduler job (required)
  --clusters LIST           GKE_CLUSTERS        Clusters to watch, comma-separated
                                                projects/P/locations/L/clusters/C; also --gke-clusters LIST
  --watch-projects LIST     GKE_PROJECTS        Projects whose clusters are discovered on each pass
                                                also --gke-projects LIST
  --cluster-labels LIST     GKE_CLUSTER_LABELS  k=v,k2=v2: watch only discovered clusters with
                                                all these labels; also --gke-cluster-labels LIST
                            (at least one of --clusters and --watch-projects is required)
  --gke-endpoint KIND       GKE_ENDPOINT        dns | public | private (default: per cluster; for a
                                                private cluster, the DNS endpoint: no VPC needed)
  --gke-concurrency N       GKE_CONCURRENCY     Clusters read at once (default: the function's, 4)
  --namespaces LIST         NAMESPACES          Only these namespaces (default: all)
  --cluster-down-after N    CLUSTER_DOWN_AFTER  Failed reads before "cannot see cluster" (default 3)
  --storm-threshold N       STORM_THRESHOLD     Openings to one channel in one pass that go under one
                                                parent message (default 5; off: never)
  --maintenance LIST        MAINTENANCE         Maintenance windows by cluster/namespace, e.g.
                                                prod/batch=0 2 * * 6 3h: openings held until
                                                the window ends (a CronJob's annotation wins)
  --reminders LIST          REMINDERS           Reminder replies to unacknowledged incidents
                                                (default 1d,3d,7d, then every 7d; off: none)
  --digest-at TIME          DIGEST_AT           Daily digest per channel, e.g. "09:00 Asia/Tokyo"
                                                (default: no digest)
  --slack-channel CHANNEL   SLACK_CHANNEL       Channel ID (C0123456789) or name (#cronjobs) (required)
  --slack-api-url URL       SLACK_API_URL       Slack API base URL (proxies; default Slack's)
  --slack-history-lookup B  SLACK_HISTORY_LOOKUP  true (default) | false: look for a message in the
                                                channel's history before sending it again
  --routes LIST             ROUTES              Channels by cluster/namespace, e.g.
                                                prod/payments=C0PAY12345,*/data=C0DATA1234
                                                (a CronJob's annotation wins)
  --slack-allowed-channels LIST
                            SLACK_ALLOWED_CHANNELS  Channel IDs a CronJob's slack-channel annotation
                                                may name besides ROUTES and SLACK_CHANNEL
                                                (default: any but a DM)
  --allow-broadcast-mentions B
                            ALLOW_BROADCAST_MENTIONS  true | false (default): <!here>, <!channel>,
                                                <!everyone> in a CronJob's mention annotation
  --slack-action-usergroups LIST
                            SLACK_ACTION_USERGROUPS  User group IDs (S…) whose members may
                                                acknowledge or snooze (default: anyone)
  --message-language LANG   MESSAGE_LANGUAGE    en (default) | ja: language of every message
  --detections LIST         DETECTIONS          failing,missed,running-too-long (default: all)
  --schedule CRON           SCHEDULE            Cloud Scheduler schedule (default "*/5 * * * *")
  --time-zone TZ            TIME_ZONE           Time zone of the schedule (default Etc/UTC)
  --function-name NAME      FUNCTION_NAME       Function, scheduler job and account prefix
                                                (default cronjob-watcher)
  --firestore-database ID   FIRESTORE_DATABASE  Firestore database (default "(default)")
  --firestore-location LOC  FIRESTORE_LOCATION  Where to create it if missing (default: --region;
                                                e.g. nam5, eur3)
  --retention-days N        RETENTION_DAYS      Days closed incidents are kept (default 90)
  --cluster-access MODE     CLUSTER_ACCESS      rbac (default): roles/container.clusterViewer +
                                                infra/k8s/rbac.yaml in each cluster;
                                                viewer: roles/container.viewer, no RBAC step,
                                                broader (see infra/RUNBOOK.md)
  --ingress-settings VALUE  INGRESS_SETTINGS    internal-only (default: Cloud Scheduler in the same
                                                project still gets through) | all | internal-and-gclb
  --timeout SECONDS         TIMEOUT_SECONDS     Function timeout = scheduler attempt deadline
                                                (default 300; the pass budget is 60 s less)
  --build-service-account EMAIL
                            BUILD_SERVICE_ACCOUNT  Service account Cloud Build uses (default: creates
                                                <name>-build with the build roles). Your own account,
                                                e.g. PROJECT_NUMBER-compute@developer.gserviceaccount.com,
                                                is used as it is: no roles are granted to it
  --vpc-connector NAME      VPC_CONNECTOR       Serverless VPC Access connector (name or
                                                projects/P/locations/R/connectors/C); required with
                                                --gke-endpoint private
  --vpc-egress VALUE        VPC_EGRESS          private-ranges-only (default) | all: traffic sent
                                                through the connector
  --page-size N             PAGE_SIZE           Objects per list request to a cluster (default: the
                                                function's, 500); raise it if a pass reports an expired
                                                continue token

  Every setting the function reads is accepted, as KEY=value in the env file or as the flag
  --key-in-lowercase (GKE_CLUSTERS: --gke-clusters); the function's configuration parser
  lists them (node build/functions/config-check.js settings) and checks their values.

Slack token (required on the first deploy; never a command-line argument):
  --slack-token-stdin       Read the bot token from stdin, e.g.
                              printf '%s' "$TOKEN" | infra/deploy.sh --slack-token-stdin
                            or set SLACK_BOT_TOKEN in the environment. A token that differs
                            from the stored one becomes a new secret version (rotation).

Modes and switches:
  --env-file FILE           Read settings from FILE (default infra/deploy.env if present)
  --dry-run                 Print every gcloud command in order, run none, exit 0
  --force-deploy            Redeploy the function even if nothing changed
  --slack-actions           Also deploy slackActions (FUNCTION_NAME-actions): Acknowledge and
                            Snooze from Slack. Public, protected by Slack's request signing;
                            its own service account (Firestore and the two secrets, nothing
                            on GKE). Prints the URL to paste into the Slack app's
                            Interactivity settings (infra/slack-app-manifest.yaml).
  --signing-secret-stdin    Read the Slack app's signing secret from stdin (after the token's
                            line when --slack-token-stdin is given too), or set
                            SLACK_SIGNING_SECRET in the environment. A secret that differs
                            from the stored one becomes a new secret version.
  --destroy                 Delete the scheduler job, function, secret, IAM bindings and
                            service accounts. Firestore data is kept unless --delete-data.
  --delete-data             With --destroy: also delete the watcher's Firestore documents
  --yes                     Do not ask before --destroy
  --help                    This help
EOF
}

# Anything shaped like a Slack token (xoxb-…, xoxp-…) is cut out of every message, so no
# error (an unknown argument, a gcloud error) can repeat one.
redact() {
  REDACTED=${1//xox[a-z]-*([A-Za-z0-9-])/xox?-<redacted>}
}
log() {
  redact "$*"
  printf '%s\n' "${REDACTED}" >&2
}
die() {
  redact "$*"
  printf 'deploy.sh: %s\n' "${REDACTED}" >&2
  exit 1
}

# Quotes one word for display, so a printed command can be pasted into a shell. Sets QUOTED
# (no subshell: a dry run prints hundreds of words).
quote() {
  local word=$1
  if [[ -n ${word} && ${word} =~ ^[A-Za-z0-9_./:=@,+%-]+$ ]]; then
    QUOTED=${word}
  else
    QUOTED="'${word//\'/\'\\\'\'}'"
  fi
}

# Prints a gcloud command line: `show_command NOTE ARGS...` (NOTE may be empty).
show_command() {
  local note=$1 line='gcloud' word
  shift
  for word in "$@"; do
    quote "${word}"
    line+=" ${QUOTED}"
  done
  [[ -n ${note} ]] && line+="  # ${note}"
  printf '%s\n' "${line}"
}

# Runs a gcloud command that changes something; in --dry-run prints it instead.
# `mutate NOTE ARGS...`: NOTE says when it runs (e.g. "if missing"), for the dry-run listing.
mutate() {
  local note=$1
  shift
  if ((DRY_RUN)); then
    show_command "${note}" "$@"
    return 0
  fi
  show_command '' "$@" | sed 's/^/+ /' >&2
  gcloud "$@"
}

# Like mutate, with the Slack token on the command's stdin. The token never becomes an
# argument; `printf` is a shell builtin, so it does not appear in any process list either.
mutate_with_token() {
  local note=$1
  shift
  if ((DRY_RUN)); then
    local placeholder='<token from stdin>'
    [[ ${TOKEN_SOURCE} == environment ]] && placeholder='<token from SLACK_BOT_TOKEN>'
    [[ -z ${TOKEN_SOURCE} ]] && placeholder='<token: pass --slack-token-stdin or set SLACK_BOT_TOKEN>'
    printf '%s < %s%s\n' "$(show_command '' "$@")" "${placeholder}" "${note:+  # ${note}}"
    return 0
  fi
  show_command '' "$@" | sed 's/^/+ /; s/$/ < <token>/' >&2
  printf '%s' "${SLACK_TOKEN}" | gcloud "$@"
}

# Runs a read-only gcloud command and prints its output. Never runs in --dry-run.
query() {
  ((DRY_RUN)) && die "internal error: query in dry-run: $*"
  gcloud "$@"
}

# True when a describe-style command finds the resource. Never runs in --dry-run.
exists() {
  ((DRY_RUN)) && die "internal error: exists in dry-run: $*"
  gcloud "$@" >/dev/null 2>&1
}

# Adds an IAM binding. A service account created seconds ago can be unknown to IAM for a
# moment ("does not exist"): that error, and only that one, is retried with a growing wait.
# The policy gcloud prints on success is noise here.
mutate_iam() {
  local note=$1 attempt=1 wait_seconds=${IAM_RETRY_FIRST_WAIT_SECONDS} errors
  shift
  if ((DRY_RUN)); then
    mutate "${note}" "$@"
    return 0
  fi
  show_command '' "$@" | sed 's/^/+ /' >&2
  until errors=$(gcloud "$@" 2>&1 >/dev/null); do
    if ((attempt >= IAM_RETRY_ATTEMPTS)) || ! grep -qiE 'does not exist|not found' <<<"${errors}"; then
      log "${errors}"
      die "IAM change failed: gcloud $*"
    fi
    log "   (a new service account can take a moment to appear; retrying in ${wait_seconds}s)"
    sleep "${wait_seconds}"
    attempt=$((attempt + 1))
    wait_seconds=$((wait_seconds * 2))
  done
}

step() {
  if ((DRY_RUN)); then
    printf '# %s\n' "$*"
  else
    log "==> $*"
  fi
}

# ---------------------------------------------------------------------------------------------
# Arguments and the env file
# ---------------------------------------------------------------------------------------------

# Sets a setting unless a flag already did (flags win over the env file).
set_if_unset() {
  local name=$1 value=$2
  [[ -z ${!name} ]] && printf -v "${name}" '%s' "${value}"
  return 0
}

load_env_file() {
  local file=$1 line key value number=0
  [[ -r ${file} ]] || die "cannot read env file ${file}"
  while IFS= read -r line || [[ -n ${line} ]]; do
    number=$((number + 1))
    line=${line%$'\r'}
    [[ ${line} =~ ^[[:space:]]*(#.*)?$ ]] && continue
    if [[ ! ${line} =~ ^[[:space:]]*(export[[:space:]]+)?([A-Z_][A-Z0-9_]*)=(.*)$ ]]; then
      die "${file}:${number}: expected KEY=value"
    fi
    key=${BASH_REMATCH[2]}
    value=${BASH_REMATCH[3]}
    # Trailing spaces, then one pair of matching quotes.
    value=${value%"${value##*[![:space:]]}"}
    if [[ ${value} =~ ^\"(.*)\"$ || ${value} =~ ^\'(.*)\'$ ]]; then
      value=${BASH_REMATCH[1]}
    fi
    if [[ ${key} == SLACK_BOT_TOKEN ]]; then
      die "${file}:${number}: SLACK_BOT_TOKEN does not belong in a file; pipe it to --slack-token-stdin or set it in the environment"
    fi
    local known=0 setting
    for setting in "${SETTINGS[@]}"; do
      [[ ${setting} == "${key}" ]] && known=1
    done
    ((known)) || die "${file}:${number}: unknown setting ${key} (see --help and infra/deploy.env.example)"
    set_if_unset "${key}" "${value}"
  done <"${file}"
}

parse_args() {
  local flag value name inline
  while (($# > 0)); do
    flag=$1
    value=''
    inline=0
    if [[ ${flag} == --*=* ]]; then
      value=${flag#*=}
      flag=${flag%%=*}
      inline=1
      set -- "${flag}" "${value}" "${@:2}"
    fi
    name=''
    case ${flag} in
      --project) name=PROJECT ;;
      --region) name=REGION ;;
      # Short names for three of the function's settings (each also has its generic flag).
      --clusters) name=GKE_CLUSTERS ;;
      --watch-projects) name=GKE_PROJECTS ;;
      --cluster-labels) name=GKE_CLUSTER_LABELS ;;
      --schedule) name=SCHEDULE ;;
      --time-zone) name=TIME_ZONE ;;
      --function-name) name=FUNCTION_NAME ;;
      --firestore-location) name=FIRESTORE_LOCATION ;;
      --cluster-access) name=CLUSTER_ACCESS ;;
      --ingress-settings) name=INGRESS_SETTINGS ;;
      --timeout) name=TIMEOUT_SECONDS ;;
      --build-service-account) name=BUILD_SERVICE_ACCOUNT ;;
      --vpc-connector) name=VPC_CONNECTOR ;;
      --vpc-egress) name=VPC_EGRESS ;;
      --env-file) name=ENV_FILE ;;
      --slack-token-stdin) TOKEN_FROM_STDIN=1 ;;
      --slack-actions) SLACK_ACTIONS=1 ;;
      --signing-secret-stdin) SIGNING_SECRET_FROM_STDIN=1 ;;
      --dry-run) DRY_RUN=1 ;;
      --force-deploy) FORCE_DEPLOY=1 ;;
      --destroy) MODE=destroy ;;
      --delete-data) DELETE_DATA=1 ;;
      --yes) ASSUME_YES=1 ;;
      --help | -h)
        usage
        exit 0
        ;;
      --signing-secret | --slack-signing-secret)
        die "${flag}: the signing secret is never a command-line argument; pipe it to --signing-secret-stdin or set SLACK_SIGNING_SECRET"
        ;;
      --slack-token | --slack-bot-token | --token)
        die "${flag}: the Slack token is never a command-line argument (shell history, process lists); pipe it to --slack-token-stdin or set SLACK_BOT_TOKEN"
        ;;
      *)
        # Any setting the function reads: --key-in-lowercase for KEY_IN_LOWERCASE.
        name=${flag#--}
        name=${name^^}
        name=${name//-/_}
        if [[ ${flag} != --[a-z]*([a-z0-9-]) ]] || ! is_function_setting "${name}"; then
          die "unknown argument ${flag} (see --help)"
        fi
        ;;
    esac
    if [[ -n ${name} ]]; then
      (($# >= 2)) || die "${flag} needs a value (see --help)"
      [[ -n $2 ]] || die "${flag} needs a non-empty value"
      printf -v "${name}" '%s' "$2"
      shift 2
    else
      # The value is not repeated: after --slack-token-stdin= it would be the token.
      ((!inline)) || die "${flag} takes no value (see --help)"
      shift
    fi
  done
}

apply_defaults() {
  set_if_unset SCHEDULE '*/5 * * * *'
  set_if_unset TIME_ZONE Etc/UTC
  set_if_unset FUNCTION_NAME cronjob-watcher
  set_if_unset FIRESTORE_DATABASE '(default)'
  set_if_unset FIRESTORE_LOCATION "${REGION}"
  set_if_unset RETENTION_DAYS 90
  set_if_unset CLUSTER_ACCESS rbac
  # Cloud Run counts Cloud Scheduler calls from the same project to the run.app URL as
  # internal (infra/RUNBOOK.md, "Ingress"): nothing else needs to reach the function.
  set_if_unset INGRESS_SETTINGS internal-only
  set_if_unset TIMEOUT_SECONDS "${DEFAULT_TIMEOUT_SECONDS}"
  if [[ -n ${VPC_CONNECTOR} ]]; then
    set_if_unset VPC_EGRESS private-ranges-only
  fi
}

# ---------------------------------------------------------------------------------------------
# Validation: clear errors before anything is created. The settings the function reads are
# checked by the function's own configuration parser (check_function_settings); only what
# the deployment alone uses is checked here.
# ---------------------------------------------------------------------------------------------

readonly REGION_RE='^[a-z]+(-[a-z]+)*[0-9]+$'
# Function names become service account IDs `<name>-invoker` (at most 30 characters).
readonly FUNCTION_NAME_RE='^[a-z][a-z0-9-]{0,20}[a-z0-9]$'
# A service account of any project: user-managed (…iam.gserviceaccount.com) or a default one
# such as the Compute Engine default (PROJECT_NUMBER-compute@developer.gserviceaccount.com).
readonly SERVICE_ACCOUNT_RE='^[a-z0-9][a-z0-9.-]*@[a-z0-9][a-z0-9.:-]*\.gserviceaccount\.com$'
readonly CONNECTOR_RE='^([a-z][a-z0-9-]{0,23}[a-z0-9]|projects/[^/[:space:]]+/locations/[a-z0-9-]+/connectors/[a-z][a-z0-9-]{0,23}[a-z0-9])$'

split_list() { # split_list "a, b,,c" -> one item per line, trimmed, empties dropped
  local item
  local -a items
  IFS=',' read -r -a items <<<"$1"
  for item in ${items[@]+"${items[@]}"}; do
    item=${item#"${item%%[![:space:]]*}"}
    item=${item%"${item##*[![:space:]]}"}
    [[ -n ${item} ]] && printf '%s\n' "${item}"
  done
  return 0
}

is_whole_number() { [[ $1 =~ ^[1-9][0-9]*$ ]] && (($1 >= $2 && $1 <= $3)); }

validate() {
  [[ -n ${PROJECT} ]] || die "--project is required (or PROJECT= in the env file)"
  [[ -n ${REGION} ]] || die "--region is required (or REGION= in the env file), e.g. europe-west1"
  [[ ${REGION} =~ ${REGION_RE} ]] || die "--region: \"${REGION}\" is not a region (e.g. europe-west1)"
  [[ ${FUNCTION_NAME} =~ ${FUNCTION_NAME_RE} ]] ||
    die "--function-name: \"${FUNCTION_NAME}\" must be 2-22 lowercase letters, digits or '-', starting with a letter (it prefixes service account IDs)"
  [[ ${CLUSTER_ACCESS} == rbac || ${CLUSTER_ACCESS} == viewer ]] ||
    die "--cluster-access must be rbac or viewer; got \"${CLUSTER_ACCESS}\""

  [[ ${MODE} == destroy ]] && return 0

  [[ -n $(split_list "${GKE_CLUSTERS}") || -n $(split_list "${GKE_PROJECTS}") ]] ||
    die "say which clusters to watch: --clusters projects/P/locations/L/clusters/C,... and/or --watch-projects P1,P2"
  [[ -n ${SLACK_CHANNEL} ]] || die "--slack-channel is required, e.g. C0123456789 or '#cronjobs'"
  [[ $(wc -w <<<"${SCHEDULE}") -eq 5 ]] ||
    die "--schedule must be a 5-field cron expression, e.g. \"*/5 * * * *\"; got \"${SCHEDULE}\""
  [[ ${TIME_ZONE} =~ ^[A-Za-z_]+(/[A-Za-z0-9_+-]+)*$ ]] ||
    die "--time-zone must be a tz database name, e.g. Etc/UTC or Europe/Paris"
  [[ ${FIRESTORE_LOCATION} =~ ^[a-z0-9-]+$ ]] ||
    die "--firestore-location: \"${FIRESTORE_LOCATION}\" is not a Firestore location (e.g. europe-west1, eur3, nam5)"
  [[ ${INGRESS_SETTINGS} =~ ^(all|internal-only|internal-and-gclb)$ ]] ||
    die "--ingress-settings must be internal-only, all or internal-and-gclb"
  is_whole_number "${TIMEOUT_SECONDS}" "${MIN_TIMEOUT_SECONDS}" "${MAX_TIMEOUT_SECONDS}" ||
    die "--timeout must be a whole number of seconds from ${MIN_TIMEOUT_SECONDS} to ${MAX_TIMEOUT_SECONDS} (Cloud Scheduler's HTTP attempt deadline limit)"
  [[ -z ${BUILD_SERVICE_ACCOUNT} || ${BUILD_SERVICE_ACCOUNT} =~ ${SERVICE_ACCOUNT_RE} ]] ||
    die "--build-service-account must be a service account email, e.g. builder@my-project.iam.gserviceaccount.com or PROJECT_NUMBER-compute@developer.gserviceaccount.com"
  [[ -z ${VPC_CONNECTOR} || ${VPC_CONNECTOR} =~ ${CONNECTOR_RE} ]] ||
    die "--vpc-connector must be a connector name (e.g. gke-access) or projects/P/locations/R/connectors/C"
  [[ -z ${VPC_EGRESS} || ${VPC_EGRESS} =~ ^(private-ranges-only|all)$ ]] ||
    die "--vpc-egress must be private-ranges-only or all"
  [[ -z ${VPC_EGRESS} || -n ${VPC_CONNECTOR} ]] ||
    die "--vpc-egress says what goes through the VPC connector: set --vpc-connector too"
  # The IP endpoint of a private cluster is a VPC address; the function has none without a
  # connector. The DNS endpoint is reachable from anywhere Google's APIs are.
  if [[ ${GKE_ENDPOINT,,} == private && -z ${VPC_CONNECTOR} ]]; then
    die "GKE_ENDPOINT=private needs a way into the cluster's VPC: set VPC_CONNECTOR (--vpc-connector, a Serverless VPC Access connector in ${REGION} on that network), or use GKE_ENDPOINT=dns (the DNS-based endpoint, reachable without VPC access; enable it with gcloud container clusters update CLUSTER --enable-dns-access)"
  fi
  return 0
}

# The function's configuration parser, built (functions/config-check.ts): it lists the
# settings (load_settings) and checks their values (check_function_settings).
NODE=''
readonly CHECKER=${REPO_ROOT}/build/functions/config-check.js
ensure_checker() {
  NODE=${REPO_ROOT}/node_modules/.bin/node
  [[ -x ${NODE} ]] || NODE=$(command -v node) ||
    die "Node.js is needed to check the settings: run npm ci in ${REPO_ROOT}"
  # CRONJOB_WATCHER_NO_BUILD=1 (the tests): use build/ as it is. Other test files import it at
  # the same moment, and a rebuild would rewrite it under them.
  if [[ -n ${CRONJOB_WATCHER_NO_BUILD:-} ]]; then
    [[ -f ${CHECKER} ]] || die "${CHECKER} is missing and CRONJOB_WATCHER_NO_BUILD is set: run npm run build first"
  elif [[ ! -f ${CHECKER} || -n $(find "${REPO_ROOT}/functions" -name '*.ts' -newer "${CHECKER}" -print -quit) ]]; then
    log "Building the function (npm run build) to check the settings with its configuration parser"
    (cd "${REPO_ROOT}" && npm run --silent build >&2) || die "npm run build failed (run npm ci first)"
  fi
}

# Fills SETTINGS: the deployment's own and the function's, as its parser lists them; then
# resets every one of them.
load_settings() {
  local listed
  listed=$("${NODE}" "${CHECKER}" settings) || die "could not list the function's settings (${CHECKER} settings)"
  mapfile -t FUNCTION_SETTINGS <<<"${listed}"
  local name
  for name in "${FUNCTION_SETTINGS[@]}"; do
    [[ ${name} =~ ^[A-Z][A-Z0-9_]*$ ]] || die "the function's parser listed a setting named \"${name}\""
  done
  ((${#FUNCTION_SETTINGS[@]} > 0)) || die "the function's parser listed no settings"
  SETTINGS=("${DEPLOY_SETTINGS[@]}" "${FUNCTION_SETTINGS[@]}")
  for name in "${SETTINGS[@]}"; do
    export -n "${name?}"
    printf -v "${name}" '%s' ''
  done
}

is_function_setting() {
  local name
  for name in "${FUNCTION_SETTINGS[@]}"; do
    [[ ${name} == "$1" ]] && return 0
  done
  return 1
}

# Runs the function's configuration parser on the environment the function would get, so the
# deployment never accepts a setting the function refuses at start-up and keeps no copy of
# its rules.
check_function_settings() {
  local line
  while IFS= read -r line; do
    [[ ${line} != *';'* ]] ||
      die "${line%%=*}: the value must not contain ';' (it separates the function's environment variables)"
  done < <(function_env)
  local CHECK_FILE
  CHECK_FILE=$(mktemp)
  {
    function_env
    # As on Cloud Run: there the file state backend is refused.
    printf 'K_SERVICE=%s\n' "${FUNCTION_NAME}"
  } >"${CHECK_FILE}"
  local -a assume=()
  # The token comes from the secret at run time: check the Slack settings as if it were set.
  [[ ${MODE} == destroy ]] || assume=(--assume-set SLACK_BOT_TOKEN)
  local errors status=0
  errors=$("${NODE}" "${CHECKER}" check --env-file "${CHECK_FILE}" ${assume[@]+"${assume[@]}"} 2>&1 >/dev/null) ||
    status=$?
  rm -f "${CHECK_FILE}"
  errors=${errors#configuration error: }
  errors=${errors//GOOGLE_CLOUD_PROJECT/PROJECT}
  ((status == 0)) ||
    die "the function would refuse these settings (named as in the env file; --help gives the flags): ${errors}"
  return 0
}

read_token() {
  if ((TOKEN_FROM_STDIN)); then
    [[ -t 0 ]] && log "Paste the Slack bot token and press Enter (it is not echoed):"
    IFS= read -r -s SLACK_TOKEN || [[ -n ${SLACK_TOKEN} ]] || die "--slack-token-stdin: nothing on stdin"
    TOKEN_SOURCE=stdin
  elif [[ -n ${SLACK_BOT_TOKEN:-} ]]; then
    SLACK_TOKEN=${SLACK_BOT_TOKEN}
    TOKEN_SOURCE=environment
  fi
  # Read once; no child process (node, gcloud, npm) inherits it from here on.
  unset SLACK_BOT_TOKEN
  # Strip surrounding whitespace (a pasted newline or CR); then check the shape only.
  SLACK_TOKEN=${SLACK_TOKEN#"${SLACK_TOKEN%%[![:space:]]*}"}
  SLACK_TOKEN=${SLACK_TOKEN%"${SLACK_TOKEN##*[![:space:]]}"}
  if [[ -n ${TOKEN_SOURCE} ]]; then
    [[ -n ${SLACK_TOKEN} ]] || die "the Slack token is empty"
    # The message never repeats the value.
    [[ ${SLACK_TOKEN} =~ ^xox[a-z]-[A-Za-z0-9-]+$ ]] ||
      die "the Slack token does not look like one (a bot token starts with \"xoxb-\")"
  fi
  return 0
}

# The Slack app's signing secret, for slackActions: read like the token (stdin, after the
# token's line, or SLACK_SIGNING_SECRET), never an argument, never printed.
read_signing_secret() {
  if ((SIGNING_SECRET_FROM_STDIN)); then
    [[ -t 0 ]] && log "Paste the Slack app's signing secret and press Enter (it is not echoed):"
    IFS= read -r -s SIGNING_SECRET || [[ -n ${SIGNING_SECRET} ]] ||
      die "--signing-secret-stdin: no signing secret on stdin"
    SIGNING_SECRET_SOURCE=stdin
  elif [[ -n ${SLACK_SIGNING_SECRET:-} ]]; then
    SIGNING_SECRET=${SLACK_SIGNING_SECRET}
    SIGNING_SECRET_SOURCE=environment
  fi
  unset SLACK_SIGNING_SECRET
  SIGNING_SECRET=${SIGNING_SECRET//[[:space:]]/}
  if [[ -n ${SIGNING_SECRET_SOURCE} ]]; then
    ((SLACK_ACTIONS)) || die "a signing secret was given without --slack-actions"
    [[ ${SIGNING_SECRET} =~ ^[0-9a-fA-F]{32}$ ]] ||
      die "the signing secret does not look like one (32 hex digits, under Basic Information in the app's settings)"
  fi
  return 0
}

# ---------------------------------------------------------------------------------------------
# Derived names
# ---------------------------------------------------------------------------------------------

# The email of service account ID $1 in the deploy project (domain-scoped projects
# `example.com:proj` have accounts @proj.example.com.iam.gserviceaccount.com).
service_account_email() {
  local domain=${PROJECT}
  [[ ${PROJECT} == *:* ]] && domain="${PROJECT#*:}.${PROJECT%%:*}"
  printf '%s@%s.iam.gserviceaccount.com' "$1" "${domain}"
}

derive_names() {
  RUNTIME_SA_ID="${FUNCTION_NAME}-run"
  INVOKER_SA_ID="${FUNCTION_NAME}-invoker"
  BUILD_SA_ID="${FUNCTION_NAME}-build"
  RUNTIME_SA=$(service_account_email "${RUNTIME_SA_ID}")
  INVOKER_SA=$(service_account_email "${INVOKER_SA_ID}")
  OWN_BUILD_SA=$(service_account_email "${BUILD_SA_ID}")
  # Cloud Build's identity: ours unless one was named (then it is used as it is).
  BUILD_SA=${BUILD_SERVICE_ACCOUNT:-${OWN_BUILD_SA}}
  SECRET_NAME="${FUNCTION_NAME}-slack-token"
  ACTIONS_FUNCTION="${FUNCTION_NAME}-actions"
  ACTIONS_SA_ID="${FUNCTION_NAME}-actions"
  ACTIONS_SA=$(service_account_email "${ACTIONS_SA_ID}")
  SIGNING_SECRET_NAME="${FUNCTION_NAME}-slack-signing-secret"
  JOB_NAME=${FUNCTION_NAME}
  if [[ ${CLUSTER_ACCESS} == viewer ]]; then
    CLUSTER_ROLE=${ROLE_CONTAINER_VIEWER}
  else
    CLUSTER_ROLE=${ROLE_CLUSTER_VIEWER}
  fi
  PASS_BUDGET_SECONDS=$((${TIMEOUT_SECONDS:-${DEFAULT_TIMEOUT_SECONDS}} - PASS_BUDGET_MARGIN_SECONDS))

  # Projects holding the clusters: the runtime account needs the cluster role in each.
  WATCHED_PROJECTS=()
  add_projects_of "${GKE_CLUSTERS}" "${GKE_PROJECTS}"
}

# Adds the projects of a GKE_CLUSTERS list ($1) and a GKE_PROJECTS list ($2) to
# WATCHED_PROJECTS (both were checked by the function's parser, or come from the deployment).
add_projects_of() {
  local item
  while IFS= read -r item; do
    [[ ${item} == projects/*/locations/*/clusters/* ]] || continue
    item=${item#projects/}
    add_watched_project "${item%%/*}"
  done < <(split_list "$1")
  while IFS= read -r item; do
    add_watched_project "${item}"
  done < <(split_list "$2")
}

add_watched_project() {
  local known
  for known in ${WATCHED_PROJECTS[@]+"${WATCHED_PROJECTS[@]}"}; do
    [[ ${known} == "$1" ]] && return 0
  done
  WATCHED_PROJECTS+=("$1")
}

# The function's environment, one KEY=value per line. Optional settings are left out so the
# function's own defaults apply. GKE_CLUSTERS and GKE_PROJECTS also record, on the deployment,
# which projects got the cluster role: --destroy reads them back (see destroy).
function_env() {
  printf '%s\n' \
    "STATE_BACKEND=firestore" \
    "GOOGLE_CLOUD_PROJECT=${PROJECT}" \
    "FIRESTORE_DATABASE=${FIRESTORE_DATABASE}" \
    "RETENTION_DAYS=${RETENTION_DAYS}" \
    "PASS_BUDGET_SECONDS=${PASS_BUDGET_SECONDS}" \
    "NODE_OPTIONS=${FUNCTION_NODE_OPTIONS}"
  local name
  for name in "${FUNCTION_SETTINGS[@]}"; do
    # Always set, above.
    [[ ${name} == FIRESTORE_DATABASE || ${name} == RETENTION_DAYS ]] && continue
    [[ -n ${!name} ]] && printf '%s=%s\n' "${name}" "${!name}"
  done
  return 0
}

# `--set-env-vars` splits on commas, and cluster lists contain commas: gcloud's `^;^` prefix
# makes `;` the separator instead (see `gcloud topic escaping`). No value contains `;`
# (check_function_settings), so the split is exact.
env_vars_flag() {
  local joined='' line
  while IFS= read -r line; do
    joined+="${joined:+;}${line}"
  done < <(function_env)
  printf -- '--set-env-vars=^;^%s' "${joined}"
}

sha256() {
  if command -v sha256sum >/dev/null 2>&1; then
    sha256sum | cut -d' ' -f1
  else
    shasum -a 256 | cut -d' ' -f1
  fi
}

# A fingerprint of what a deploy would ship: every uploaded file (as .gcloudignore selects
# them) and the deploy flags. Kept in the function's `deploy-hash` label; equal = skip.
deploy_hash() {
  local files
  files=$(query meta list-files-for-upload .)
  {
    printf '%s\n' "$@"
    local file
    while IFS= read -r file; do
      [[ -f ${file} ]] || continue
      printf '%s  %s\n' "$(sha256 <"${file}")" "${file}"
    done < <(LC_ALL=C sort <<<"${files}")
  } | sha256 | cut -c1-40
}

# ---------------------------------------------------------------------------------------------
# Deploy
# ---------------------------------------------------------------------------------------------

enable_apis() {
  step "Enable the APIs the watcher and its deployment use"
  mutate '' services enable "${APIS[@]}" --project="${PROJECT}" --quiet
}

ensure_service_account() {
  local id=$1 email=$2 display=$3 description=$4
  if ((DRY_RUN)) || ! exists iam service-accounts describe "${email}" --project="${PROJECT}"; then
    mutate 'if missing' iam service-accounts create "${id}" --project="${PROJECT}" \
      --display-name="${display}" --description="${description}" --quiet
  else
    log "   ${email} exists"
  fi
}

create_service_accounts() {
  step "Service accounts: the function's identity, the scheduler's and the build's"
  ensure_service_account "${RUNTIME_SA_ID}" "${RUNTIME_SA}" "cronjob-watcher runtime" \
    "Identity of the ${FUNCTION_NAME} function: reads GKE clusters, Firestore, its Slack token"
  ensure_service_account "${INVOKER_SA_ID}" "${INVOKER_SA}" "cronjob-watcher invoker" \
    "Cloud Scheduler calls the ${FUNCTION_NAME} function as this account (run.invoker on it only)"
  if [[ ${BUILD_SA} == "${OWN_BUILD_SA}" ]]; then
    ensure_service_account "${BUILD_SA_ID}" "${BUILD_SA}" "cronjob-watcher build" \
      "Cloud Build builds the ${FUNCTION_NAME} function as this account"
  fi
}

grant_project_roles() {
  step "Grant the runtime account cluster read (${CLUSTER_ROLE}) and Firestore access"
  local project role
  for project in "${WATCHED_PROJECTS[@]}"; do
    mutate_iam '' projects add-iam-policy-binding "${project}" \
      --member="serviceAccount:${RUNTIME_SA}" --role="${CLUSTER_ROLE}" --condition=None --quiet
  done
  mutate_iam '' projects add-iam-policy-binding "${PROJECT}" \
    --member="serviceAccount:${RUNTIME_SA}" --role="${ROLE_DATASTORE_USER}" --condition=None --quiet
  if [[ ${BUILD_SA} != "${OWN_BUILD_SA}" ]]; then
    step "Build account ${BUILD_SA} (BUILD_SERVICE_ACCOUNT) is used as it is: no roles granted to it (it needs ${BUILD_ROLES[*]}, see infra/RUNBOOK.md)"
    return 0
  fi
  step "Grant the build account what Cloud Build needs to build the function"
  for role in "${BUILD_ROLES[@]}"; do
    mutate_iam '' projects add-iam-policy-binding "${PROJECT}" \
      --member="serviceAccount:${BUILD_SA}" --role="${role}" --condition=None --quiet
  done
  remove_project_role "${PROJECT}" "${LEGACY_BUILD_ROLE}" "${BUILD_SA}"
}

ensure_firestore() {
  step "Firestore database ${FIRESTORE_DATABASE} (Native mode) and the TTL policy on ${DATA_COLLECTION_GROUP}.${TTL_FIELD}"
  if ((DRY_RUN)); then
    mutate 'if missing' firestore databases create --database="${FIRESTORE_DATABASE}" \
      --location="${FIRESTORE_LOCATION}" --type=firestore-native --project="${PROJECT}" --quiet
    mutate 'if not enabled yet' firestore fields ttls update "${TTL_FIELD}" \
      --collection-group="${DATA_COLLECTION_GROUP}" --database="${FIRESTORE_DATABASE}" \
      --enable-ttl --async --project="${PROJECT}" --quiet
    return 0
  fi
  local type
  if type=$(query firestore databases describe --database="${FIRESTORE_DATABASE}" \
    --project="${PROJECT}" --format='value(type)' 2>/dev/null); then
    [[ ${type} == FIRESTORE_NATIVE ]] ||
      die "Firestore database ${FIRESTORE_DATABASE} is in ${type:-an unknown} mode; the watcher needs Native mode: pass --firestore-database cronjob-watcher to create a separate one"
    log "   database ${FIRESTORE_DATABASE} exists (Native mode)"
  else
    mutate 'if missing' firestore databases create --database="${FIRESTORE_DATABASE}" \
      --location="${FIRESTORE_LOCATION}" --type=firestore-native --project="${PROJECT}" --quiet
  fi
  local ttl_fields
  ttl_fields=$(query firestore fields ttls list --collection-group="${DATA_COLLECTION_GROUP}" \
    --database="${FIRESTORE_DATABASE}" --project="${PROJECT}" --format='value(name)')
  if grep -q "/fields/${TTL_FIELD}\$" <<<"${ttl_fields}"; then
    log "   TTL on ${DATA_COLLECTION_GROUP}.${TTL_FIELD} is set"
  else
    # --async: building the policy takes minutes; nothing here waits for it.
    mutate 'if not enabled yet' firestore fields ttls update "${TTL_FIELD}" \
      --collection-group="${DATA_COLLECTION_GROUP}" --database="${FIRESTORE_DATABASE}" \
      --enable-ttl --async --project="${PROJECT}" --quiet
  fi
}

TOKEN_ROTATED=0
SECRET_VERSION=''
ensure_secret() {
  step "Slack token in Secret Manager (${SECRET_NAME}), readable by the runtime account only"
  if ((DRY_RUN)); then
    mutate_with_token 'if the secret is missing' secrets create "${SECRET_NAME}" \
      --replication-policy=automatic --data-file=- --project="${PROJECT}" --quiet
    if [[ -n ${TOKEN_SOURCE} ]]; then
      mutate_with_token 'if the secret exists and holds a different token' secrets versions add \
        "${SECRET_NAME}" --data-file=- --project="${PROJECT}" --quiet
    fi
  elif ! exists secrets describe "${SECRET_NAME}" --project="${PROJECT}"; then
    [[ -n ${TOKEN_SOURCE} ]] ||
      die "the secret ${SECRET_NAME} does not exist yet: give the Slack token on stdin (--slack-token-stdin) or in SLACK_BOT_TOKEN"
    mutate_with_token '' secrets create "${SECRET_NAME}" --replication-policy=automatic \
      --data-file=- --project="${PROJECT}" --quiet
  elif [[ -n ${TOKEN_SOURCE} ]]; then
    local current=''
    # Compared in memory, never printed. Without access to read it, rotate to be safe.
    if current=$(query secrets versions access latest --secret="${SECRET_NAME}" \
      --project="${PROJECT}" 2>/dev/null) && [[ ${current} == "${SLACK_TOKEN}" ]]; then
      log "   the stored token is the same; no new version"
    else
      mutate_with_token '' secrets versions add "${SECRET_NAME}" --data-file=- \
        --project="${PROJECT}" --quiet
      TOKEN_ROTATED=1
    fi
    current=''
  else
    log "   secret ${SECRET_NAME} exists; keeping its token"
  fi
  mutate_iam '' secrets add-iam-policy-binding "${SECRET_NAME}" \
    --member="serviceAccount:${RUNTIME_SA}" --role="${ROLE_SECRET_ACCESSOR}" --project="${PROJECT}" \
    --quiet
  read_secret_version
}

# The function reads one numbered version of the secret, never `latest`: what it runs with is
# what the last deploy chose, and a version added by hand changes nothing until the next
# deploy moves the pin (which redeploys, since the flags change).
read_secret_version() {
  if ((DRY_RUN)); then
    SECRET_VERSION='<newest version: gcloud secrets versions describe latest --format=value(name)>'
    return 0
  fi
  local name
  name=$(query secrets versions describe latest --secret="${SECRET_NAME}" --project="${PROJECT}" \
    --format='value(name)')
  SECRET_VERSION=${name##*/}
  [[ ${SECRET_VERSION} =~ ^[0-9]+$ ]] ||
    die "could not read the newest version of the secret ${SECRET_NAME} (got \"${name}\")"
}

deploy_function() {
  step "Deploy the function ${FUNCTION_NAME} (gen2, nodejs24, not public, ingress ${INGRESS_SETTINGS}), built by ${BUILD_SA}"
  local -a args=(
    functions deploy "${FUNCTION_NAME}"
    --gen2
    --runtime=nodejs24
    --region="${REGION}"
    --project="${PROJECT}"
    --source=.
    --entry-point=watchCronJobs
    --trigger-http
    --no-allow-unauthenticated
    --ingress-settings="${INGRESS_SETTINGS}"
    --service-account="${RUNTIME_SA}"
    # `-` for the project: the account may live in another project (gcloud's documented form).
    --build-service-account="projects/-/serviceAccounts/${BUILD_SA}"
    --set-build-env-vars="${BUILD_ENV_VARS}"
    --set-secrets="SLACK_BOT_TOKEN=${SECRET_NAME}:${SECRET_VERSION}"
    "$(env_vars_flag)"
    --timeout="${TIMEOUT_SECONDS}s"
    --memory="${FUNCTION_MEMORY}"
    --cpu="${FUNCTION_CPU}"
    --concurrency="${FUNCTION_CONCURRENCY}"
    --max-instances="${FUNCTION_MAX_INSTANCES}"
  )
  [[ -n ${VPC_CONNECTOR} ]] &&
    args+=(--vpc-connector="${VPC_CONNECTOR}" --egress-settings="${VPC_EGRESS}")
  if ((DRY_RUN)); then
    mutate 'unless the deployed deploy-hash label matches' "${args[@]}" \
      --update-labels="managed-by=cronjob-watcher-deploy,deploy-hash=<sha256 of the uploaded files and these flags>" \
      --quiet
    return 0
  fi
  local hash deployed=''
  hash=$(deploy_hash "${args[@]}")
  deployed=$(query functions describe "${FUNCTION_NAME}" --region="${REGION}" \
    --project="${PROJECT}" --format='value(labels.deploy-hash)' 2>/dev/null || true)
  if [[ ${deployed} == "${hash}" ]] && ((!FORCE_DEPLOY)); then
    log "   deployed function is up to date (deploy-hash ${hash}); --force-deploy to redeploy"
    return 0
  fi
  ((TOKEN_ROTATED)) && log "   redeploying to move the function to secret version ${SECRET_VERSION}"
  mutate '' "${args[@]}" --update-labels="managed-by=cronjob-watcher-deploy,deploy-hash=${hash}" \
    --quiet
}

FUNCTION_URL=''
read_function_url() {
  if ((DRY_RUN)); then
    FUNCTION_URL='<function URL: gcloud functions describe '"${FUNCTION_NAME}"' --region='"${REGION}"' --format=value(serviceConfig.uri)>'
    return 0
  fi
  FUNCTION_URL=$(query functions describe "${FUNCTION_NAME}" --region="${REGION}" \
    --project="${PROJECT}" --format='value(serviceConfig.uri)')
  [[ ${FUNCTION_URL} == https://* ]] || die "could not read the function's URL (got \"${FUNCTION_URL}\")"
}

grant_invoker() {
  step "Let the invoker account call this function only (run.invoker on its Cloud Run service)"
  mutate_iam '' functions add-invoker-policy-binding "${FUNCTION_NAME}" --region="${REGION}" \
    --member="serviceAccount:${INVOKER_SA}" --project="${PROJECT}" --quiet
}

# Drift check, on every deploy: the script never makes the function public, but a binding
# added by hand (console, another tool) would. It is reported, not removed: someone chose it.
check_public_access() {
  local -a args=(run services get-iam-policy "${FUNCTION_NAME}" --region="${REGION}"
    --project="${PROJECT}" --flatten='bindings[].members' --format='value(bindings.role,bindings.members)')
  if ((DRY_RUN)); then
    show_command 'check, every run: warns if allUsers or allAuthenticatedUsers may call it' "${args[@]}"
    return 0
  fi
  local bindings role member public=0
  bindings=$(query "${args[@]}")
  while IFS=$'\t' read -r role member; do
    if [[ ${member} == allUsers || ${member} == allAuthenticatedUsers ]]; then
      public=1
      log "WARNING: ${FUNCTION_NAME} grants ${role} to ${member}: it is public. This script never adds that; if nobody meant it, remove it:"
      log "  gcloud run services remove-iam-policy-binding ${FUNCTION_NAME} --region=${REGION} --project=${PROJECT} --member=${member} --role=${role}"
    fi
  done <<<"${bindings}"
  ((public)) || log "   no allUsers or allAuthenticatedUsers binding on ${FUNCTION_NAME}"
}

ensure_scheduler_job() {
  step "Cloud Scheduler job ${JOB_NAME}: POST every '${SCHEDULE}' (${TIME_ZONE}) with an OIDC token"
  local -a common=(
    --location="${REGION}"
    --project="${PROJECT}"
    --schedule="${SCHEDULE}"
    --time-zone="${TIME_ZONE}"
    --uri="${FUNCTION_URL}"
    --http-method=post
    --oidc-service-account-email="${INVOKER_SA}"
    --oidc-token-audience="${FUNCTION_URL}"
    --attempt-deadline="${TIMEOUT_SECONDS}s"
    --max-retry-attempts="${SCHEDULER_MAX_RETRY_ATTEMPTS}"
    --min-backoff="${SCHEDULER_MIN_BACKOFF}"
    --max-backoff="${SCHEDULER_MAX_BACKOFF}"
    --max-doublings="${SCHEDULER_MAX_DOUBLINGS}"
    --description="Runs one cronjob-watcher pass (infra/deploy.sh)"
    --quiet
  )
  if ((DRY_RUN)); then
    mutate 'if missing' scheduler jobs create http "${JOB_NAME}" "${common[@]}"
    mutate 'if it exists' scheduler jobs update http "${JOB_NAME}" "${common[@]}"
  elif exists scheduler jobs describe "${JOB_NAME}" --location="${REGION}" --project="${PROJECT}"; then
    mutate '' scheduler jobs update http "${JOB_NAME}" "${common[@]}"
  else
    mutate '' scheduler jobs create http "${JOB_NAME}" "${common[@]}"
  fi
}

# Prints the kubectl line that applies infra/k8s/$1 for context $2 (and namespace $3).
print_apply_line() {
  local file=$1 context=$2 namespace=${3:-}
  if [[ -n ${namespace} ]]; then
    printf "  sed -e 's/\${RUNTIME_SA_EMAIL}/%s/' -e 's/\${NAMESPACE}/%s/' infra/k8s/%s | kubectl --context=%s apply -f -\n" \
      "${RUNTIME_SA}" "${namespace}" "${file}" "${context}"
  else
    printf "  sed 's/\${RUNTIME_SA_EMAIL}/%s/' infra/k8s/%s | kubectl --context=%s apply -f -\n" \
      "${RUNTIME_SA}" "${file}" "${context}"
  fi
}

# The RBAC lines for one cluster context: the base role (rbac mode), then the optional logs
# role; per namespace when NAMESPACES is set.
print_cluster_rbac() {
  local context=$1 namespace suffix=''
  local -a namespaces=('')
  if [[ -n ${NAMESPACES} ]]; then
    suffix=-namespace
    mapfile -t namespaces < <(split_list "${NAMESPACES}")
  fi
  if [[ ${CLUSTER_ACCESS} == rbac ]]; then
    for namespace in "${namespaces[@]}"; do
      print_apply_line "rbac${suffix}.yaml" "${context}" "${namespace}"
    done
  fi
  local logs_note=''
  [[ -z ${NAMESPACES} ]] &&
    logs_note='; for some namespaces only, infra/k8s/rbac-logs-namespace.yaml in each instead'
  printf '  # optional, only if you turn on log excerpts (pod logs)%s:\n' "${logs_note}"
  for namespace in "${namespaces[@]}"; do
    print_apply_line "rbac-logs${suffix}.yaml" "${context}" "${namespace}"
  done
}

print_cluster_steps() {
  printf '\n'
  local scope='a ClusterRole and ClusterRoleBinding (infra/k8s/rbac.yaml)'
  [[ -n ${NAMESPACES} ]] &&
    scope="NAMESPACES is set, so a Role and RoleBinding in each of ${NAMESPACES//,/, } instead of a ClusterRole (infra/k8s/rbac-namespace.yaml)"
  if [[ ${CLUSTER_ACCESS} == viewer ]]; then
    cat <<EOT
Cluster access: ${RUNTIME_SA} has ${ROLE_CONTAINER_VIEWER} on ${WATCHED_PROJECTS[*]}.
Nothing to apply in the clusters. That role does not include pod logs
(container.pods.getLogs); only to let the watcher quote them, apply the logs role below.
EOT
  else
    cat <<EOT
Last step, once per cluster (needs cluster-admin there; the script has no cluster access):
let ${RUNTIME_SA} list CronJobs, Jobs, Pods and Events: ${scope}.
EOT
  fi
  local item project location cluster
  while IFS= read -r item; do
    IFS=/ read -r _ project _ location _ cluster <<<"${item}"
    printf '  gcloud container clusters get-credentials %s --location=%s --project=%s\n' \
      "${cluster}" "${location}" "${project}"
    print_cluster_rbac "gke_${project}_${location}_${cluster}"
  done < <(split_list "${GKE_CLUSTERS}")
  while IFS= read -r project; do
    printf '  # every cluster discovered in %s (list: gcloud container clusters list --project=%s):\n' \
      "${project}" "${project}"
    print_cluster_rbac CONTEXT
  done < <(split_list "${GKE_PROJECTS}")
}

deploy() {
  ((DRY_RUN)) && printf '# infra/deploy.sh --dry-run: the gcloud commands a deploy runs, in order. Lookups\n# (describe/list) are not shown, except the public-access check; "# if …" says when a\n# command runs.\n'
  enable_apis
  create_service_accounts
  grant_project_roles
  ensure_firestore
  ensure_secret
  deploy_function
  read_function_url
  grant_invoker
  check_public_access
  ensure_scheduler_job
  ((SLACK_ACTIONS)) && deploy_slack_actions
  if ((DRY_RUN)); then
    print_cluster_steps | sed 's/^/# /'
  else
    log "Deployed ${FUNCTION_NAME} at ${FUNCTION_URL} (private, ingress ${INGRESS_SETTINGS}; Cloud Scheduler calls it as ${INVOKER_SA})."
    print_cluster_steps
  fi
}

# ---------------------------------------------------------------------------------------------
# slackActions (--slack-actions)
# ---------------------------------------------------------------------------------------------

# Like mutate_with_token, with the signing secret on the command's stdin.
mutate_with_signing_secret() {
  local note=$1
  shift
  if ((DRY_RUN)); then
    local placeholder='<signing secret from stdin>'
    [[ ${SIGNING_SECRET_SOURCE} == environment ]] && placeholder='<signing secret from SLACK_SIGNING_SECRET>'
    [[ -z ${SIGNING_SECRET_SOURCE} ]] && placeholder='<signing secret: pass --signing-secret-stdin or set SLACK_SIGNING_SECRET>'
    printf '%s < %s%s\n' "$(show_command '' "$@")" "${placeholder}" "${note:+  # ${note}}"
    return 0
  fi
  show_command '' "$@" | sed 's/^/+ /; s/$/ < <signing secret>/' >&2
  printf '%s' "${SIGNING_SECRET}" | gcloud "$@"
}

SIGNING_SECRET_VERSION=''
ensure_signing_secret() {
  step "Slack signing secret in Secret Manager (${SIGNING_SECRET_NAME}), readable by ${ACTIONS_SA} only"
  if ((DRY_RUN)); then
    mutate_with_signing_secret 'if the secret is missing' secrets create "${SIGNING_SECRET_NAME}" \
      --replication-policy=automatic --data-file=- --project="${PROJECT}" --quiet
    [[ -n ${SIGNING_SECRET_SOURCE} ]] &&
      mutate_with_signing_secret 'if the secret exists and holds a different one' secrets versions add \
        "${SIGNING_SECRET_NAME}" --data-file=- --project="${PROJECT}" --quiet
  elif ! exists secrets describe "${SIGNING_SECRET_NAME}" --project="${PROJECT}"; then
    [[ -n ${SIGNING_SECRET_SOURCE} ]] ||
      die "the secret ${SIGNING_SECRET_NAME} does not exist yet: give the signing secret on stdin (--signing-secret-stdin) or in SLACK_SIGNING_SECRET"
    mutate_with_signing_secret '' secrets create "${SIGNING_SECRET_NAME}" \
      --replication-policy=automatic --data-file=- --project="${PROJECT}" --quiet
  elif [[ -n ${SIGNING_SECRET_SOURCE} ]]; then
    local current=''
    if current=$(query secrets versions access latest --secret="${SIGNING_SECRET_NAME}" \
      --project="${PROJECT}" 2>/dev/null) && [[ ${current} == "${SIGNING_SECRET}" ]]; then
      log "   the stored signing secret is the same; no new version"
    else
      mutate_with_signing_secret '' secrets versions add "${SIGNING_SECRET_NAME}" --data-file=- \
        --project="${PROJECT}" --quiet
    fi
    current=''
  else
    log "   secret ${SIGNING_SECRET_NAME} exists; keeping it"
  fi
  local secret
  for secret in "${SIGNING_SECRET_NAME}" "${SECRET_NAME}"; do
    mutate_iam '' secrets add-iam-policy-binding "${secret}" \
      --member="serviceAccount:${ACTIONS_SA}" --role="${ROLE_SECRET_ACCESSOR}" \
      --project="${PROJECT}" --quiet
  done
  if ((DRY_RUN)); then
    SIGNING_SECRET_VERSION='<newest version>'
  else
    local name
    name=$(query secrets versions describe latest --secret="${SIGNING_SECRET_NAME}" \
      --project="${PROJECT}" --format='value(name)')
    SIGNING_SECRET_VERSION=${name##*/}
    [[ ${SIGNING_SECRET_VERSION} =~ ^[0-9]+$ ]] ||
      die "could not read the newest version of the secret ${SIGNING_SECRET_NAME} (got \"${name}\")"
  fi
}

# Slack cannot present a Google identity: this function is public (allUsers may invoke it)
# and refuses anything Slack did not sign. Its account reads Firestore and the two secrets,
# nothing on GKE. Slack wants an answer within 3 s: a short timeout, and up to a few
# instances so a burst of clicks does not queue behind one.
ACTIONS_URL=''
deploy_slack_actions() {
  step "Service account ${ACTIONS_SA} for slackActions: Firestore and the two Slack secrets, nothing on GKE"
  ensure_service_account "${ACTIONS_SA_ID}" "${ACTIONS_SA}" "cronjob-watcher Slack actions" \
    "Runs ${ACTIONS_FUNCTION}: records acknowledgements and snoozes from Slack"
  mutate_iam '' projects add-iam-policy-binding "${PROJECT}" \
    --member="serviceAccount:${ACTIONS_SA}" --role="${ROLE_DATASTORE_USER}" --condition=None --quiet
  ensure_signing_secret
  step "Deploy ${ACTIONS_FUNCTION} (slackActions; public, protected by Slack's request signing)"
  mutate '' functions deploy "${ACTIONS_FUNCTION}" \
    --gen2 \
    --runtime=nodejs24 \
    --region="${REGION}" \
    --project="${PROJECT}" \
    --source=. \
    --entry-point=slackActions \
    --trigger-http \
    --allow-unauthenticated \
    --ingress-settings=all \
    --service-account="${ACTIONS_SA}" \
    --build-service-account="projects/-/serviceAccounts/${BUILD_SA}" \
    --set-build-env-vars="${BUILD_ENV_VARS}" \
    --set-secrets="SLACK_BOT_TOKEN=${SECRET_NAME}:${SECRET_VERSION},SLACK_SIGNING_SECRET=${SIGNING_SECRET_NAME}:${SIGNING_SECRET_VERSION}" \
    "$(env_vars_flag)" \
    --timeout=10s \
    --memory="${FUNCTION_MEMORY}" \
    --max-instances=3 \
    --update-labels=managed-by=cronjob-watcher-deploy \
    --quiet
  if ((DRY_RUN)); then
    ACTIONS_URL='<slackActions URL: gcloud functions describe '"${ACTIONS_FUNCTION}"' --region='"${REGION}"' --format=value(serviceConfig.uri)>'
    printf '# Paste into the Slack app (Interactivity & Shortcuts, Request URL): %s\n' "${ACTIONS_URL}"
    return 0
  fi
  ACTIONS_URL=$(query functions describe "${ACTIONS_FUNCTION}" --region="${REGION}" \
    --project="${PROJECT}" --format='value(serviceConfig.uri)')
  log "slackActions is at ${ACTIONS_URL}: paste it into the Slack app (Interactivity & Shortcuts, Request URL; infra/slack-app-manifest.yaml)."
}

# ---------------------------------------------------------------------------------------------
# Destroy
# ---------------------------------------------------------------------------------------------

# The project's bindings as "role<TAB>member" lines. Exact matching happens in bash, so no
# gcloud filter expression has to quote an email.
bindings_of() {
  query projects get-iam-policy "$1" --flatten='bindings[].members' \
    --format='value(bindings.role,bindings.members)'
}

remove_project_role() { # remove_project_role PROJECT ROLE ACCOUNT_EMAIL
  local project=$1 role=$2 member="serviceAccount:$3" bindings
  if ((DRY_RUN)); then
    mutate 'if bound' projects remove-iam-policy-binding "${project}" --member="${member}" \
      --role="${role}" --all --quiet
    return 0
  fi
  bindings=$(bindings_of "${project}")
  if grep -qxF "${role}"$'\t'"${member}" <<<"${bindings}"; then
    mutate '' projects remove-iam-policy-binding "${project}" --member="${member}" \
      --role="${role}" --all --quiet >/dev/null
  fi
}

delete_if_exists() { # delete_if_exists "describe args" -- delete args
  local -a describe=()
  while (($# > 0)) && [[ $1 != -- ]]; do
    describe+=("$1")
    shift
  done
  shift
  if ((DRY_RUN)) || exists "${describe[@]}"; then
    mutate 'if it exists' "$@"
  fi
}

confirm_destroy() {
  ((DRY_RUN || ASSUME_YES)) && return 0
  [[ -t 0 ]] || die "--destroy deletes the deployment: pass --yes to confirm (or --dry-run to see what it deletes)"
  local answer
  read -r -p "Delete ${FUNCTION_NAME} and its accounts, secret and schedule from ${PROJECT}? Type the project ID: " answer
  [[ ${answer} == "${PROJECT}" ]] || die "not confirmed; nothing deleted"
}

# The projects the deployed function watches, as its environment records them: a deploy
# granted the cluster role in each, whatever the settings given to --destroy say now.
add_deployed_projects() {
  ((DRY_RUN)) && return 0
  local recorded clusters projects
  recorded=$(query functions describe "${FUNCTION_NAME}" --region="${REGION}" --project="${PROJECT}" \
    --format='value(serviceConfig.environmentVariables.GKE_CLUSTERS,serviceConfig.environmentVariables.GKE_PROJECTS)' \
    2>/dev/null) || return 0
  IFS=$'\t' read -r clusters projects <<<"${recorded}"
  add_projects_of "${clusters}" "${projects}"
}

destroy() {
  confirm_destroy
  ((DRY_RUN)) && printf '# infra/deploy.sh --destroy --dry-run: the gcloud commands a teardown runs, in order.\n'
  # Before the function goes: its environment names the projects it was granted roles in.
  add_deployed_projects
  step "Stop the schedule, then delete the function (its invoker binding goes with it)"
  delete_if_exists scheduler jobs describe "${JOB_NAME}" --location="${REGION}" --project="${PROJECT}" -- \
    scheduler jobs delete "${JOB_NAME}" --location="${REGION}" --project="${PROJECT}" --quiet
  delete_if_exists functions describe "${FUNCTION_NAME}" --region="${REGION}" --project="${PROJECT}" -- \
    functions delete "${FUNCTION_NAME}" --region="${REGION}" --project="${PROJECT}" --quiet
  delete_if_exists functions describe "${ACTIONS_FUNCTION}" --region="${REGION}" --project="${PROJECT}" -- \
    functions delete "${ACTIONS_FUNCTION}" --region="${REGION}" --project="${PROJECT}" --quiet
  step "Delete the Slack secrets (and their access bindings)"
  delete_if_exists secrets describe "${SECRET_NAME}" --project="${PROJECT}" -- \
    secrets delete "${SECRET_NAME}" --project="${PROJECT}" --quiet
  delete_if_exists secrets describe "${SIGNING_SECRET_NAME}" --project="${PROJECT}" -- \
    secrets delete "${SIGNING_SECRET_NAME}" --project="${PROJECT}" --quiet
  step "Remove the accounts' project roles (before the accounts, so none is left dangling)"
  ((DRY_RUN)) && printf '# (and in every project the deployed function watches, read from its GKE_CLUSTERS and GKE_PROJECTS before it is deleted)\n'
  # The deploy project too: it may have held clusters in an earlier deploy.
  add_watched_project "${PROJECT}"
  local project role
  for project in "${WATCHED_PROJECTS[@]}"; do
    remove_project_role "${project}" "${ROLE_CLUSTER_VIEWER}" "${RUNTIME_SA}"
    remove_project_role "${project}" "${ROLE_CONTAINER_VIEWER}" "${RUNTIME_SA}"
  done
  remove_project_role "${PROJECT}" "${ROLE_DATASTORE_USER}" "${RUNTIME_SA}"
  remove_project_role "${PROJECT}" "${ROLE_DATASTORE_USER}" "${ACTIONS_SA}"
  # Only the build account this script creates; one named with --build-service-account is
  # someone else's.
  for role in "${BUILD_ROLES[@]}" "${LEGACY_BUILD_ROLE}"; do
    remove_project_role "${PROJECT}" "${role}" "${OWN_BUILD_SA}"
  done
  step "Delete the service accounts"
  local account
  for account in "${RUNTIME_SA}" "${INVOKER_SA}" "${OWN_BUILD_SA}" "${ACTIONS_SA}"; do
    delete_if_exists iam service-accounts describe "${account}" --project="${PROJECT}" -- \
      iam service-accounts delete "${account}" --project="${PROJECT}" --quiet
  done
  if ((DELETE_DATA)); then
    step "Delete the watcher's Firestore documents (collections ${DATA_COLLECTIONS})"
    mutate '' firestore bulk-delete --collection-ids="${DATA_COLLECTIONS}" \
      --database="${FIRESTORE_DATABASE}" --project="${PROJECT}" --quiet
  fi
  local kept="Firestore data in database ${FIRESTORE_DATABASE} (collections ${DATA_COLLECTIONS}) is kept; --destroy --delete-data deletes it. The database itself, its TTL policy and the enabled APIs are left in place."
  ((DELETE_DATA)) && kept="The Firestore database ${FIRESTORE_DATABASE}, its TTL policy and the enabled APIs are left in place."
  local rbac="In each cluster, remove the RBAC objects: kubectl delete clusterrolebinding,clusterrole cronjob-watcher-reader cronjob-watcher-log-reader --ignore-not-found (with NAMESPACES, in each namespace: kubectl -n NAMESPACE delete rolebinding,role cronjob-watcher-reader cronjob-watcher-log-reader --ignore-not-found)"
  # Made by the platform on the first deploy and shared by every function of the project in
  # this region: listed with the commands that remove this function's part, never deleted here.
  local built="Left by the platform, shared with other functions in ${REGION}: the built image in Artifact Registry (gcloud artifacts docker images list ${REGION}-docker.pkg.dev/${PROJECT}/gcf-artifacts --project=${PROJECT} | grep -i ${FUNCTION_NAME}, then gcloud artifacts docker images delete IMAGE --delete-tags) and the uploaded source in Cloud Storage (gcloud storage ls --project=${PROJECT} | grep gcf-v2-, then gcloud storage rm --recursive gs://gcf-v2-sources-PROJECT_NUMBER-${REGION}/${FUNCTION_NAME}/ and the upload in gs://gcf-v2-uploads-PROJECT_NUMBER-${REGION}/)."
  if ((DRY_RUN)); then
    printf '# %s\n# %s\n# %s\n' "${kept}" "${built}" "${rbac}"
  else
    log "Removed ${FUNCTION_NAME} from ${PROJECT}. ${kept}"
    log "${built}"
    log "${rbac}"
  fi
}

main() {
  # Help needs no build.
  local arg
  for arg in "$@"; do
    if [[ ${arg} == --help || ${arg} == -h ]]; then
      usage
      exit 0
    fi
  done
  ensure_checker
  load_settings
  parse_args "$@"
  # First, so that no child process (the settings check, gcloud) inherits SLACK_BOT_TOKEN.
  if [[ ${MODE} == destroy ]]; then
    unset SLACK_BOT_TOKEN SLACK_SIGNING_SECRET
  else
    read_token
    read_signing_secret
  fi
  if [[ -z ${ENV_FILE} && -f ${SCRIPT_DIR}/deploy.env ]]; then
    ENV_FILE=${SCRIPT_DIR}/deploy.env
  fi
  [[ -n ${ENV_FILE} ]] && load_env_file "${ENV_FILE}"
  apply_defaults
  validate
  ((DELETE_DATA)) && [[ ${MODE} != destroy ]] && die "--delete-data goes with --destroy"
  derive_names
  check_function_settings
  # Every path in the commands is relative to the repository root (the function's source).
  cd "${REPO_ROOT}"
  if ((!DRY_RUN)); then
    command -v gcloud >/dev/null 2>&1 || die "gcloud is not installed (https://cloud.google.com/sdk/docs/install)"
  fi
  if [[ ${MODE} == destroy ]]; then
    destroy
  else
    deploy
  fi
}

main "$@"
