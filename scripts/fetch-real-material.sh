#!/usr/bin/env bash
# fetch-real-material.sh: fetches the real-material regression set, public
# packages nobody on this team wrote, into a git-ignored cache
# (.cache/realmaterial/ in the repo, or $ROUEI_REALMATERIAL_DIR).
#
#   debian/NAME/  a Debian binary package unpacked (apt-get download + dpkg-deb -x;
#                 nothing is installed)
#   npm/NAME/     an npm package unpacked (npm pack NAME@VERSION + tar; no scripts run;
#                 a scope's / is written __: npm/@scope__name/)
#
# It is idempotent: a package with a marker NAME.fetched beside its directory
# is skipped (the marker holds kind, name and version). The
# versions actually fetched (Debian: as served; npm: pinned below) are written
# to MANIFEST.tsv in the cache: kind, name, version, files, bytes.
# It runs apt-get update first when a Debian package is to be fetched (not with
# ROUEI_REALMATERIAL_NO_UPDATE set). Exit status: 0 when every package is cached,
# 1 when a fetch failed (no network).
set -euo pipefail
cd "$(dirname "$0")/.."
cache="${ROUEI_REALMATERIAL_DIR:-$PWD/.cache/realmaterial}"
mkdir -p "$cache/debian" "$cache/npm"

# Debian packages, by class. Names are pinned; versions are those served.
debian=(
  # Japanese man pages and documentation (translator/author credits with e-mail addresses)
  manpages-ja manpages-ja-dev
  debian-reference-ja debian-faq-ja developers-reference-ja maint-guide-ja debian-policy-ja
  aptitude-doc-ja libjlha-java-doc-ja
  # IME and morphological dictionaries (word lists with readings, costs, part of speech)
  mecab-ipadic skkdic skkdic-extra anthy-common kakasi-dic scim-tables-ja
  # Java source with @author and Copyright
  bsh-src
  # translation catalogues (.mo with PO headers: Last-Translator, Language-Team) and
  # OSS trees with AUTHORS/ChangeLog/THANKS/NEWS and debian/copyright; .po files with
  # translator comment blocks (python3-django)
  coreutils emacs-common python3-django
)

# npm packages, by class, pinned NAME@VERSION.
npm=(
  # fake-data generators with a Japanese locale
  @faker-js/faker@10.6.0 japanese-name-generator@0.2.0
  # dictionary data (kuromoji's IPADIC in binary form)
  kuromoji@0.1.2
  # Japanese calendars and postal data
  japanese-holidays@1.0.10 @holiday-jp/holiday_jp@2.5.1 japanese-public-holidays@3.2.38
  jquery-jpostal-ja@2.14.73 @geolonia/normalize-japanese-addresses@3.1.3
  # Japanese-documented packages with package.json author/contributors
  moji@0.5.1 jaconv@1.1.2 kuroshiro@1.2.0 wanakana@5.3.1 encoding-japanese@2.4.0
  textlint-rule-preset-ja-technical-writing@12.0.2 textlint-rule-preset-japanese@10.0.4
  # translation catalogues in Japanese
  @bicstone/ra-language-japanese@5.12.1 @sanity/locale-ja-jp@1.1.34
)

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failed=0

count() { # files and bytes under $1
  find "$1" -type f -printf '%s\n' | awk '{n++; b+=$1} END {printf "%d\t%d", n, b}'
}

# Debian: one apt-get download for every package not cached (one by one if
# that fails, to fetch what can be), then unpack each.
missing=()
for name in "${debian[@]}"; do
  [ -f "$cache/debian/$name.fetched" ] || missing+=("$name")
done
if [ ${#missing[@]} -gt 0 ]; then
  [ -n "${ROUEI_REALMATERIAL_NO_UPDATE:-}" ] || apt-get update -qq >/dev/null 2>&1 || true
  mkdir -p "$tmp/deb"
  if ! (cd "$tmp/deb" && apt-get download -qq "${missing[@]}" >/dev/null 2>&1); then
    for name in "${missing[@]}"; do
      (cd "$tmp/deb" && apt-get download -qq "$name" >/dev/null 2>&1) || true
    done
  fi
  for name in "${missing[@]}"; do
    dir="$cache/debian/$name"
    deb=
    for f in "$tmp/deb/${name}"_*.deb; do # '_' never occurs in a package name
      if [ -f "$f" ]; then deb=$f; fi
    done
    if [ -z "$deb" ]; then
      echo "fetch-real-material: cannot download Debian package $name" >&2
      failed=1; continue
    fi
    ver=$(dpkg-deb -f "$deb" Version)
    rm -rf "$dir" && mkdir -p "$dir"
    dpkg-deb -x "$deb" "$dir"
    printf 'debian\t%s\t%s\n' "$name" "$ver" >"$dir.fetched"
    echo "fetched debian $name $ver"
  done
fi

# npm: one npm pack for every package not cached (one by one if that fails),
# then untar each. npm pack names NAME@VERSION's tarball NAME-VERSION.tgz,
# without a scope's leading @ and with its / as -.
missing=()
for spec in "${npm[@]}"; do
  name=${spec%@*}
  [ -f "$cache/npm/${name//\//__}.fetched" ] || missing+=("$spec")
done
if [ ${#missing[@]} -gt 0 ]; then
  mkdir -p "$tmp/npm"
  if ! (cd "$tmp/npm" && npm pack --ignore-scripts --silent "${missing[@]}" >/dev/null 2>&1); then
    for spec in "${missing[@]}"; do
      (cd "$tmp/npm" && npm pack --ignore-scripts --silent "$spec" >/dev/null 2>&1) || true
    done
  fi
  for spec in "${missing[@]}"; do
    name=${spec%@*} ver=${spec##*@}
    dir="$cache/npm/${name//\//__}"
    tgz="$tmp/npm/$(n=${name#@}; echo "${n//\//-}")-$ver.tgz"
    if [ ! -f "$tgz" ]; then
      echo "fetch-real-material: cannot fetch npm package $spec" >&2
      failed=1; continue
    fi
    rm -rf "$dir" && mkdir -p "$dir"
    tar -xzf "$tgz" -C "$dir" --no-same-owner --no-same-permissions --warning=no-unknown-keyword
    printf 'npm\t%s\t%s\n' "$name" "$ver" >"$dir.fetched"
    echo "fetched npm $spec"
  done
fi

# The manifest lists the packages above that are cached, with file and byte
# counts (a package dropped from the lists stays out of it).
{
  printf 'kind\tname\tversion\tfiles\tbytes\n'
  for name in "${debian[@]}"; do
    m="$cache/debian/$name.fetched"
    if [ -f "$m" ]; then printf '%s\t%s\n' "$(cat "$m")" "$(count "${m%.fetched}")"; fi
  done
  for spec in "${npm[@]}"; do
    name=${spec%@*}
    m="$cache/npm/${name//\//__}.fetched"
    if [ -f "$m" ]; then printf '%s\t%s\n' "$(cat "$m")" "$(count "${m%.fetched}")"; fi
  done
} >"$cache/MANIFEST.tsv"
exit "$failed"
