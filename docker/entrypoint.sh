#!/bin/sh
# The image's entrypoint: check that DC43_VAR_DIR is writable and the secret key is not public, wait for the database, migrate, then run the
# command (granian by default, or e.g. `dc43-portal demo_setup`). No absolute paths: the installed-wheel test
# runs this same file outside a container.
set -eu

var_dir="${DC43_VAR_DIR:-/data}"
if ! (mkdir -p "$var_dir" && touch "$var_dir/.dc43-write-test" && rm -f "$var_dir/.dc43-write-test") 2>/dev/null; then
    echo "dc43-portal: $var_dir is not writable by uid $(id -u) (gid $(id -g)): mount a named volume there," \
        "or chown the host folder you mount: chown -R $(id -u):$(id -g) /path/on/host" >&2
    exit 1
fi

# A public or short DJANGO_SECRET_KEY would let anyone forge sessions: refuse to start with one.
dc43-portal check --deploy --tag secrets --fail-level ERROR

# A database that is still starting (a PostgreSQL container beside this one) is waited for, within a bound.
dc43-portal wait_for_db --timeout "${DC43_DB_WAIT_SECONDS:-60}"
# With several containers on one database, let one of them (or a release job) migrate: DC43_MIGRATE=false.
if [ "${DC43_MIGRATE:-true}" = "true" ]; then
    dc43-portal migrate --noinput
fi
exec "$@"
