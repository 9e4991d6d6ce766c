#!/bin/sh
# The Debian packages polku needs besides Python: installed when run as root, named otherwise.
#
#   tools/system-packages.sh site   what `make site` needs: Pango for WeasyPrint, and
#                                   HarfBuzz subsetting for fast workbook fonts
#   tools/system-packages.sh test   the same and Chromium, for the browser tests
#
# `make site`, `make test` and .ci/run call it. Exit status 0 when everything is there (or
# was installed); 1 when a package is missing and cannot be installed from here, after
# naming the command that installs it. Without HarfBuzz subsetting the site still builds
# (the workbooks take longer, and polku build says so), so for `site` it is not a stop.
set -eu

purpose="${1:-}"
case "$purpose" in
  site) required="libpango-1.0-0 libpangoft2-1.0-0"; optional="libharfbuzz-subset0" ;;
  test) required="libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 chromium"; optional="" ;;
  *) echo "usage: $0 site|test" >&2; exit 2 ;;
esac

if ! command -v dpkg-query >/dev/null 2>&1 || ! command -v apt-get >/dev/null 2>&1; then
  echo "polku: not a Debian system, so the system packages are not checked; polku needs" \
    "Pango (for WeasyPrint) and HarfBuzz subsetting, and its tests need Chromium" \
    "at /usr/bin/chromium" >&2
  exit 0
fi

installed() {
  dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "ok installed"
}

missing=""
missing_required=""
for package in $required $optional; do
  if ! installed "$package"; then
    missing="$missing $package"
    case " $required " in *" $package "*) missing_required="$missing_required $package" ;; esac
  fi
done
[ -z "$missing" ] && exit 0
missing="${missing# }"

if [ "$(id -u)" -eq 0 ]; then
  echo "polku: installing the system packages $missing" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  # shellcheck disable=SC2086  # one word per package
  apt-get install -y -qq --no-install-recommends $missing >/dev/null
  exit 0
fi

if [ -n "$missing_required" ]; then
  echo "polku: error: the system packages $missing are not installed; install them with" \
    "'sudo apt-get install $missing' (or run make as root, which installs them)" >&2
  exit 1
fi
# only HarfBuzz subsetting is missing: polku build says so in one line when it makes the PDFs
exit 0
