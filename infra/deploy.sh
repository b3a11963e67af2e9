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
# reaches gcloud on stdin (`--data-file=-`) and is never printed.
set -euo pipefail

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
# Pages of Jobs from several clusters are parsed and held at once (GKE_CONCURRENCY, default
# 4): 256 MiB is tight for the Node runtime plus the gRPC and Kubernetes clients; 512 MiB is
# not. One full vCPU because parsing and TLS are CPU work, and a pass is short.
readonly FUNCTION_MEMORY=512Mi
readonly FUNCTION_CPU=1
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
# collection group `cronjobWatcherRecords`, whose `expireAt` (a Timestamp) is the TTL field. `--delete-data`
# deletes every collection with these IDs in the database.
readonly DATA_COLLECTION_GROUP=cronjobWatcherRecords
readonly TTL_FIELD=expireAt
readonly DATA_COLLECTIONS="cronjobWatcherClusters,${DATA_COLLECTION_GROUP}"

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

readonly ROLE_CLUSTER_VIEWER=roles/container.clusterViewer
readonly ROLE_CONTAINER_VIEWER=roles/container.viewer
readonly ROLE_DATASTORE_USER=roles/datastore.user
readonly ROLE_SECRET_ACCESSOR=roles/secretmanager.secretAccessor

# ---------------------------------------------------------------------------------------------
# Settings. Reset here so that variables of the same name in the caller's environment are
# never taken for settings; only flags and the env file set them.
# ---------------------------------------------------------------------------------------------
readonly SETTINGS=(
  PROJECT REGION GKE_CLUSTERS GKE_PROJECTS GKE_CLUSTER_LABELS GKE_ENDPOINT GKE_CONCURRENCY
  NAMESPACES CLUSTER_DOWN_AFTER SLACK_CHANNEL SLACK_API_URL SCHEDULE TIME_ZONE FUNCTION_NAME
  FIRESTORE_DATABASE FIRESTORE_LOCATION RETENTION_DAYS CLUSTER_ACCESS INGRESS_SETTINGS
  TIMEOUT_SECONDS BUILD_SERVICE_ACCOUNT ROUTES MESSAGE_LANGUAGE
)
for setting in "${SETTINGS[@]}"; do
  printf -v "${setting}" '%s' ''
done
unset setting

ENV_FILE=''
MODE=deploy
DRY_RUN=0
DELETE_DATA=0
ASSUME_YES=0
FORCE_DEPLOY=0
TOKEN_FROM_STDIN=0
SLACK_TOKEN=''
TOKEN_SOURCE=''

usage() {
  cat <<'EOF'
Usage: infra/deploy.sh [options]
       infra/deploy.sh --destroy [--delete-data] [options]

Deploys cronjob-watcher: enables the APIs, creates the runtime and invoker service accounts,
grants them only what they need, creates the Firestore database and its TTL policy, stores
the Slack token in Secret Manager, deploys the Cloud Run function (gen2, nodejs24, private)
and creates or updates the Cloud Scheduler job that calls it. Idempotent.

Settings (flag, or KEY=value in the env file; flags win):
  --project ID              PROJECT             Google Cloud project to deploy into (required)
  --region REGION           REGION              Region of the function and scheduler job (required)
  --clusters LIST           GKE_CLUSTERS        Clusters to watch, comma-separated
                                                projects/P/locations/L/clusters/C
  --watch-projects LIST     GKE_PROJECTS        Projects whose clusters are discovered on each pass
  --cluster-labels LIST     GKE_CLUSTER_LABELS  k=v,k2=v2: watch only discovered clusters with
                                                all these labels
                            (at least one of --clusters and --watch-projects is required)
  --gke-endpoint KIND       GKE_ENDPOINT        dns | public | private (default: per cluster)
  --gke-concurrency N       GKE_CONCURRENCY     Clusters read at once (default: the function's, 4)
  --namespaces LIST         NAMESPACES          Only these namespaces (default: all)
  --cluster-down-after N    CLUSTER_DOWN_AFTER  Failed reads before "cannot see cluster" (default 3)
  --slack-channel CHANNEL   SLACK_CHANNEL       Channel ID (C0123456789) or name (#cronjobs) (required)
  --slack-api-url URL       SLACK_API_URL       Slack API base URL (proxies; default Slack's)
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
  --ingress-settings VALUE  INGRESS_SETTINGS    all (default) | internal-only | internal-and-gclb
  --timeout SECONDS         TIMEOUT_SECONDS     Function timeout = scheduler attempt deadline
                                                (default 300; the pass budget is 60 s less)
  --build-service-account EMAIL
                            BUILD_SERVICE_ACCOUNT  Service account Cloud Build uses (optional)

Slack token (required on the first deploy; never a command-line argument):
  --slack-token-stdin       Read the bot token from stdin, e.g.
                              printf '%s' "$TOKEN" | infra/deploy.sh --slack-token-stdin
                            or set SLACK_BOT_TOKEN in the environment. A token that differs
                            from the stored one becomes a new secret version (rotation).

Modes and switches:
  --env-file FILE           Read settings from FILE (default infra/deploy.env if present)
  --dry-run                 Print every gcloud command in order, run none, exit 0
  --force-deploy            Redeploy the function even if nothing changed
  --destroy                 Delete the scheduler job, function, secret, IAM bindings and
                            service accounts. Firestore data is kept unless --delete-data.
  --delete-data             With --destroy: also delete the watcher's Firestore documents
  --yes                     Do not ask before --destroy
  --help                    This help
EOF
}

log() { printf '%s\n' "$*" >&2; }
die() {
  printf 'deploy.sh: %s\n' "$*" >&2
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
      printf '%s\n' "${errors}" >&2
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
    ((known)) || die "${file}:${number}: unknown setting ${key} (see infra/deploy.env.example)"
    set_if_unset "${key}" "${value}"
  done <"${file}"
}

parse_args() {
  local flag value name
  while (($# > 0)); do
    flag=$1
    value=''
    if [[ ${flag} == --*=* ]]; then
      value=${flag#*=}
      flag=${flag%%=*}
      set -- "${flag}" "${value}" "${@:2}"
    fi
    name=''
    case ${flag} in
      --project) name=PROJECT ;;
      --region) name=REGION ;;
      --clusters) name=GKE_CLUSTERS ;;
      --watch-projects) name=GKE_PROJECTS ;;
      --cluster-labels) name=GKE_CLUSTER_LABELS ;;
      --gke-endpoint) name=GKE_ENDPOINT ;;
      --gke-concurrency) name=GKE_CONCURRENCY ;;
      --namespaces) name=NAMESPACES ;;
      --cluster-down-after) name=CLUSTER_DOWN_AFTER ;;
      --slack-channel) name=SLACK_CHANNEL ;;
      --slack-api-url) name=SLACK_API_URL ;;
      --schedule) name=SCHEDULE ;;
      --time-zone) name=TIME_ZONE ;;
      --function-name) name=FUNCTION_NAME ;;
      --firestore-database) name=FIRESTORE_DATABASE ;;
      --firestore-location) name=FIRESTORE_LOCATION ;;
      --retention-days) name=RETENTION_DAYS ;;
      --cluster-access) name=CLUSTER_ACCESS ;;
      --ingress-settings) name=INGRESS_SETTINGS ;;
      --timeout) name=TIMEOUT_SECONDS ;;
      --build-service-account) name=BUILD_SERVICE_ACCOUNT ;;
      --env-file) name=ENV_FILE ;;
      --slack-token-stdin) TOKEN_FROM_STDIN=1 ;;
      --dry-run) DRY_RUN=1 ;;
      --force-deploy) FORCE_DEPLOY=1 ;;
      --destroy) MODE=destroy ;;
      --delete-data) DELETE_DATA=1 ;;
      --yes) ASSUME_YES=1 ;;
      --help | -h)
        usage
        exit 0
        ;;
      --slack-token | --slack-bot-token | --token)
        die "${flag}: the Slack token is never a command-line argument (shell history, process lists); pipe it to --slack-token-stdin or set SLACK_BOT_TOKEN"
        ;;
      *) die "unknown argument ${flag} (see --help)" ;;
    esac
    if [[ -n ${name} ]]; then
      (($# >= 2)) || die "${flag} needs a value (see --help)"
      [[ -n $2 ]] || die "${flag} needs a non-empty value"
      printf -v "${name}" '%s' "$2"
      shift 2
    else
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
  set_if_unset INGRESS_SETTINGS all
  set_if_unset TIMEOUT_SECONDS "${DEFAULT_TIMEOUT_SECONDS}"
}

# ---------------------------------------------------------------------------------------------
# Validation: clear errors before anything is created.
# ---------------------------------------------------------------------------------------------

readonly PROJECT_RE='^[a-z][a-z0-9-]{4,28}[a-z0-9]$'
readonly REGION_RE='^[a-z]+(-[a-z]+)*[0-9]+$'
readonly CLUSTER_RE='^projects/([a-z][a-z0-9-]{4,28}[a-z0-9])/locations/([a-z]+(-[a-z]+)*[0-9]+(-[a-z])?)/clusters/([a-z]([a-z0-9-]{0,38}[a-z0-9])?)$'
readonly LABEL_RE='^[a-z][a-z0-9_-]{0,62}=[a-z0-9_-]{0,63}$'
readonly NAMESPACE_RE='^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$'
# Function names become service account IDs `<name>-invoker` (at most 30 characters).
readonly FUNCTION_NAME_RE='^[a-z][a-z0-9-]{0,20}[a-z0-9]$'
readonly DATABASE_RE='^[a-z][a-z0-9-]{2,61}[a-z0-9]$'
readonly CHANNEL_RE='^(#?[a-z0-9][a-z0-9._-]{0,79}|[CGD][A-Z0-9]{8,})$'
readonly EMAIL_RE='^[a-z0-9][a-z0-9-]*@[a-z0-9-]+(\.[a-z0-9-]+)*\.iam\.gserviceaccount\.com$'

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
  [[ ${PROJECT} =~ ${PROJECT_RE} ]] || die "--project: \"${PROJECT}\" is not a project ID (e.g. my-project-123)"
  [[ -n ${REGION} ]] || die "--region is required (or REGION= in the env file), e.g. europe-west1"
  [[ ${REGION} =~ ${REGION_RE} ]] || die "--region: \"${REGION}\" is not a region (e.g. europe-west1)"
  [[ ${FUNCTION_NAME} =~ ${FUNCTION_NAME_RE} ]] ||
    die "--function-name: \"${FUNCTION_NAME}\" must be 2-22 lowercase letters, digits or '-', starting with a letter (it prefixes service account IDs)"
  [[ ${CLUSTER_ACCESS} == rbac || ${CLUSTER_ACCESS} == viewer ]] ||
    die "--cluster-access must be rbac or viewer; got \"${CLUSTER_ACCESS}\""

  local item
  while IFS= read -r item; do
    [[ ${item} =~ ${CLUSTER_RE} ]] ||
      die "--clusters: \"${item}\" is not projects/P/locations/L/clusters/C (e.g. projects/my-project/locations/europe-west1/clusters/prod)"
  done < <(split_list "${GKE_CLUSTERS}")
  while IFS= read -r item; do
    [[ ${item} =~ ${PROJECT_RE} ]] || die "--watch-projects: \"${item}\" is not a project ID"
  done < <(split_list "${GKE_PROJECTS}")

  [[ ${FIRESTORE_DATABASE} == '(default)' || ${FIRESTORE_DATABASE} =~ ${DATABASE_RE} ]] ||
    die "--firestore-database must be (default) or 4-63 lowercase letters, digits or '-'"

  [[ ${MODE} == destroy ]] && return 0

  [[ -n $(split_list "${GKE_CLUSTERS}") || -n $(split_list "${GKE_PROJECTS}") ]] ||
    die "say which clusters to watch: --clusters projects/P/locations/L/clusters/C,... and/or --watch-projects P1,P2"
  while IFS= read -r item; do
    [[ ${item} =~ ${LABEL_RE} ]] || die "--cluster-labels: \"${item}\" is not key=value (e.g. env=prod)"
  done < <(split_list "${GKE_CLUSTER_LABELS}")
  while IFS= read -r item; do
    [[ ${item} =~ ${NAMESPACE_RE} ]] || die "--namespaces: \"${item}\" is not a namespace name"
  done < <(split_list "${NAMESPACES}")
  [[ -z ${GKE_ENDPOINT} || ${GKE_ENDPOINT} =~ ^(dns|public|private)$ ]] ||
    die "--gke-endpoint must be dns, public or private; got \"${GKE_ENDPOINT}\""
  [[ -z ${GKE_CONCURRENCY} ]] || is_whole_number "${GKE_CONCURRENCY}" 1 64 ||
    die "--gke-concurrency must be a whole number from 1 to 64"
  [[ -z ${CLUSTER_DOWN_AFTER} ]] || is_whole_number "${CLUSTER_DOWN_AFTER}" 1 1000 ||
    die "--cluster-down-after must be a whole number from 1 to 1000"
  [[ -n ${SLACK_CHANNEL} ]] || die "--slack-channel is required, e.g. C0123456789 or '#cronjobs'"
  [[ ${SLACK_CHANNEL} =~ ${CHANNEL_RE} ]] ||
    die "--slack-channel: \"${SLACK_CHANNEL}\" is not a channel ID (C0123456789) or name (#cronjobs)"
  [[ -z ${SLACK_API_URL} || ${SLACK_API_URL} =~ ^https?://[^[:space:]\;]+$ ]] ||
    die "--slack-api-url must be an http(s) URL, e.g. https://slack.com/api/"
  # The function validates both fully at start-up; here only what would break --set-env-vars.
  [[ ${ROUTES} =~ ^[A-Za-z0-9*#/=,._@:-]*$ ]] ||
    die "ROUTES: \"${ROUTES}\" is not <cluster>/<namespace>=<channel>,… (e.g. prod/payments=C0PAY12345,*/data=C0DATA1234)"
  [[ ${MESSAGE_LANGUAGE} =~ ^(en|ja)?$ ]] || die "MESSAGE_LANGUAGE must be en or ja"
  [[ $(wc -w <<<"${SCHEDULE}") -eq 5 ]] ||
    die "--schedule must be a 5-field cron expression, e.g. \"*/5 * * * *\"; got \"${SCHEDULE}\""
  [[ ${TIME_ZONE} =~ ^[A-Za-z_]+(/[A-Za-z0-9_+-]+)*$ ]] ||
    die "--time-zone must be a tz database name, e.g. Etc/UTC or Europe/Paris"
  [[ ${FIRESTORE_LOCATION} =~ ^[a-z0-9-]+$ ]] ||
    die "--firestore-location: \"${FIRESTORE_LOCATION}\" is not a Firestore location (e.g. europe-west1, eur3, nam5)"
  is_whole_number "${RETENTION_DAYS}" 1 3650 || die "--retention-days must be a whole number from 1 to 3650"
  [[ ${INGRESS_SETTINGS} =~ ^(all|internal-only|internal-and-gclb)$ ]] ||
    die "--ingress-settings must be all, internal-only or internal-and-gclb"
  is_whole_number "${TIMEOUT_SECONDS}" "${MIN_TIMEOUT_SECONDS}" "${MAX_TIMEOUT_SECONDS}" ||
    die "--timeout must be a whole number of seconds from ${MIN_TIMEOUT_SECONDS} to ${MAX_TIMEOUT_SECONDS} (Cloud Scheduler's HTTP attempt deadline limit)"
  [[ -z ${BUILD_SERVICE_ACCOUNT} || ${BUILD_SERVICE_ACCOUNT} =~ ${EMAIL_RE} ]] ||
    die "--build-service-account must be a service account email"
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

# ---------------------------------------------------------------------------------------------
# Derived names
# ---------------------------------------------------------------------------------------------
derive_names() {
  RUNTIME_SA_ID="${FUNCTION_NAME}-run"
  INVOKER_SA_ID="${FUNCTION_NAME}-invoker"
  RUNTIME_SA="${RUNTIME_SA_ID}@${PROJECT}.iam.gserviceaccount.com"
  INVOKER_SA="${INVOKER_SA_ID}@${PROJECT}.iam.gserviceaccount.com"
  SECRET_NAME="${FUNCTION_NAME}-slack-token"
  JOB_NAME=${FUNCTION_NAME}
  if [[ ${CLUSTER_ACCESS} == viewer ]]; then
    CLUSTER_ROLE=${ROLE_CONTAINER_VIEWER}
  else
    CLUSTER_ROLE=${ROLE_CLUSTER_VIEWER}
  fi
  PASS_BUDGET_SECONDS=$((${TIMEOUT_SECONDS:-${DEFAULT_TIMEOUT_SECONDS}} - PASS_BUDGET_MARGIN_SECONDS))

  # Projects holding the clusters: the runtime account needs the cluster role in each.
  local item
  WATCHED_PROJECTS=()
  while IFS= read -r item; do
    [[ ${item} =~ ${CLUSTER_RE} ]] && add_watched_project "${BASH_REMATCH[1]}"
  done < <(split_list "${GKE_CLUSTERS}")
  while IFS= read -r item; do
    add_watched_project "${item}"
  done < <(split_list "${GKE_PROJECTS}")
}

add_watched_project() {
  local known
  for known in ${WATCHED_PROJECTS[@]+"${WATCHED_PROJECTS[@]}"}; do
    [[ ${known} == "$1" ]] && return 0
  done
  WATCHED_PROJECTS+=("$1")
}

# The function's environment, one KEY=value per line. Optional settings are left out so the
# function's own defaults apply.
function_env() {
  printf '%s\n' \
    "STATE_BACKEND=firestore" \
    "GOOGLE_CLOUD_PROJECT=${PROJECT}" \
    "FIRESTORE_DATABASE=${FIRESTORE_DATABASE}" \
    "RETENTION_DAYS=${RETENTION_DAYS}" \
    "PASS_BUDGET_SECONDS=${PASS_BUDGET_SECONDS}" \
    "SLACK_CHANNEL=${SLACK_CHANNEL}"
  local name
  for name in GKE_CLUSTERS GKE_PROJECTS GKE_CLUSTER_LABELS GKE_ENDPOINT GKE_CONCURRENCY \
    NAMESPACES CLUSTER_DOWN_AFTER SLACK_API_URL ROUTES MESSAGE_LANGUAGE; do
    [[ -n ${!name} ]] && printf '%s=%s\n' "${name}" "${!name}"
  done
  return 0
}

# `--set-env-vars` splits on commas, and cluster lists contain commas: gcloud's `^;^` prefix
# makes `;` the separator instead (see `gcloud topic escaping`). No value contains `;`
# (validated above), so the split is exact.
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
  step "Service accounts: the function's identity and the scheduler's"
  ensure_service_account "${RUNTIME_SA_ID}" "${RUNTIME_SA}" "cronjob-watcher runtime" \
    "Identity of the ${FUNCTION_NAME} function: reads GKE clusters, Firestore, its Slack token"
  ensure_service_account "${INVOKER_SA_ID}" "${INVOKER_SA}" "cronjob-watcher invoker" \
    "Cloud Scheduler calls the ${FUNCTION_NAME} function as this account (run.invoker on it only)"
}

grant_project_roles() {
  step "Grant the runtime account cluster read (${CLUSTER_ROLE}) and Firestore access"
  local project
  for project in "${WATCHED_PROJECTS[@]}"; do
    mutate_iam '' projects add-iam-policy-binding "${project}" \
      --member="serviceAccount:${RUNTIME_SA}" --role="${CLUSTER_ROLE}" --condition=None --quiet
  done
  mutate_iam '' projects add-iam-policy-binding "${PROJECT}" \
    --member="serviceAccount:${RUNTIME_SA}" --role="${ROLE_DATASTORE_USER}" --condition=None --quiet
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
}

deploy_function() {
  step "Deploy the function ${FUNCTION_NAME} (gen2, nodejs24, not public)"
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
    --set-secrets="SLACK_BOT_TOKEN=${SECRET_NAME}:latest"
    "$(env_vars_flag)"
    --timeout="${TIMEOUT_SECONDS}s"
    --memory="${FUNCTION_MEMORY}"
    --cpu="${FUNCTION_CPU}"
    --concurrency="${FUNCTION_CONCURRENCY}"
    --max-instances="${FUNCTION_MAX_INSTANCES}"
  )
  [[ -n ${BUILD_SERVICE_ACCOUNT} ]] &&
    args+=(--build-service-account="projects/${PROJECT}/serviceAccounts/${BUILD_SERVICE_ACCOUNT}")
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
  if [[ ${deployed} == "${hash}" ]] && ((!FORCE_DEPLOY && !TOKEN_ROTATED)); then
    log "   deployed function is up to date (deploy-hash ${hash}); --force-deploy to redeploy"
    return 0
  fi
  ((TOKEN_ROTATED)) && log "   redeploying so new instances read the new token version"
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

print_cluster_steps() {
  printf '\n'
  if [[ ${CLUSTER_ACCESS} == viewer ]]; then
    cat <<EOF
Cluster access: ${RUNTIME_SA} has ${ROLE_CONTAINER_VIEWER} on ${WATCHED_PROJECTS[*]}.
Nothing to apply in the clusters. Note: that role does not include pod logs
(container.pods.getLogs); to let the watcher quote them, apply infra/k8s/rbac.yaml as below.
EOF
  else
    cat <<EOF
Last step, once per cluster (needs cluster-admin there; the script has no cluster access):
let ${RUNTIME_SA} get/list CronJobs, Jobs, Pods and pod logs (infra/k8s/rbac.yaml).
EOF
  fi
  local item project location cluster
  while IFS= read -r item; do
    [[ ${item} =~ ${CLUSTER_RE} ]] || continue
    project=${BASH_REMATCH[1]}
    location=${BASH_REMATCH[2]}
    cluster=${BASH_REMATCH[5]}
    printf '  gcloud container clusters get-credentials %s --location=%s --project=%s\n' \
      "${cluster}" "${location}" "${project}"
    printf "  sed 's/\${RUNTIME_SA_EMAIL}/%s/' infra/k8s/rbac.yaml | kubectl --context=gke_%s_%s_%s apply -f -\n" \
      "${RUNTIME_SA}" "${project}" "${location}" "${cluster}"
  done < <(split_list "${GKE_CLUSTERS}")
  while IFS= read -r project; do
    printf '  # every cluster discovered in %s (list: gcloud container clusters list --project=%s):\n' \
      "${project}" "${project}"
    printf "  sed 's/\${RUNTIME_SA_EMAIL}/%s/' infra/k8s/rbac.yaml | kubectl --context=CONTEXT apply -f -\n" \
      "${RUNTIME_SA}"
  done < <(split_list "${GKE_PROJECTS}")
}

deploy() {
  ((DRY_RUN)) && printf '# infra/deploy.sh --dry-run: the gcloud commands a deploy runs, in order. Lookups\n# (describe/list) are not shown; "# if …" says when a command runs.\n'
  enable_apis
  create_service_accounts
  grant_project_roles
  ensure_firestore
  ensure_secret
  deploy_function
  read_function_url
  grant_invoker
  ensure_scheduler_job
  if ((DRY_RUN)); then
    print_cluster_steps | sed 's/^/# /'
  else
    log "Deployed ${FUNCTION_NAME} at ${FUNCTION_URL} (private; Cloud Scheduler calls it as ${INVOKER_SA})."
    print_cluster_steps
  fi
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

remove_project_role() {
  local project=$1 role=$2 member="serviceAccount:${RUNTIME_SA}" bindings
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

destroy() {
  confirm_destroy
  ((DRY_RUN)) && printf '# infra/deploy.sh --destroy --dry-run: the gcloud commands a teardown runs, in order.\n'
  step "Stop the schedule, then delete the function (its invoker binding goes with it)"
  delete_if_exists scheduler jobs describe "${JOB_NAME}" --location="${REGION}" --project="${PROJECT}" -- \
    scheduler jobs delete "${JOB_NAME}" --location="${REGION}" --project="${PROJECT}" --quiet
  delete_if_exists functions describe "${FUNCTION_NAME}" --region="${REGION}" --project="${PROJECT}" -- \
    functions delete "${FUNCTION_NAME}" --region="${REGION}" --project="${PROJECT}" --quiet
  step "Delete the Slack token secret (and its access binding)"
  delete_if_exists secrets describe "${SECRET_NAME}" --project="${PROJECT}" -- \
    secrets delete "${SECRET_NAME}" --project="${PROJECT}" --quiet
  step "Remove the runtime account's project roles (before the account, so none is left dangling)"
  # The deploy project too: it may have held clusters in an earlier deploy.
  add_watched_project "${PROJECT}"
  local project
  for project in "${WATCHED_PROJECTS[@]}"; do
    remove_project_role "${project}" "${ROLE_CLUSTER_VIEWER}"
    remove_project_role "${project}" "${ROLE_CONTAINER_VIEWER}"
  done
  remove_project_role "${PROJECT}" "${ROLE_DATASTORE_USER}"
  step "Delete the service accounts"
  delete_if_exists iam service-accounts describe "${RUNTIME_SA}" --project="${PROJECT}" -- \
    iam service-accounts delete "${RUNTIME_SA}" --project="${PROJECT}" --quiet
  delete_if_exists iam service-accounts describe "${INVOKER_SA}" --project="${PROJECT}" -- \
    iam service-accounts delete "${INVOKER_SA}" --project="${PROJECT}" --quiet
  if ((DELETE_DATA)); then
    step "Delete the watcher's Firestore documents (collections ${DATA_COLLECTIONS})"
    mutate '' firestore bulk-delete --collection-ids="${DATA_COLLECTIONS}" \
      --database="${FIRESTORE_DATABASE}" --project="${PROJECT}" --quiet
  fi
  local kept="Firestore data in database ${FIRESTORE_DATABASE} (collections ${DATA_COLLECTIONS}) is kept; --destroy --delete-data deletes it. The database itself, its TTL policy and the enabled APIs are left in place."
  ((DELETE_DATA)) && kept="The Firestore database ${FIRESTORE_DATABASE}, its TTL policy and the enabled APIs are left in place."
  local rbac="In each cluster, remove the RBAC objects: kubectl delete clusterrolebinding,clusterrole cronjob-watcher-reader"
  if ((DRY_RUN)); then
    printf '# %s\n# %s\n' "${kept}" "${rbac}"
  else
    log "Removed ${FUNCTION_NAME} from ${PROJECT}. ${kept}"
    log "${rbac}"
  fi
}

main() {
  parse_args "$@"
  if [[ -z ${ENV_FILE} && -f ${SCRIPT_DIR}/deploy.env ]]; then
    ENV_FILE=${SCRIPT_DIR}/deploy.env
  fi
  [[ -n ${ENV_FILE} ]] && load_env_file "${ENV_FILE}"
  apply_defaults
  validate
  ((DELETE_DATA)) && [[ ${MODE} != destroy ]] && die "--delete-data goes with --destroy"
  [[ ${MODE} == destroy ]] || read_token
  derive_names
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
